import type { SdnController } from './controller.js';
import type { Journal, JournalEntry } from './journal.js';

export interface SyncOptions {
  /** Attempts before an entry is failed. */
  maxRetries: number;
  /** Wait before retrying after a failed attempt. */
  retryDelayMs: number;
  /** 'auto': drain after every commit; 'manual': only when drain() is called (tests, an external worker). */
  mode: 'auto' | 'manual';
}

/**
 * Hands journal entries to the controller one at a time, in dependency order, and tells the plugin
 * when an object was realised (or failed for good) so it can show the status the controller reached.
 */
export class JournalSync {
  private scheduled: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private closed = false;

  constructor(
    private readonly journal: Journal,
    private readonly controller: SdnController,
    private readonly realised: (entry: JournalEntry, outcome: 'completed' | 'failed') => void,
    private readonly opts: SyncOptions,
  ) {}

  /** Processes every entry that can go now; resolves with how many reached completed or failed. */
  drain(): Promise<number> {
    // one drain at a time per server; a caller during a drain waits for it, then drains again
    // (a drain that throws rejects its own caller only: the queue goes on, and close() still resolves)
    const previous = this.running ?? Promise.resolve();
    const next = previous.then(() => this.drainOnce());
    const settled: Promise<unknown> = next
      .catch(() => undefined)
      .finally(() => {
        if (this.running === settled) this.running = undefined;
      });
    this.running = settled;
    return next;
  }

  /** Schedules a drain soon (coalesced), in auto mode. */
  kick(delayMs = 0): void {
    if (this.opts.mode !== 'auto' || this.closed || this.scheduled) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      // a background drain that throws (e.g. the database is busy) is retried later, never left unhandled
      this.drain().catch(() => this.kick(this.opts.retryDelayMs));
    }, delayMs);
    this.scheduled.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.scheduled);
    this.scheduled = undefined;
    await this.running;
  }

  private async drainOnce(): Promise<number> {
    let done = 0;
    let retryLater = false;
    for (let entry = this.next(); entry; entry = this.next()) {
      let failure: (Error & { permanent?: boolean }) | undefined;
      try {
        await this.controller.apply(entry);
      } catch (err) {
        failure = err as Error & { permanent?: boolean };
      }
      // only the controller's errors are failed attempts; the journal's own errors propagate as they are
      if (!failure) {
        this.journal.complete(entry.seqnum);
        this.realised(entry, 'completed');
        done++;
      } else {
        const e = failure;
        const state = this.journal.fail(entry.seqnum, e.message, { maxRetries: this.opts.maxRetries, permanent: e.permanent === true });
        if (state === 'failed') {
          this.realised(entry, 'failed');
          done++;
        } else retryLater = true;
        // a failing controller is not hammered: the rest waits for the retry
        if (state === 'pending') break;
      }
    }
    if (retryLater) this.kick(this.opts.retryDelayMs);
    return done;
  }

  private next(): JournalEntry | undefined {
    return this.closed ? undefined : this.journal.claimNext();
  }
}

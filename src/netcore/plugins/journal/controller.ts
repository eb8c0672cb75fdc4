import type { JournalEntry } from './journal.js';

/** Why an attempt failed; a permanent error is not retried (e.g. the controller rejects the object). */
export class ControllerError extends Error {
  override name = 'ControllerError';
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** The external SDN controller the journal feeds: applies one change, or throws. */
export interface SdnController {
  apply(entry: JournalEntry): Promise<void>;
}

/** The controller's collection for each object type (OpenDaylight's northbound paths). */
const COLLECTIONS: Record<JournalEntry['object_type'], string> = {
  network: 'networks',
  subnet: 'subnets',
  port: 'ports',
  router: 'routers',
  floatingip: 'floatingips',
  security_group: 'security-groups',
  security_group_rule: 'security-group-rules',
  pool: 'lb/pools',
  member: 'lb/members',
  vip: 'lb/vips',
  health_monitor: 'lb/health_monitors',
};

/**
 * A controller reached over REST, in the style of OpenDaylight's northbound API: POST a create to
 * the collection, PUT an update to the object, DELETE a delete. 5xx and network errors are retried;
 * other 4xx are permanent; a 404 on delete means it is already gone.
 */
export class HttpController implements SdnController {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5000,
  ) {}

  async apply(entry: JournalEntry): Promise<void> {
    const collection = `${this.baseUrl.replace(/\/$/, '')}/${COLLECTIONS[entry.object_type]}`;
    const url = entry.operation === 'create' ? collection : `${collection}/${entry.object_uuid}`;
    const method = entry.operation === 'create' ? 'POST' : entry.operation === 'update' ? 'PUT' : 'DELETE';
    const body = entry.operation === 'delete' ? undefined : JSON.stringify({ [entry.object_type]: entry.data });
    let res: Response;
    try {
      res = await fetch(url, { method, body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new ControllerError(`${method} ${url}: ${(err as Error).message}`);
    }
    // read the answer to its end, so the connection is free for the next change (else each one opens a new socket)
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok || (entry.operation === 'delete' && res.status === 404)) return;
    throw new ControllerError(`${method} ${url} answered ${res.status}`, res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 409);
  }
}

/**
 * A controller in memory: keeps what it was told, in order. The default when no controller URL is
 * configured (standalone use, the conformance suite) and the double the journal's tests steer.
 */
export class RecordingController implements SdnController {
  readonly applied: JournalEntry[] = [];
  readonly objects = new Map<string, Record<string, unknown>>();
  private failures: { count: number; permanent: boolean } = { count: 0, permanent: false };

  /** Makes the next `count` attempts fail. */
  failNext(count: number, permanent = false): void {
    this.failures = { count, permanent };
  }

  async apply(entry: JournalEntry): Promise<void> {
    if (this.failures.count > 0) {
      this.failures.count--;
      throw new ControllerError(`controller refused ${entry.operation} ${entry.object_type} ${entry.object_uuid}`, this.failures.permanent);
    }
    this.applied.push(entry);
    if (entry.operation === 'delete') this.objects.delete(entry.object_uuid);
    else this.objects.set(entry.object_uuid, entry.data);
  }
}

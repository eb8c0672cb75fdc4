import type { ActionItem } from './store.js';

/**
 * Action items, read from what people write (pure): the task list of an agenda (a ticked box closes an item;
 * a `- [ ] @owner text` line someone added opens one), and `#action owner text` lines of meeting minutes
 * pasted into an agenda's comments (MeetBot's form, IRC log lines included).
 */

const LOGIN = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})';
const TASK = /^\s*[-*+]\s+\[([ xX])\]\s+(.*)$/;
const MARKER = /<!--\s*netbot:action:(\d+)\s*-->/;
const OWNED = new RegExp(`^@(${LOGIN})(?![A-Za-z0-9-])[:,]?\\s+(.+)$`);
const MINUTES = new RegExp(`(?:^|\\s)#action:?\\s+@?(${LOGIN})(?![A-Za-z0-9_-])[:,]?\\s+(.+)$`, 'i');

/** The hidden marker netbot writes after each action item it lists (ticking the box keeps it). */
export const actionMarker = (number: number) => `<!-- netbot:action:${number} -->`;

export interface TaskLine {
  checked: boolean;
  /** netbot's own item (its marker). */
  action?: number;
  /** A line a person added: `- [ ] @owner text`. */
  owner?: string;
  text: string;
}

/** Task-list lines of an agenda body, outside code blocks. */
export function taskLines(body: string | null | undefined): TaskLine[] {
  const out: TaskLine[] = [];
  let fenced = false;
  for (const raw of (body ?? '').replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(raw)) fenced = !fenced;
    if (fenced) continue;
    const task = TASK.exec(raw);
    if (!task) continue;
    const checked = task[1] !== ' ';
    const marker = MARKER.exec(task[2]!);
    const text = task[2]!.replace(MARKER, '').trim();
    if (marker) {
      out.push({ checked, action: Number(marker[1]), text });
      continue;
    }
    const owned = OWNED.exec(text);
    out.push(owned ? { checked, owner: owned[1]!, text: owned[2]!.trim() } : { checked, text });
  }
  return out;
}

/** `#action owner text` lines (MeetBot minutes, IRC logs) of a comment. */
export function minutesActions(body: string | null | undefined): { owner: string; text: string }[] {
  const out: { owner: string; text: string }[] = [];
  for (const line of (body ?? '').replace(/\r\n?/g, '\n').split('\n')) {
    const m = MINUTES.exec(line.trim());
    if (m) out.push({ owner: m[1]!, text: m[2]!.trim() });
  }
  return out;
}

/** A comment on an agenda, as gathered. */
export interface AgendaComment {
  id: number;
  url: string;
  body: string;
  author: string;
  /** GitHub's authorAssociation: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE, ... */
  association: string;
}

export interface NewAction {
  owner: string;
  text: string;
  originKey: string;
  raisedBy: string;
  raisedUrl?: string;
}

export interface Harvest {
  /** netbot's items whose box was ticked. */
  ticked: number[];
  /** Items people wrote: lines added to an agenda, `#action` lines of minutes. */
  added: NewAction[];
}

/** Who may add action items through minutes: the repository's collaborators, or anyone the caller allows. */
const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * What the agendas say about action items: ticked boxes and added lines of the current and previous agendas,
 * `#action` lines in the previous agenda's comments from people allowed to add them. Keys make each one count
 * once, however many times the agenda is rebuilt.
 */
export function harvestActions(
  agendas: { number: number; url: string; body: string | null; comments?: AgendaComment[] }[],
  mayAdd: (comment: AgendaComment) => boolean = (c) => TRUSTED_ASSOCIATIONS.has(c.association),
): Harvest {
  const ticked = new Set<number>();
  const added: NewAction[] = [];
  for (const agenda of agendas) {
    for (const line of taskLines(agenda.body)) {
      if (line.action !== undefined && line.checked) ticked.add(line.action);
      if (line.action === undefined && line.owner && !line.checked) {
        added.push({ owner: line.owner, text: line.text, originKey: `agenda:${agenda.number}:${line.owner.toLowerCase()}:${line.text.toLowerCase()}`, raisedBy: line.owner, raisedUrl: agenda.url });
      }
    }
    for (const comment of agenda.comments ?? []) {
      if (!mayAdd(comment)) continue;
      for (const a of minutesActions(comment.body)) {
        added.push({ ...a, originKey: `minutes:${comment.id}:${a.owner.toLowerCase()}:${a.text.toLowerCase()}`, raisedBy: comment.author, raisedUrl: comment.url });
      }
    }
  }
  return { ticked: [...ticked].sort((a, b) => a - b), added };
}

/** The harvest applied in memory (a preview writes nothing): ticked items closed, added ones listed as new (number 0). */
export function withHarvest(actions: ActionItem[], harvest: Harvest, now: number): ActionItem[] {
  const ticked = new Set(harvest.ticked);
  const kept = actions.map((a) => (ticked.has(a.number) && a.closedAt === null ? { ...a, closedAt: now, closedBy: null, closedHow: 'ticked' as const } : a));
  const known = new Set(actions.map((a) => a.originKey));
  const fresh = harvest.added
    .filter((n) => !known.has(n.originKey))
    .map((n) => ({ number: 0, owner: n.owner, text: n.text, raisedAt: now, raisedBy: n.raisedBy, raisedUrl: n.raisedUrl ?? null, originKey: n.originKey, closedAt: null, closedBy: null, closedHow: null }));
  return [...kept, ...fresh];
}

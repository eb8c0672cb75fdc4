import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NetbotConfig } from '../config.js';
import type { AppServices } from '../core/services.js';
import { render } from '../templates.js';
import { triageStoreFor, type TriageIssue, type TriageStore } from './store.js';

const ROUTE = /^\/netbot\/starter-bugs\/([A-Za-z0-9-]{1,39})\/([A-Za-z0-9._-]{1,100}?)(\.json)?\/?$/;
const DAY_MS = 24 * 60 * 60 * 1000;
export const UNSORTED = 'unsorted';

export interface BoardBug {
  number: number;
  title: string;
  url: string;
  areas: string[];
  ageDays: number;
  claimedBy: string | null;
}

export interface BoardData {
  repo: string;
  generatedAt: string;
  /** The area filter applied, if any. */
  area: string | null;
  areas: { key: string; name: string; bugs: BoardBug[] }[];
  /** Open bugs the score was unsure about (no label): for triagers to settle with `/lhf` or `/not-lhf`. */
  maybe: BoardBug[];
}

/** Pure: the board's content from the stored bugs, grouped by area (a bug in two areas shows in both). */
export function buildBoard(repo: string, bugs: TriageIssue[], config: NetbotConfig, now: Date, area: string | null, maybe: TriageIssue[] = []): BoardData {
  const row = (b: TriageIssue): BoardBug => ({
    number: b.number,
    title: b.title,
    url: /^https:\/\//.test(b.url) ? b.url : '#', // only web links: never a javascript: URL
    areas: b.areas,
    ageDays: Math.max(0, Math.floor((now.getTime() - Date.parse(b.createdAt)) / DAY_MS)),
    claimedBy: b.claimedBy,
  });
  const rows = bugs.map(row);
  const groups = [
    ...Object.entries(config.subteams).map(([key, t]) => ({ key, name: t.name, bugs: rows.filter((r) => r.areas.includes(key)) })),
    { key: UNSORTED, name: 'No area yet', bugs: rows.filter((r) => !r.areas.some((a) => Object.hasOwn(config.subteams, a))) },
  ];
  const inArea = (r: BoardBug) => !area || (area === UNSORTED ? !r.areas.some((a) => Object.hasOwn(config.subteams, a)) : r.areas.includes(area));
  return { repo, generatedAt: now.toISOString(), area, areas: groups.filter((g) => (area ? g.key === area : true)), maybe: maybe.map(row).filter(inArea) };
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): true {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // Only our own inline script and styles; nothing from issue text can run.
    ...(type === 'text/html' ? { 'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; base-uri 'none'" } : {}),
  });
  res.end(head ? undefined : body);
  return true;
}

/**
 * The starter-bug board: GET /netbot/starter-bugs/:owner/:repo (HTML; `.json` or `?format=json` for JSON,
 * `?area=l3` to filter). Built from the store only, so serving it costs no GitHub calls. Returns false
 * for paths that are not its own, so Probot's other handlers get them.
 */
export function boardHandler(services: AppServices) {
  const store = triageStoreFor(services);
  return (req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://board.invalid');
    if (!url.pathname.startsWith('/netbot/starter-bugs/')) return false;
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain', 'Method not allowed: the starter-bug board is read-only (GET or HEAD).\n', head);
    }
    const m = ROUTE.exec(url.pathname);
    if (!m) return send(res, 404, 'text/plain', 'Not found. The board lives at /netbot/starter-bugs/OWNER/REPO (add .json for JSON).\n', head);
    return serveBoard(services, store, { owner: m[1]!, repo: m[2]! }, Boolean(m[3]) || url.searchParams.get('format') === 'json', url.searchParams.get('area'), res, head).catch((error) => {
      services.log?.error({ err: error }, 'triage: the board failed');
      return send(res, 500, 'text/plain', 'The starter-bug board failed to load; try again.\n', head);
    });
  };
}

async function serveBoard(services: AppServices, store: TriageStore, ref: { owner: string; repo: string }, json: boolean, requested: string | null, res: ServerResponse, head: boolean): Promise<true> {
  const known = await services.repos.byName(ref.owner, ref.repo);
  // A private repository's issue titles must not be served to anyone who asks: no board (and the same answer).
  if (!known || known.isPrivate !== false) {
    return send(res, 404, 'text/plain', `No starter-bug board for ${ref.owner}/${ref.repo}: netbot has not seen this repository or it is private (install the app, or run \`netbot triage --backfill ${ref.owner}/${ref.repo}\`).\n`, head);
  }
  const config = (known.config !== undefined && services.configs.parseStored(known.config)) || services.configs.defaults;
  if (!config.triage.enabled) return send(res, 404, 'text/plain', `No starter-bug board for ${ref.owner}/${ref.repo}: triage is turned off in its config.\n`, head);
  const area = requested && (Object.hasOwn(config.subteams, requested) || requested === UNSORTED) ? requested : null;
  const board = buildBoard(`${known.owner}/${known.repo}`, await store.openLhf(known.repoId), config, services.now(), area, await store.openMaybe(known.repoId));
  if (json) return send(res, 200, 'application/json', `${JSON.stringify(board, null, 2)}\n`, head);
  // A page filtered on the server still offers every area, as links (its sections are not in the page).
  const allAreas = [...Object.entries(config.subteams).map(([key, t]) => ({ key, name: t.name })), { key: UNSORTED, name: 'No area yet' }];
  const html = render('triage/board.html.njk', { board, allAreas, lhfLabel: config.labels.lowHangingFruit, total: new Set(board.areas.flatMap((a) => a.bugs.map((b) => b.number))).size });
  return send(res, 200, 'text/html', html, head);
}

// The JSON report shared by `netbot conformance` and `netbot migrations test`. The app's checks feature
// reads it (in a child process over a pull request's tree) to make check runs with annotations, so the
// shape is a contract: change it only by adding optional fields.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const CaseStatusSchema = z.enum(['passed', 'failed', 'skipped']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** Where a case's subject lives; `path` is relative to the repository root, lines are 1-based. */
export const LocationSchema = z.object({
  path: z.string().min(1),
  start_line: z.number().int().positive(),
  end_line: z.number().int().positive(),
});
export type Location = z.infer<typeof LocationSchema>;

export const CaseSchema = z.object({
  /** Stable across runs, e.g. `reference/networks.create.bulk_rollback` or `walk/grizzly/grizzly_lbaas`. */
  id: z.string().min(1),
  title: z.string(),
  /** A plugin name (conformance) or a release / phase (migrations). */
  group: z.string(),
  status: CaseStatusSchema,
  duration_ms: z.number().nonnegative(),
  /** Why it failed, or why it was skipped. */
  message: z.string().optional(),
  location: LocationSchema.optional(),
});
export type Case = z.infer<typeof CaseSchema>;

export const SummarySchema = z.object({
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type Summary = z.infer<typeof SummarySchema>;

/** Per-group totals (one per plugin, or per release), in run order. */
export const GroupSchema = z.object({
  name: z.string(),
  ...SummarySchema.shape,
  duration_ms: z.number().nonnegative(),
  /** Free text, e.g. a skipped plugin's reason. */
  note: z.string().optional(),
});
export type Group = z.infer<typeof GroupSchema>;

export const ReportSchema = z.object({
  suite: z.enum(['conformance', 'migrations']),
  tool: z.literal('netbot'),
  version: z.string(),
  started_at: z.string(),
  duration_ms: z.number().nonnegative(),
  summary: SummarySchema,
  groups: z.array(GroupSchema).optional(),
  cases: z.array(CaseSchema),
});
export type Report = z.infer<typeof ReportSchema>;

export function summarize(cases: readonly Pick<Case, 'status'>[]): Summary {
  const s: Summary = { passed: 0, failed: 0, skipped: 0 };
  for (const c of cases) s[c.status]++;
  return s;
}

/** Groups in first-seen order with their totals. */
export function groupsOf(cases: readonly Case[]): Group[] {
  const byName = new Map<string, Group>();
  for (const c of cases) {
    let g = byName.get(c.group);
    if (!g) byName.set(c.group, (g = { name: c.group, passed: 0, failed: 0, skipped: 0, duration_ms: 0 }));
    g[c.status]++;
    g.duration_ms += c.duration_ms;
  }
  return [...byName.values()];
}

/** Assembles a report from finished cases; `startedAt` is when the run began. */
export function buildReport(suite: Report['suite'], startedAt: Date, cases: Case[], groups: Group[] = groupsOf(cases)): Report {
  return {
    suite,
    tool: 'netbot',
    version: netbotVersion(),
    started_at: startedAt.toISOString(),
    duration_ms: Date.now() - startedAt.getTime(),
    summary: summarize(cases),
    groups,
    cases,
  };
}

export function writeReport(file: string, report: Report): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(ReportSchema.parse(report), null, 2) + '\n');
}

/** Reads and validates a report (throws a zod error naming the bad field). */
export function readReport(file: string): Report {
  return ReportSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** A plain-text table: one row per group, a total, then each failed case with its message and location. */
export function formatSummary(report: Report): string {
  const groups = report.groups ?? groupsOf(report.cases);
  const rows = [['group', 'passed', 'failed', 'skipped', 'time'], ...groups.map((g) => [g.name, String(g.passed), String(g.failed), String(g.skipped), seconds(g.duration_ms)])];
  const s = report.summary;
  rows.push(['total', String(s.passed), String(s.failed), String(s.skipped), seconds(report.duration_ms)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1, -1).map(line), widths.map((w) => '-'.repeat(w)).join('  '), line(rows.at(-1)!)];
  const failed = report.cases.filter((c) => c.status === 'failed');
  if (failed.length > 0) {
    out.push('', `${failed.length} failed:`);
    for (const c of failed) {
      const where = c.location ? ` (${c.location.path}:${c.location.start_line})` : '';
      out.push(`  FAIL ${c.id}${where}`, ...(c.message ? c.message.split('\n').map((m) => `       ${m}`) : []));
    }
  }
  return out.join('\n');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

let cachedVersion: string | undefined;
/** netbot's package version, from the repository root's package.json. */
export function netbotVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const pkg = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { version?: string };
    cachedVersion = pkg.version ?? '0.0.0';
  } catch {
    cachedVersion = '0.0.0';
  }
  return cachedVersion;
}

/** The repository root (nearest folder up with a package.json; works from src/ and from lib/src/), for repo-relative locations. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  return process.cwd();
}

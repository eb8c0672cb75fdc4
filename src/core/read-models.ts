/**
 * What one room publishes for others to read (the agenda reads them all), without one room importing
 * another: a room sets its provider on `services.readModels` when it registers; a reader treats a missing
 * provider as "no data yet" (the room is not installed, or not built).
 */
export interface ReadModels {
  /** Routing: each reviewer's open review requests (lower-case login -> count), and the capacity configured. */
  reviewLoad?(repoId: number): Promise<Map<string, number>>;
  /** Triage: starter bugs claimed and released in a window (from the claims history). */
  starterClaims?(repoId: number, since: Date, until: Date): Promise<{ claimed: number[]; released: number[] }>;
  /** Checks: per plugin and suite, the window's runs, pass rate and flaky cases. */
  gateHealth?(repoId: number, since: Date, until: Date): Promise<SuiteHealth[]>;
}

export interface SuiteHealth {
  /** `conformance` (one per plugin) or `migrations`. */
  suite: 'conformance' | 'migrations';
  /** The plugin for conformance runs; null for the migration test. */
  plugin: string | null;
  /** Completed runs in the window (cancelled ones not counted). */
  runs: number;
  passed: number;
  failed: number;
  /** passed / runs, 0..1 (1 when there were no runs). */
  passRate: number;
  /** Cases that failed and then passed on the same commit in the window, most often first. */
  flakyCases: { id: string; flakes: number }[];
}

import { resolve } from 'node:path';

/** The server's limits on running pull requests' code: the operator's, never a repository's, to set. */
export interface RunnerSettings {
  /** Where checkouts (one folder per job, removed after) and the dependency cache live. */
  dir: string;
  /** Check jobs one worker process runs at once. */
  concurrency: number;
  /** Wall time of each step (install, build, each suite) before it is killed; also its CPU-time limit. */
  timeoutMs: number;
  /** Output (stdout and stderr) one step may print before it is killed. */
  outputBytes: number;
  /** Memory (data segment) each process of a step may use. */
  memoryBytes: number;
  /** The npm registry the install step may reach (nothing else; over HTTPS). */
  registry: string;
  /** Largest tarball accepted, and the most its files may unpack to. */
  tarballBytes: number;
  unpackedBytes: number;
}

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** From the environment (NETBOT_CHECKS_*), with defaults for one machine. */
export function runnerSettings(env: NodeJS.ProcessEnv = process.env): RunnerSettings {
  return {
    dir: resolve(env.NETBOT_CHECKS_DIR || './data/checks'),
    concurrency: Math.floor(positive(env.NETBOT_CHECKS_CONCURRENCY, 1)),
    timeoutMs: positive(env.NETBOT_CHECKS_TIMEOUT_S, 1200) * 1000,
    outputBytes: positive(env.NETBOT_CHECKS_OUTPUT_KB, 2048) * 1024,
    memoryBytes: positive(env.NETBOT_CHECKS_MEMORY_MB, 4096) * 1024 * 1024,
    registry: env.NETBOT_CHECKS_REGISTRY || 'https://registry.npmjs.org/',
    tarballBytes: 200 * 1024 * 1024,
    unpackedBytes: 1024 * 1024 * 1024,
  };
}

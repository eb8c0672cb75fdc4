import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';

/** A folder of the host seen inside the sandbox. */
export interface Mount {
  from: string;
  to: string;
  writable?: boolean;
}

export interface SandboxSpec {
  command: string[];
  /** The working directory inside. */
  cwd: string;
  mounts: Mount[];
  env?: Record<string, string>;
}

export interface SandboxLimits {
  timeoutMs: number;
  /** CPU time of each process; default: the timeout's. */
  cpuSeconds?: number;
  outputBytes: number;
  memoryBytes: number;
}

export interface SandboxResult {
  /** The exit code, or null when killed. */
  code: number | null;
  /** Why it was stopped, when it was. */
  stopped?: 'timeout' | 'output' | 'cancelled';
  /** The last part of what it printed (stdout and stderr interleaved). */
  output: string;
  durationMs: number;
}

const OUTPUT_TAIL = 32 * 1024;

/** The host's toolchain the sandbox sees read-only: /usr, the merged-/usr links, Node's own prefix, TLS roots. */
function toolchainArgs(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    if (!existsSync(top)) continue;
    if (lstatSync(top).isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
    else args.push('--ro-bind', top, top);
  }
  // Node installed outside /usr (nvm, /opt): its prefix, and nothing else of that tree.
  const prefix = dirname(dirname(process.execPath));
  if (!prefix.startsWith('/usr') && prefix !== '/') args.push('--ro-bind', prefix, prefix);
  for (const etc of ['/etc/ssl', '/etc/ca-certificates']) if (existsSync(etc)) args.push('--ro-bind', etc, etc);
  return args;
}

/**
 * bubblewrap's arguments: every namespace unshared (no network: not even the host's loopback), no inherited
 * environment, uid nobody, a new session, killed with its parent; only the toolchain and the given mounts are
 * visible (binding `/` whole would expose what the app can read: its key, its .env, its store).
 */
export function bwrapArgs(spec: SandboxSpec): string[] {
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv', '--unshare-user', '--uid', '65534', '--gid', '65534', '--hostname', 'sandbox'];
  args.push(...toolchainArgs(), '--proc', '/proc', '--dev', '/dev');
  for (const m of spec.mounts) args.push(m.writable ? '--bind' : '--ro-bind', m.from, m.to);
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', ...spec.env };
  for (const [k, v] of Object.entries(env)) args.push('--setenv', k, v);
  args.push('--chdir', spec.cwd, '--', ...spec.command);
  return args;
}

let available: boolean | undefined;
/** Whether bubblewrap runs here (installed, and allowed to make namespaces). */
export function sandboxAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync('bwrap', bwrapArgs({ command: ['/bin/true'], cwd: '/', mounts: [] }), { stdio: 'ignore', timeout: 10_000 });
    available = probe.status === 0;
  }
  return available;
}

/**
 * Runs a command in the sandbox, with a CPU-time limit (the step's timeout) and a memory limit on each of its
 * processes (prlimit), a wall-clock timeout and an output limit; `signal` kills it (a new push cancels the run).
 */
export function runSandboxed(spec: SandboxSpec, limits: SandboxLimits, opts: { signal?: AbortSignal; onOutput?: (text: string) => void } = {}): Promise<SandboxResult> {
  const started = performance.now();
  const cpuSeconds = limits.cpuSeconds ?? Math.max(1, Math.ceil(limits.timeoutMs / 1000));
  const argv = [`--cpu=${cpuSeconds}`, `--data=${limits.memoryBytes}`, '--', 'bwrap', ...bwrapArgs(spec)];
  return new Promise((resolve) => {
    // bwrap's own init (pid 1 inside) keeps the environment it was started with: nothing of the app's.
    const child = spawn('prlimit', argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, detached: true });
    let tail = '';
    let printed = 0;
    let stopped: SandboxResult['stopped'];
    const stop = (why: NonNullable<SandboxResult['stopped']>) => {
      if (stopped) return;
      stopped = why;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // bwrap and all it started (its own pid namespace dies with it)
      } catch {
        child.kill('SIGKILL');
      }
    };
    const take = (chunk: Buffer) => {
      printed += chunk.length;
      if (printed > limits.outputBytes) return stop('output');
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-OUTPUT_TAIL);
      opts.onOutput?.(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => stop('timeout'), limits.timeoutMs);
    const onAbort = () => stop('cancelled');
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code: stopped ? null : code, stopped, output: tail, durationMs: performance.now() - started });
    };
    child.on('error', (error) => {
      tail += `\nnetbot could not start the sandbox: ${error.message}`;
      settle(127);
    });
    child.on('close', settle);
  });
}

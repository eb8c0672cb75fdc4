import { sign } from '@octokit/webhooks-methods';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
// Inside the repository, so the compiled code resolves node_modules.
const out = join(root, 'node_modules/.cache/netbot-app-processes');
export const WEBHOOK_SECRET = 'multi-process-secret';

/**
 * Compiles the app and bench/support/app-process.ts (tsc; about 20 s on two cores), unless the last compile
 * saw the same sources: test files running at once take turns (a lock directory) and share the output.
 */
export async function compileApp(): Promise<void> {
  const lock = `${out}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (const started = Date.now(); ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > 180_000) rmSync(lock, { recursive: true, force: true }); // a run killed while holding it
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    const stamp = sourcesStamp();
    const stampFile = join(out, '.sources');
    if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
    const dir = mkdtempSync(join(tmpdir(), 'netbot-procs-'));
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({ extends: join(root, 'tsconfig.json'), compilerOptions: { outDir: out, rootDir: root, sourceMap: false, noEmitOnError: false }, include: [join(root, 'src'), join(root, 'bench/support/app-process.ts')] }),
    );
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig]).catch(() => undefined); // emits despite type errors elsewhere
    writeFileSync(stampFile, stamp);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Every source file the compile reads, with its size and modification time. */
function sourcesStamp(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(root, 'src'));
  walk(join(root, 'bench/support'));
  return createHash('sha256')
    .update(files.sort().map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`).join('\n'))
    .digest('hex');
}

/** One app process (bench/support/app-process.ts) serving webhooks, with its stdin commands. */
export class AppProcess {
  private seq = 0;
  private readonly pending = new Map<number, (reply: { ok: boolean; result?: unknown; error?: string }) => void>();
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const reply = JSON.parse(line) as { id?: number; ok: boolean };
      if (reply.id !== undefined) this.pending.get(reply.id)?.(reply);
    });
  }

  static start(env: Record<string, string>): Promise<AppProcess> {
    const child = spawn(process.execPath, [join(out, 'bench/support/app-process.js')], {
      cwd: root,
      env: { ...process.env, WEBHOOK_SECRET, NETBOT_WORKER: 'false', ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    return new Promise((ok, fail) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        lines.close();
        ok(new AppProcess(child, `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`));
      });
      child.once('exit', (code) => fail(new Error(`the app process exited with ${code}`)));
    });
  }

  /** Delivers a webhook as GitHub does: signed, with its delivery id. Resolves with the HTTP status. */
  async deliver(name: string, payload: unknown, id: string): Promise<number> {
    const body = JSON.stringify(payload);
    const res = await fetch(`${this.url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': name, 'x-github-delivery': id, 'x-hub-signature-256': await sign(WEBHOOK_SECRET, body) },
      body,
    });
    await res.text();
    return res.status;
  }

  /** Runs a stdin command (clock, tick, drain) and resolves with its result. */
  command(command: { clock?: string; tick?: string; drain?: boolean }): Promise<unknown> {
    const id = ++this.seq;
    return new Promise((ok, fail) => {
      this.pending.set(id, (reply) => (reply.ok ? ok(reply.result) : fail(new Error(reply.error))));
      this.child.stdin!.write(`${JSON.stringify({ ...command, id })}\n`);
    });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

import { Command } from 'commander';
import nock from 'nock';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { fakeAgendaGitHub, type FakeGitHub } from '../../bench/support/agenda-github.js';
import { registerAgendaCli } from '../../src/agenda/cli.js';
import { busyRepo } from './support.js';

let github: FakeGitHub;
const saved = { ...process.env };

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-30T16:00:00Z'), toFake: ['Date'] });
  process.env.GITHUB_TOKEN = 'ghp_test';
  process.env.NETBOT_DB = ':memory:';
  delete process.env.DATABASE_URL;
  github = fakeAgendaGitHub(busyRepo(new Date(), { issues: 40, pulls: 8 }), { installationToken: false });
});
afterEach(() => {
  vi.useRealTimers();
  process.env = { ...saved };
  github.stop();
  nock.cleanAll();
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const program = new Command('netbot').exitOverride();
    registerAgendaCli(program);
    await program.parseAsync(['node', 'netbot', 'agenda', ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return { out: out.join(''), err: err.join('\n') };
}

test('`netbot agenda owner/repo --dry-run` prints the next agenda with a token, in one GitHub request, writing nothing', async () => {
  const { out, err } = await run('netcore/netcore', '--dry-run'); // the bar draws on a terminal only (stderr is not one here)
  expect(err).toContain("netbot has no config of netcore/netcore on record: using the defaults");
  expect(out).toContain('# Team meeting 2026-12-07'); // the default schedule: Mondays 12:00 UTC
  expect(out).toContain('- Open: **40**');
  expect(github.calls).toEqual(['POST /graphql Agenda']);
  expect(github.repo.items.some((i) => i.labels.includes('meeting-agenda'))).toBe(false);
});

test('without --dry-run it refuses: posting is the scheduled job\'s', async () => {
  await expect(run('netcore/netcore')).rejects.toThrow(/--dry-run/);
  expect(github.calls).toEqual([]);
});

import { parseConfig, type NetbotConfig } from '../../src/config.js';
import { fakeRepo, type FakeItem, type FakeRepo } from '../../bench/support/agenda-github.js';

export const OWNER = 'netcore';
export const REPO = 'netcore';
export const REPO_ID = 1296269;
export const DAY = 86_400_000;

/** A config with the agenda on (Tuesdays 14:00 UTC, posted 24 h ahead) and people in the subteams. */
export function agendaConfig(agenda: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): NetbotConfig {
  const result = parseConfig({
    maintainers: ['markmcclain'],
    triagers: ['triager-sam'],
    subteams: {
      l3: { name: 'L3', label: 'area/l3', color: '0e8a16', leads: ['carl-baldwin'], backups: ['amuller'] },
      db: { name: 'DB', label: 'area/db', color: '5319e7', leads: ['zzzeek'], backups: ['ihrachys'] },
      lbaas: { name: 'LBaaS', label: 'area/lbaas', color: 'fbca04', leads: ['dougwig'] },
      ipv6: { name: 'IPv6', label: 'area/ipv6', color: 'c5def5', leads: ['sc68cal'] },
    },
    agenda: { enabled: true, schedule: '0 14 * * 2', timezone: 'UTC', chair: 'markmcclain', place: '#openstack-meeting on OFTC', ...agenda },
    ...extra,
  });
  if (!result.ok) throw new Error(`bad test config: ${JSON.stringify(result.problems)}`);
  return result.config;
}

const AREAS = ['area/l3', 'area/db', 'area/lbaas', 'area/ipv6'];
const PRIORITIES = ['critical', 'high', 'medium', 'low'];
/** Real-sounding Neutron bug titles (Launchpad, 2013-2014), cycled through the generated issues. */
const TITLES = [
  'DVR: floating IP not reachable after router migration',
  'Deadlock in ML2 port binding during concurrent port updates',
  'LBaaS haproxy driver leaves stale namespaces after pool delete',
  'IPv6 SLAAC subnet gets no router advertisement from radvd',
  'neutron-db-manage upgrade fails on PostgreSQL: duplicate key',
  'Security group rules not applied when port is updated quickly',
  'L3 agent fails to add external gateway when subnet has no gateway_ip',
  'dhcpv6-stateful address not released when port is deleted',
];

/**
 * A deterministic repository of `issues` issues and `pulls` pull requests over the weeks before `now`: areas,
 * priorities, assignees, reviews and failing checks spread as in a busy project. `week` of them are new.
 */
export function busyRepo(now: Date, opts: { issues: number; pulls: number; closedThisWeek?: number } = { issues: 120, pulls: 30 }): FakeRepo {
  const items: FakeItem[] = [];
  let number = 1000;
  for (let i = 0; i < opts.issues; i++) {
    const ageDays = (i * 37) % 400;
    const labels = [AREAS[i % 4]!, ...(i % 3 === 0 ? [PRIORITIES[i % 4]!] : []), ...(i % 11 === 0 ? ['needs-triage'] : []), ...(i % 13 === 0 ? ['low-hanging-fruit'] : [])];
    items.push({
      number: ++number,
      title: `${TITLES[i % TITLES.length]} (${i})`,
      isPull: false,
      state: 'open',
      createdAt: new Date(now.getTime() - ageDays * DAY - 3_600_000).toISOString(),
      labels,
      assignees: i % 5 === 0 ? [] : ['amuller'],
      author: `user${i % 17}`,
    });
  }
  for (let i = 0; i < (opts.closedThisWeek ?? 6); i++) {
    items.push({
      number: ++number,
      title: `Closed this week: ${TITLES[i % TITLES.length]}`,
      isPull: false,
      state: 'closed',
      stateReason: 'completed',
      createdAt: new Date(now.getTime() - 30 * DAY).toISOString(),
      closedAt: new Date(now.getTime() - (i % 6) * DAY - 3_600_000).toISOString(),
      labels: [AREAS[i % 4]!, ...(i % 2 ? ['low-hanging-fruit'] : [])],
      assignees: ['amuller'],
      author: 'user1',
    });
  }
  for (let i = 0; i < opts.pulls; i++) {
    items.push({
      number: ++number,
      title: `Fix: ${TITLES[(i + 3) % TITLES.length]}`,
      isPull: true,
      state: 'open',
      createdAt: new Date(now.getTime() - ((i * 5) % 60) * DAY - 7_200_000).toISOString(),
      labels: [AREAS[i % 4]!],
      assignees: [],
      author: `contributor${i % 9}`,
      draft: i % 10 === 9,
      reviews: i % 3 === 0 ? 0 : 2,
      checks: i % 4 === 0 ? 'failure' : 'success',
    });
  }
  return fakeRepo({
    owner: OWNER,
    name: REPO,
    databaseId: REPO_ID,
    items,
    labels: ['meeting-agenda', ...AREAS, ...PRIORITIES, 'needs-triage', 'low-hanging-fruit', 'announcement'],
    milestones: [
      { number: 3, title: 'Kilo-1', dueOn: new Date(now.getTime() + 9 * DAY).toISOString().slice(0, 10) + 'T00:00:00Z' },
      { number: 4, title: 'Kilo-2', dueOn: new Date(now.getTime() + 51 * DAY).toISOString().slice(0, 10) + 'T00:00:00Z' },
    ],
  });
}

import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { routingStoreFor } from '../../src/routing/store.js';
import { createServices, type AppServices } from '../../src/services.js';
import { triageStoreFor } from '../../src/triage/store.js';
import { examplePayload } from '../helpers/payloads.js';
import { createTestBot } from '../helpers/probot.js';

// A store netbot 0.1 wrote through its own code (test/fixtures/legacy-store/README.md): upgrading loses nothing.
const FIXTURE = readFileSync(new URL('../fixtures/legacy-store/legacy-store-0.1.sql', import.meta.url), 'utf8');
let file: string;
let services: AppServices | undefined;

beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'netbot-legacy-')), 'netbot.sqlite');
  const old = new Database(file);
  old.exec(FIXTURE);
  old.close();
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  nock.cleanAll();
});

test('every claim, veto, comment, link, welcome, review request, vacation and mark is carried over', async () => {
  services = await createServices(file);
  expect(services.legacyImport).toMatchObject({ repositories: 2, triage_issues: 3, triage_claims: 3, label_vetoes: 1, sticky_comments: 2, routing_review_requests: 3, routing_vacations: 1 });
  const netcore = (await services.repos.byName('netcore', 'NETCORE'))!;
  expect(netcore).toMatchObject({ owner: 'Netcore', repo: 'netcore', installationId: 42, isPrivate: false });
  expect(netcore.repoId).toBeLessThan(0); // provisional until a webhook names its real id
  expect((netcore.config as { triage: { claims: { staleDays: number } } }).triage.claims.staleDays).toBe(7);
  expect((await services.repos.byName('vendor', 'plugin-x'))?.isPrivate).toBe(true);

  const triage = triageStoreFor(services);
  const id = netcore.repoId;
  expect((await triage.openLhf(id)).map((b) => [b.number, b.claimedBy, b.claimPinned])).toEqual([
    [7, 'helper', true],
    [9, 'NewBie', false],
  ]);
  expect(await triage.get(id, 7)).toMatchObject({ title: 'Typo in router error message', areas: ['l3'], score: 0.75, createdAt: '2026-11-01T10:00:00.000Z' });
  expect(await triage.releasedByOther(id, 7, 'newbie')).toBe('markmcclain'); // a maintainer's decision, kept
  expect(await triage.openClaimsOf(id, 'NEWBIE')).toHaveLength(1);
  expect(await triage.hasLinkedPullRequest(id, 9)).toBe(true);
  expect(await triage.markWelcomed(id, 'newbie')).toBe(false);
  expect(await services.labels.isVetoed({ owner: 'Netcore', repo: 'netcore', repoId: id, issue_number: 7 }, 'low-hanging-fruit')).toBe(true);
  expect(await services.comments.has({ owner: 'Netcore', repo: 'netcore', repoId: id, issue_number: 8 }, 'welcome')).toBe(true); // deleted by a person: still withdrawn

  const routing = routingStoreFor(services);
  expect(await routing.load(id)).toEqual(new Map([['carl-baldwin', 2]]));
  expect((await routing.openRequests(id, 12))[0]).toMatchObject({ reviewer: 'Carl-Baldwin', requestedByBot: true, subteams: ['l3', 'db'] });
  expect(await routing.reviewedBy(id, 12)).toEqual(['amuller']);
  expect(await routing.vacations()).toEqual(new Set(['kevinbenton']));
  expect([...(await routing.marks(id, 12, 'unrouted')).keys()]).toEqual(['lbaas']);
  expect(await routing.routed(id, 12)).toEqual(['db', 'l3']);

  // Opened again: nothing more to import, nothing lost.
  await services.close();
  services = await createServices(file);
  expect(services.legacyImport).toBeUndefined();
  expect(await triageStoreFor(services).openLhf(id)).toHaveLength(2);
});

test('the first webhook from a repository moves its rows onto its real id', async () => {
  const bot = await createTestBot({ store: file });
  services = bot.services;
  const provisional = (await services.repos.byName('Netcore', 'netcore'))!.repoId;
  nock.cleanAll(); // a record handler: no GitHub call at all
  const payload = examplePayload('issues', 'reopened', () => true, (p) => {
    p.action = 'closed'; // (the examples have no issues.closed)
    p.repository = { ...p.repository, id: 555, name: 'netcore', full_name: 'Netcore/netcore', owner: { ...p.repository.owner, login: 'Netcore' } };
    Object.assign(p.issue, { number: 9, state: 'closed', labels: [{ name: 'low-hanging-fruit' }], assignees: [] });
    delete p.issue.pull_request;
  });
  await bot.receive('issues', payload);
  expect(await services.repos.get(provisional)).toBeUndefined();
  expect(await services.repos.get(555)).toMatchObject({ owner: 'Netcore', repo: 'netcore', installationId: 2 });
  const triage = triageStoreFor(services);
  expect(await triage.get(555, 7)).toMatchObject({ claimedBy: 'helper', claimPinned: true });
  expect((await triage.get(555, 9))?.state).toBe('closed');
  expect(await triage.openLhf(provisional)).toEqual([]);
  expect(await routingStoreFor(services).load(555)).toEqual(new Map([['carl-baldwin', 2]]));
  expect(await services.labels.isVetoed({ owner: 'Netcore', repo: 'netcore', repoId: 555, issue_number: 7 }, 'low-hanging-fruit')).toBe(true);
});

import nock from 'nock';

/**
 * A nock-mocked GitHub that answers whatever the app asks with plausible shapes, and counts calls by
 * "METHOD /route". Used by the benchmarks: no real network connection is ever made.
 */
export function fakeGitHub(opts: { prFiles?: number } = {}) {
  nock.disableNetConnect();
  const calls = new Map<string, number>();
  /** Every request in order, as sent: what a baseline app can replay to make exactly the same calls. */
  const log: { method: string; path: string; body: unknown }[] = [];
  const count = (method: string, path: string, body?: unknown) => {
    const route = `${method} ${path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:n')}`;
    calls.set(route, (calls.get(route) ?? 0) + 1);
    log.push({ method, path, body: typeof body === 'string' && body ? JSON.parse(body) : body || undefined });
  };
  const files = Array.from({ length: opts.prFiles ?? 40 }, (_, i) => ({
    sha: 'abc',
    filename: i % 4 === 0 ? `src/netcore/db/migrations/m${i}.ts` : i % 4 === 1 ? `src/netcore/l3/router${i}.ts` : `docs/page${i}.md`,
    status: 'modified',
    additions: 3,
    deletions: 1,
    changes: 4,
    patch: '@@ -1,3 +1,4 @@\n line\n+const gateway = "2001:db8::1";\n line',
  }));
  const scope = nock('https://api.github.com')
    .persist()
    .post(/\/app\/installations\/\d+\/access_tokens/)
    .reply(200, { token: 'bench-token', expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {} })
    .get(/.*/)
    .reply(function (uri, body) {
      count('GET', uri, body);
      if (uri.includes('/contents/')) return [404, { message: 'Not Found' }];
      if (uri.includes('/pulls/') && uri.includes('/files')) return [200, files];
      if (uri.includes('/collaborators/') && uri.endsWith('/permission')) return [200, { permission: 'read', role_name: 'read' }];
      if (/\/(comments|labels|reviews|requested_reviewers|events|timeline)(\?|$)/.test(uri)) return [200, []];
      if (uri.includes('/search/')) return [200, { total_count: 0, items: [] }];
      return [200, {}];
    })
    .post(/.*/)
    .reply(function (uri, body) {
      count('POST', uri, body);
      return [201, { id: 1, number: 1 }];
    })
    .patch(/.*/)
    .reply(function (uri, body) {
      count('PATCH', uri, body);
      return [200, { id: 1 }];
    })
    .put(/.*/)
    .reply(function (uri, body) {
      count('PUT', uri, body);
      return [200, {}];
    })
    .delete(/.*/)
    .reply(function (uri, body) {
      count('DELETE', uri, body);
      return [204, ''];
    });
  return {
    calls,
    log,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    reset: () => {
      calls.clear();
      log.length = 0;
    },
    stop: () => {
      scope.persist(false);
      nock.cleanAll();
      nock.enableNetConnect(); // what runs next may talk to real servers on loopback
    },
  };
}

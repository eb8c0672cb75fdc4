import nock from 'nock';

/**
 * A nock-mocked GitHub that answers whatever the app asks with plausible shapes, and counts calls by
 * "METHOD /route". Used by the benchmarks: no real network connection is ever made.
 */
export function fakeGitHub(opts: { prFiles?: number } = {}) {
  nock.disableNetConnect();
  const calls = new Map<string, number>();
  const count = (method: string, path: string) => {
    const route = `${method} ${path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:n')}`;
    calls.set(route, (calls.get(route) ?? 0) + 1);
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
    .reply(function (uri) {
      count('GET', uri);
      if (uri.includes('/contents/')) return [404, { message: 'Not Found' }];
      if (uri.includes('/pulls/') && uri.includes('/files')) return [200, files];
      if (uri.includes('/collaborators/') && uri.endsWith('/permission')) return [200, { permission: 'read', role_name: 'read' }];
      if (/\/(comments|labels|reviews|requested_reviewers|events|timeline)(\?|$)/.test(uri)) return [200, []];
      if (uri.includes('/search/')) return [200, { total_count: 0, items: [] }];
      return [200, {}];
    })
    .post(/.*/)
    .reply(function (uri) {
      count('POST', uri);
      return [201, { id: 1, number: 1 }];
    })
    .patch(/.*/)
    .reply(function (uri) {
      count('PATCH', uri);
      return [200, { id: 1 }];
    })
    .put(/.*/)
    .reply(function (uri) {
      count('PUT', uri);
      return [200, {}];
    })
    .delete(/.*/)
    .reply(function (uri) {
      count('DELETE', uri);
      return [204, ''];
    });
  return {
    calls,
    total: () => [...calls.values()].reduce((a, b) => a + b, 0),
    reset: () => calls.clear(),
    stop: () => {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}

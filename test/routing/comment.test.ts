import { expect, test } from 'vitest';
import { decideRouting } from '../../src/routing/decide.js';
import { commentView } from '../../src/routing/view.js';
import { render } from '../../src/templates.js';
import { file, patchOf, routingConfig } from './fixtures.js';

const base = {
  labels: [] as string[],
  author: 'newcomer',
  load: new Map<string, number>(),
  vacation: new Set<string>(),
  alreadyRequested: [] as string[],
  alreadyReviewed: [] as string[],
  humanRemoved: new Set<string>(),
  seed: 7,
};

test('hostile file names and lines are escaped: no markup, no mention, no HTML', () => {
  const config = routingConfig();
  const files = [file('src/netcore/db/<img src=x onerror=alert(1)>@netcore/admins.ts'), file('docs/[x](javascript:alert(1)).md', patchOf('+ipv6 ready'))];
  const body = render('routing/comment.md.njk', commentView(decideRouting({ ...base, config, files }), config));
  expect(body).not.toContain('<img');
  expect(body).not.toMatch(/@netcore/);
  expect(body).not.toContain('](javascript');
  expect(body).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;@\u200dnetcore/admins.ts');
});

test('more than five reasons show the first five and "and N more"', () => {
  const config = routingConfig();
  const files = Array.from({ length: 8 }, (_, i) => file(`src/netcore/lbaas/m${i}.ts`));
  const body = render('routing/comment.md.njk', commentView(decideRouting({ ...base, config, files }), config));
  expect(body.match(/matches the path/g)).toHaveLength(5);
  expect(body).toContain('  - and 3 more');
});

test('no subteam and no default reviewers: the comment says nobody was asked and how to fix it', () => {
  const config = routingConfig({ routing: { defaultReviewers: [] } });
  const body = render('routing/comment.md.njk', commentView(decideRouting({ ...base, config, files: [file('README.md')] }), config));
  expect(body).toContain('No subteam matched this pull request, so it goes to the default reviewers.');
  expect(body).toContain('No default reviewers are configured (`routing.defaultReviewers`), so nobody was asked');
  expect(body).not.toContain('Review requested from');
});

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const index = require('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, unknown>[] }[];

export const TEST_INSTALLATION_ID = 2;
/** The examples' Codertocat/Hello-World was recreated over the years (three ids); the tests' repository is one. */
export const TEST_REPO_ID = 186853002;

/**
 * A real GitHub webhook payload from @octokit/webhooks-examples, deep-copied, with the test installation set
 * (many examples lack one; the rest get the one the token mock answers for) and `patch` applied on top for the fields a test cares about.
 */
export function examplePayload<T = any>(event: string, action?: string, pick: (p: any) => boolean = () => true, patch: (p: any) => void = () => {}): T {
  const group = index.find((e) => e.name === event);
  if (!group) throw new Error(`no example payloads for event ${event}`);
  const found = group.examples.find((p) => (action === undefined || p.action === action) && pick(p));
  if (!found) throw new Error(`no example payload for ${event}.${action ?? '*'}`);
  const payload = structuredClone(found) as any;
  payload.installation = { id: TEST_INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==' };
  if (payload.repository?.full_name === 'Codertocat/Hello-World') payload.repository.id = TEST_REPO_ID;
  patch(payload);
  return payload as T;
}

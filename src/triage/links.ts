import { repoKey, type RepoRef } from '../github/types.js';

/** Issue references that link a pull request to the bug it fixes, as GitHub reads them (colon, any case, `owner/repo#N`). */
const LINKS = /\b(?:fix(?:e[sd])?|close[sd]?|resolve[sd]?|related-bug|partial-bug|closes-bug)[ \t]*:?[ \t]*([\w.-]{1,100}\/[\w.-]{1,100})?#(\d{1,7})\b/gi;

export function linkedIssueNumbers(body: string | null | undefined, repo?: RepoRef): number[] {
  const here = repo && repoKey(repo);
  const refs = [...String(body ?? '').slice(0, 64_000).matchAll(LINKS)].filter((m) => !m[1] || m[1].toLowerCase() === here);
  return [...new Set(refs.map((m) => Number(m[2])))];
}

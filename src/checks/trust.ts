/** The label a maintainer adds to approve an untrusted author's head commit (as `/ok-to-test` does). */
export const OK_TO_TEST_LABEL = 'ok-to-test';

/** Author associations whose pull requests run at once (GitHub's `author_association`). */
const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

export interface TrustInput {
  author: string;
  /** GitHub's `author_association` of the pull request. */
  association: string;
  /** Whether the author is a maintainer (config `maintainers`, or write access). */
  authorIsMaintainer: boolean;
  trustedAuthors: readonly string[];
  headSha: string;
  /** Who approved this head commit (`/ok-to-test` or the label), if anyone. */
  approvedBy?: string;
}

export type TrustDecision = { trusted: true; reason: string } | { trusted: false; reason: string };

/**
 * Whether code from a pull request may run (pure): its author is trusted (association OWNER, MEMBER or
 * COLLABORATOR, a maintainer, or in `checks.trustedAuthors`), or a maintainer approved this very head commit.
 * An approval is for one commit: a new push needs another (Prow keeps it across pushes; netbot does not).
 */
export function decideTrust(input: TrustInput): TrustDecision {
  const short = input.headSha.slice(0, 7);
  if (TRUSTED_ASSOCIATIONS.has(input.association)) return { trusted: true, reason: `@${input.author} is a ${input.association.toLowerCase()} of the repository` };
  if (input.authorIsMaintainer) return { trusted: true, reason: `@${input.author} is a maintainer` };
  if (input.trustedAuthors.some((a) => a.toLowerCase() === input.author.toLowerCase())) return { trusted: true, reason: `@${input.author} is in checks.trustedAuthors` };
  if (input.approvedBy) return { trusted: true, reason: `@${input.approvedBy} approved commit ${short} for testing` };
  return { trusted: false, reason: `@${input.author} is not yet trusted here (association ${input.association.toLowerCase()}), and no maintainer has approved commit ${short}` };
}

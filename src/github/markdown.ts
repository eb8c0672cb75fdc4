/**
 * Makes untrusted text (issue titles, bodies, logins) safe to put inside a comment or page written by the
 * bot: no markup is injected, nobody is pinged, and nothing huge is echoed.
 */
const MD_SPECIALS = /[\\`*_{}[\]()#+!|~>-]/g;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Breaks @-mentions (user and team) with a zero-width joiner so GitHub does not notify anyone. */
export function breakMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, '@\u200d');
}

/** Plain text for inline use in Markdown: one line, escaped, unpinging, at most `max` characters. */
export function mdInline(text: unknown, max = 200): string {
  let s = String(text ?? '').replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return breakMentions(escapeHtml(s).replace(MD_SPECIALS, (c) => `\\${c}`));
}

/** A login shown without pinging (for lists of people who should not be notified). */
export function quietLogin(login: string): string {
  return `\`${login.replace(/`/g, '')}\``;
}

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

/** Bidirectional embeddings/overrides/isolates: a title must not reverse the text the bot writes after it. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Plain text for inline use in Markdown: one line, escaped, unpinging, at most `max` characters. */
export function mdInline(text: unknown, max = 200): string {
  let s = String(text ?? '').replace(BIDI_CONTROLS, '').replace(/[\r\n\t]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
  if (s.length > max) {
    const chars = Array.from(s.slice(0, 2 * max + 2)); // by code point (never half an emoji): 1-2 units each
    if (chars.length > max) s = `${chars.slice(0, max - 1).join('')}…`;
  }
  // No `&#39;` for apostrophes: its `#` is escaped below, so GitHub would show "Can&#39;t" literally.
  const noHtml = escapeHtml(s).replace(/&#39;/g, "'");
  return breakMentions(noHtml.replace(MD_SPECIALS, (c) => `\\${c}`));
}

/** A login shown without pinging (for lists of people who should not be notified). */
export function quietLogin(login: string): string {
  return `\`${login.replace(/`/g, '')}\``;
}

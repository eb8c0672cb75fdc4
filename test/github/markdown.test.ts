import { expect, test } from 'vitest';
import { mdInline } from '../../src/github/markdown.js';

test('an apostrophe or quote in a title shows as itself, not as a visible HTML entity', () => {
  // `&#39;` with its `#` escaped (`&\#39;`) is no longer an entity: GitHub would show "Can&#39;t".
  expect(mdInline("Can't create router")).toBe("Can't create router");
  expect(mdInline('say "hi"')).not.toMatch(/\\#/);
});

test('markup, HTML and mentions stay inert', () => {
  expect(mdInline('<script>x</script>')).toBe('&lt;script&gt;x&lt;/script&gt;');
  expect(mdInline('[x](javascript:alert(1))')).toBe('\\[x\\]\\(javascript:alert\\(1\\)\\)');
  expect(mdInline('ping @org/team and @bob')).toBe('ping @\u200dorg/team and @\u200dbob');
  expect(mdInline('&#64;bob')).toBe('&amp;\\#64;bob');
  expect(mdInline('mail a@b.com')).toContain('a@\u200db.com'); // harmless: still reads as the address
});

test('bidirectional overrides are dropped so a title cannot reverse the text the bot writes after it', () => {
  expect(mdInline('abc\u202Edef\u2066g\u2069')).toBe('abcdefg');
});

test('a long title is cut on a character boundary, never inside an emoji (no lone surrogate)', () => {
  const out = mdInline('😀'.repeat(250));
  expect(out.endsWith('…')).toBe(true);
  expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  expect(Array.from(out)).toHaveLength(200);
});

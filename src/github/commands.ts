/**
 * Comment commands: `/name args` at the start of a line, outside fenced or indented code blocks, block
 * quotes and HTML comments, as Prow and most bots read them. As in Prow, `- /claim` (a list item),
 * ` /claim` (indented) and `/claim.` (punctuation glued to the name) are not commands.
 */
export interface ParsedCommand {
  name: string;
  args: string[];
  /** 1-based line in the comment body. */
  line: number;
}

const COMMAND_LINE = /^\/([a-z][a-z0-9-]*)(?:[ \t]+(.*))?$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** Inline code spans: a `<!--` inside one opens no comment. */
const CODE_SPAN = /(`+)[^`]*?\1/g;

export function parseCommands(body: string | null | undefined): ParsedCommand[] {
  if (!body) return [];
  const out: ParsedCommand[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let fence: RegExp | null = null; // the line that closes the open fence
  let inHtmlComment = false;
  let previousBlank = true;
  lines.forEach((raw, index) => {
    let line = raw.replace(/\s+$/, '');
    if (fence) {
      if (fence.test(line)) fence = null;
      return;
    }
    if (inHtmlComment) {
      if (line.includes('-->')) inHtmlComment = false;
      return;
    }
    const fenceMatch = FENCE.exec(line);
    // CommonMark: a backtick fence's info string has no backtick (```code``` is inline code, not a fence).
    if (fenceMatch && !(fenceMatch[1]!.startsWith('`') && fenceMatch[2]!.includes('`'))) {
      const mark = fenceMatch[1]!;
      fence = new RegExp(`^ {0,3}${mark[0] === '`' ? '`' : '~'}{${mark.length},}\\s*$`);
      return;
    }
    if (line.trimStart().startsWith('<!--')) {
      inHtmlComment = !line.includes('-->');
      return;
    }
    // An HTML comment opened mid-line hides the rest of the line and the lines up to its end.
    const opened = stripHtmlComments(line);
    if (opened.unclosed) inHtmlComment = true;
    line = opened.text;
    const isIndentedCode = previousBlank && /^( {4}|\t)/.test(raw);
    previousBlank = line.trim() === '';
    if (isIndentedCode) {
      previousBlank = true; // an indented block continues until a non-indented line
      return;
    }
    const match = COMMAND_LINE.exec(line.trimStart().length === line.length ? line : '');
    if (!match) return;
    const args = (match[2] ?? '').trim();
    out.push({ name: match[1]!.toLowerCase(), args: args === '' ? [] : args.split(/\s+/), line: index + 1 });
  });
  return out;
}

function stripHtmlComments(line: string): { text: string; unclosed: boolean } {
  if (!line.replace(CODE_SPAN, '').includes('<!--')) return { text: line, unclosed: false };
  const closed = line.replace(/<!--[\s\S]*?-->/g, '');
  const open = closed.indexOf('<!--');
  return open === -1 ? { text: closed.replace(/\s+$/, ''), unclosed: false } : { text: closed.slice(0, open).replace(/\s+$/, ''), unclosed: true };
}

/** Splits parsed commands into those a feature knows and the rest. */
export function partitionCommands(commands: ParsedCommand[], known: readonly string[]) {
  const set = new Set(known);
  return {
    known: commands.filter((c) => set.has(c.name)),
    unknown: commands.filter((c) => !set.has(c.name)),
  };
}

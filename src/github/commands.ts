/**
 * Comment commands: `/name args` at the start of a line, outside fenced or indented code blocks, block
 * quotes and HTML comments, as Prow and most bots read them.
 */
export interface ParsedCommand {
  name: string;
  args: string[];
  /** 1-based line in the comment body. */
  line: number;
}

const COMMAND_LINE = /^\/([a-z][a-z0-9-]*)(?:[ \t]+(.*))?$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function parseCommands(body: string | null | undefined): ParsedCommand[] {
  if (!body) return [];
  const out: ParsedCommand[] = [];
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let fence: string | null = null;
  let inHtmlComment = false;
  let previousBlank = true;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (fence) {
      if (line.trimStart().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') fence = null;
      return;
    }
    if (inHtmlComment) {
      if (line.includes('-->')) inHtmlComment = false;
      return;
    }
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      return;
    }
    if (line.trimStart().startsWith('<!--')) {
      inHtmlComment = !line.includes('-->');
      return;
    }
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

/** Splits parsed commands into those a feature knows and the rest. */
export function partitionCommands(commands: ParsedCommand[], known: readonly string[]) {
  const set = new Set(known);
  return {
    known: commands.filter((c) => set.has(c.name)),
    unknown: commands.filter((c) => !set.has(c.name)),
  };
}

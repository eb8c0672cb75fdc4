import { describe, expect, test } from 'vitest';
import { parseCommands, partitionCommands } from '../../src/github/commands.js';

const names = (body: string) => parseCommands(body).map((c) => [c.name, ...c.args].join(' '));

describe('parseCommands on real comment bodies', () => {
  test('a lone command', () => {
    expect(parseCommands('/claim')).toEqual([{ name: 'claim', args: [], line: 1 }]);
  });

  test('several commands among prose, with arguments, CRLF line endings', () => {
    const body = 'Thanks for the report!\r\n\r\n/route l3\r\n/vacation   on \r\nI will look at it tomorrow.\r\n/LHF';
    expect(parseCommands(body)).toEqual([
      { name: 'route', args: ['l3'], line: 3 },
      { name: 'vacation', args: ['on'], line: 4 },
      { name: 'lhf', args: [], line: 6 },
    ]);
  });

  test('commands inside fenced code blocks (``` and ~~~) are ignored', () => {
    const body = ['To retest, type:', '```', '/retest', '```', '~~~bash', '/ok-to-test', '~~~', '/claim'].join('\n');
    expect(names(body)).toEqual(['claim']);
  });

  test('commands in block quotes (a reply quoting someone) are ignored', () => {
    const body = '> /not-lhf\n> this is too big\n\nI disagree, it is small.\n/lhf';
    expect(names(body)).toEqual(['lhf']);
  });

  test('commands in indented code blocks and HTML comments are ignored', () => {
    const body = 'Example:\n\n    /unclaim\n\n<!--\n/route db\n-->\n<!-- /lhf -->\n/unclaim';
    expect(names(body)).toEqual(['unclaim']);
  });

  test('a slash mid-line, a path, or an indented command is not a command', () => {
    const body = 'please /claim this\n/usr/bin/python3 crashed\n  /route db\nsee /v2.0/ports';
    expect(parseCommands(body)).toEqual([]);
  });

  test('an unclosed fence swallows the rest, as GitHub renders it', () => {
    expect(names('```\n/retest\n/claim')).toEqual([]);
  });

  test('triple backticks used as inline code at the start of a line do not open a fence that swallows the rest', () => {
    // CommonMark: a backtick fence's info string cannot contain a backtick, so this line is a paragraph.
    expect(names('```npm test``` fails for me too\n/claim')).toEqual(['claim']);
  });

  test('a fence closes only on the same character, at least as long, indented at most 3 spaces', () => {
    expect(names('````\n```\n/retest\n````\n/claim')).toEqual(['claim']);
    expect(names('```\n~~~\n/retest\n    ```\n/lhf\n```\n/claim')).toEqual(['claim']);
  });

  test('an HTML comment opened mid-line hides the lines up to its end; a trailing comment is not part of the arguments', () => {
    expect(names('Thanks! <!--\n/claim\n-->\n/lhf')).toEqual(['lhf']);
    expect(names('/route db <!-- the schema part -->')).toEqual(['route db']);
    expect(names('use `<!--` in templates\n/claim')).toEqual(['claim']);
  });

  test('as Prow: list items, trailing punctuation and block quotes at any depth are not commands; uppercase is', () => {
    expect(names('- /claim\n* /lhf\n/claim.\n> > /lhf\n>/unclaim\n/CLAIM')).toEqual(['claim']);
    expect(names('> On Mon, Jan 1, 2024 at 10:00 Someone <a@b.com> wrote:\n> /lhf\n\n/not-lhf')).toEqual(['not-lhf']);
  });

  test('empty and missing bodies', () => {
    expect(parseCommands('')).toEqual([]);
    expect(parseCommands(null)).toEqual([]);
  });

  test('unknown commands are told apart from known ones', () => {
    const { known, unknown } = partitionCommands(parseCommands('/claim\n/frobnicate now\n/lhf'), ['claim', 'lhf']);
    expect(known.map((c) => c.name)).toEqual(['claim', 'lhf']);
    expect(unknown).toEqual([{ name: 'frobnicate', args: ['now'], line: 2 }]);
  });
});

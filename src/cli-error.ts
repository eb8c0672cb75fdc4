/** The one line a failed command prints: `netbot: <message>`, never `netbot: netbot: ...`. */
export function cliErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('netbot: ') ? message : `netbot: ${message}`;
}

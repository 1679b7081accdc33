// Text from peers (Server headers, agent names, close reasons, result texts) on the terminal and in
// CI logs: every control character is shown as an escape, so a peer can neither move the cursor,
// recolour or clear the screen, nor start a line of its own (a fake summary line, a GitHub Actions
// `::error` command). Applied to whole lines where they are printed; wsfuzz's own lines contain no
// control characters.

/** C0 controls, DEL, C1 controls, line/paragraph separators and bidirectional overrides. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character written as an escape (`\x1b`, `\n`, `\u2028`). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

// Python 2 renderings used by the per-case and index HTML (docs/reports.md, Python renderings):
// repr() of the Expected/Observed structures, str() of plain values, and %f-style fixed decimals.
import type { DisplayEvent } from '../fuzz/result.js';
import type { DisplayText } from '../fuzz/wirelog.js';

/** Python 2 repr of a string; `unicode` adds the u prefix (payloads that decoded as UTF-8). */
export function pyStringRepr(text: string, unicode: boolean): string {
  // Python prefers single quotes; it switches to double quotes only when that avoids escaping.
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const ch of text) body += escapeChar(ch, quote);
  return `${unicode ? 'u' : ''}${quote}${body}${quote}`;
}

function escapeChar(ch: string, quote: string): string {
  if (ch === quote || ch === '\\') return '\\' + ch;
  if (ch === '\t') return '\\t';
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xff)) return '\\x' + hex(cp, 2);
  if (cp > 0xffff) return '\\U' + hex(cp, 8);
  if (cp > 0xff) return '\\u' + hex(cp, 4);
  return ch;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** A payload as the original held it: unicode when it decoded, a plain (hex) string otherwise. */
export function pyPayloadRepr(payload: DisplayText): string {
  return pyStringRepr(payload.text, payload.decoded);
}

/** One observed/expected event as a Python tuple. */
export function pyEventRepr(event: DisplayEvent): string {
  switch (event[0]) {
    case 'message':
      return `('message', ${pyPayloadRepr(event[1])}, ${pyBool(event[2])})`;
    case 'pong':
      return `('pong', ${pyPayloadRepr(event[1])})`;
    case 'timeout':
      return `('timeout', ${pyStringRepr(event[1], false)})`;
  }
}

export function pyEventListRepr(events: readonly DisplayEvent[]): string {
  return '[' + events.map(pyEventRepr).join(', ') + ']';
}

/** The Expected dict in insertion order (OK before NON-STRICT, as the original's runtime prints it). */
export function pyExpectedRepr(expected: Readonly<Record<string, readonly DisplayEvent[]>>): string {
  const entries = Object.entries(expected).map(([label, events]) => `${pyStringRepr(label, false)}: ${pyEventListRepr(events)}`);
  return '{' + entries.join(', ') + '}';
}

const LIMIT_SUFFIX = ' ...';

/** Longer than `max` characters => the first max-4 characters + " ..." (so the result has `max` characters). */
export function limit(text: string, max = 1000): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= max - LIMIT_SUFFIX.length) return text;
  return codePoints.slice(0, max - LIMIT_SUFFIX.length).join('') + LIMIT_SUFFIX;
}

/** Python's str() of a report value: True/False/None, integers in decimal, text as is. */
export function pyValue(value: boolean | number | string | null | undefined): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return pyBool(value);
  return String(value);
}

/**
 * Python's "%.<digits>f": like toFixed, except that exact ties round half to even
 * (toFixed rounds them up: 0.0625 => "0.063" where Python prints "0.062").
 */
export function pyFixed(x: number, digits: number): string {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x.toFixed(digits);
  // toFixed(100) is the exact decimal expansion of every double that can produce a tie at `digits`.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const tail = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return x.toFixed(digits);
  const truncated = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const lastDigit = Number(truncated[truncated.length - 1]);
  const rounded = lastDigit % 2 === 0 ? truncated : roundUpDecimal(truncated);
  return (x < 0 ? '-' : '') + rounded;
}

/** Add one unit in the last place of a non-negative decimal string ("0.062" => "0.063", "9.99" => "10.00"). */
function roundUpDecimal(decimal: string): string {
  const chars = decimal.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '.') continue;
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return '1' + chars.join('');
}

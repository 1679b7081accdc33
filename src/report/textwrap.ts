// Emulation of Python 2.7's textwrap.wrap(text, width) with default options, which the original uses to
// split wire-log payloads and hexdumps into lines (docs/reports.md, Wire-log rendering). Lengths count code points,
// as the original's wide-unicode runtime does. Payload texts are unicode there, so the word-splitting
// regex runs in Unicode mode (hexdumps are ASCII, for which both modes agree).

/** What Python's unicode.isspace() accepts (Unicode 5.2, the database of Python 2.7). */
const SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u180e\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's \w under re.UNICODE: letters, numbers, underscore. */
const WORD = '\\p{L}\\p{N}_';
const WORD_CHAR = `[${WORD}]`;
const WORD_CHAR_NOT_DIGIT = `(?:(?![0-9])${WORD_CHAR})`;

/**
 * Chunks are whitespace runs, hyphenated word parts ("goof-" of "goof-ball", needing two word characters
 * on each side of the hyphen) and em-dashes ("--" between words); everything else stays together.
 */
const WORD_SEPARATOR = new RegExp(
  `([${SPACE}]+` +
    `|[^${SPACE}${WORD}]*${WORD_CHAR}+${WORD_CHAR_NOT_DIGIT}-(?=${WORD_CHAR}+${WORD_CHAR_NOT_DIGIT})` +
    `|(?<=[${WORD}!"'&.,?])-{2,}(?=${WORD_CHAR}))`,
  'gu',
);

const ALL_SPACE = new RegExp(`^[${SPACE}]*$`, 'u');

/** Python's expandtabs(8): tabs to the next multiple of 8; the column restarts after \n and \r. */
export function expandTabs(text: string, tabSize = 8): string {
  let out = '';
  let column = 0;
  for (const ch of text) {
    if (ch === '\t') {
      const pad = tabSize - (column % tabSize);
      out += ' '.repeat(pad);
      column += pad;
    } else {
      out += ch;
      column = ch === '\n' || ch === '\r' ? 0 : column + 1;
    }
  }
  return out;
}

/** Tabs expanded, then each of the six ASCII whitespace characters turned into a space (other spaces stay). */
function mungeWhitespace(text: string): string {
  return expandTabs(text).replace(/[\t\n\v\f\r]/g, ' ');
}

function splitChunks(text: string): string[] {
  const chunks: string[] = [];
  let last = 0;
  for (const match of text.matchAll(WORD_SEPARATOR)) {
    chunks.push(text.slice(last, match.index), match[0]);
    last = match.index + match[0].length;
  }
  chunks.push(text.slice(last));
  return chunks.filter((c) => c !== '');
}

function isBlank(chunk: string): boolean {
  return ALL_SPACE.test(chunk);
}

function length(chunk: string): number {
  let n = 0;
  for (const _ of chunk) n++;
  return n;
}

/** Wrap into lines of at most `width` code points, like textwrap.wrap(text, width). */
export function wrap(text: string, width = 100): string[] {
  if (width <= 0) throw new RangeError(`invalid width ${width} (must be > 0)`);
  const pending = splitChunks(mungeWhitespace(text)).reverse(); // a stack: next chunk last
  const lines: string[] = [];
  while (pending.length > 0) {
    const line: string[] = [];
    let used = 0;
    // Whitespace that would start a continuation line is dropped (the first line keeps it).
    if (lines.length > 0 && isBlank(pending[pending.length - 1]!)) pending.pop();
    while (pending.length > 0) {
      const next = length(pending[pending.length - 1]!);
      if (used + next > width) break;
      line.push(pending.pop()!);
      used += next;
    }
    // A chunk wider than a whole line is broken to fill the rest of this one.
    if (pending.length > 0 && length(pending[pending.length - 1]!) > width) {
      const codePoints = Array.from(pending[pending.length - 1]!);
      const room = width - used;
      line.push(codePoints.slice(0, room).join(''));
      pending[pending.length - 1] = codePoints.slice(room).join('');
    }
    if (line.length > 0 && isBlank(line[line.length - 1]!)) line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}

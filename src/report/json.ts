// JSON exactly as the reference reports are written (docs/reports.md, Per-case JSON): keys sorted,
// 3-space indentation, ASCII only (\uXXXX, lower-case), floats keep ".0", no trailing newline.
import { ReportFloat } from '../fuzz/traffic.js';

const INDENT = '   ';

function escapeString(s: string): string {
  // JSON.stringify handles quotes, backslashes, control characters and lone surrogates;
  // the reference additionally escapes DEL and everything beyond ASCII.
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Python's float repr: shortest round-trip digits, ".0" for integral values, exponents as e-05 / e+16. */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exp] = x.toExponential().split('e') as [string, string];
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(x);
  return /[.e]/.test(s) ? s : s + '.0';
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function write(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof ReportFloat) return pyFloat(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return escapeString(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON(): unknown }).toJSON(), depth);
  }
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return '[\n' + value.map((v) => pad + write(v, depth + 1)).join(',\n') + '\n' + close + ']';
  }
  let entries: Array<[string, unknown]>;
  if (value instanceof Map) {
    // Statistics maps are keyed by numbers: numeric order, written as strings.
    entries = [...value.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([k, v]) => [String(k), v]);
  } else {
    entries = Object.entries(value as Record<string, unknown>).sort((a, b) => compareKeys(a[0], b[0]));
  }
  if (entries.length === 0) return '{}';
  return '{\n' + entries.map(([k, v]) => `${pad}${escapeString(k)}: ${write(v, depth + 1)}`).join(',\n') + '\n' + close + '}';
}

/** Serialise like Python's json.dumps(value, sort_keys=True, indent=3) (ensure_ascii). */
export function toReportJson(value: unknown): string {
  return write(value, 0);
}

// The per-case wire log and octet/frame statistics (docs/engine.md, Wire log and Statistics; abbreviation: docs/reports.md, Per-case JSON).
import { isUtf8 } from 'node:buffer';

export type WireLogEntry =
  | ['RO', [number, string]]
  | ['TO', [number, string], boolean]
  | ['RF', [number, string], number, boolean, number, boolean, string | null]
  | ['TF', [number, string], number, boolean, number, string | null, number | null, number | null, boolean]
  | ['CT', number, string | null]
  | ['CTE', string | null]
  | ['KL', number]
  | ['KLE']
  | ['TI', number]
  | ['TIE']
  | ['WLM', boolean];

/** Abbreviation threshold and cut of the reference reports: more than 60 octets => first 64 + " ...". */
const ABBREV_OVER = 60;
const ABBREV_KEEP = 64;

/** Lower-case hex of the octets, abbreviated. */
export function hexdump(data: Uint8Array): string {
  if (data.length > ABBREV_OVER) return Buffer.from(data.subarray(0, ABBREV_KEEP)).toString('hex') + ' ...';
  return Buffer.from(data).toString('hex');
}

/** Display text of a payload: decoded UTF-8 (abbreviated), or "0x" + hexdump when it does not decode. */
export function payloadText(data: Uint8Array): DisplayText {
  const cut = data.length > ABBREV_OVER;
  const head = cut ? data.subarray(0, ABBREV_KEEP) : data;
  const text = decodeForDisplay(head);
  if (text === null) return new DisplayText('0x' + hexdump(data), false);
  return new DisplayText(cut ? text + ' ...' : text, true);
}

/** Abbreviated payload text; serialises to JSON as its text. */
export class DisplayText {
  constructor(
    readonly text: string,
    /** True when the octets decoded as text (shown as u'…' in Python-style renderings). */
    readonly decoded: boolean,
  ) {}
  toJSON(): string {
    return this.text;
  }
}

/**
 * Strict UTF-8 decoding, except that encoded surrogates (ED A0..BF xx) are accepted and kept as
 * lone UTF-16 units: the reference suite's runtime decodes them that way, so 6.20.x/6.21.x payloads
 * display as "\ud800" rather than as hex.
 */
export function decodeForDisplay(data: Uint8Array): string | null {
  if (isUtf8(data)) return Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
  let out = '';
  let i = 0;
  const n = data.length;
  while (i < n) {
    const b = data[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      if (b === 0xe0) lo = 0xa0;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      return null;
    }
    for (let k = 1; k <= need; k++) {
      const c = data[i + k];
      if (c === undefined || c < lo || c > hi) return null;
      lo = 0x80;
      hi = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** Count of reads/writes by chunk size, or of frames by opcode (keys sort numerically in reports). */
export type Histogram = Map<number, number>;

export function bump(h: Histogram, key: number): void {
  h.set(key, (h.get(key) ?? 0) + 1);
}

/**
 * What the wire log of one case may keep, in estimated octets of report text (an entry's JSON is about
 * ENTRY_COST + 2 per payload octet shown). A flooding peer's log is cut there; the statistics still
 * count everything. Ordinary cases keep a few kilobytes, so the bound never cuts them.
 */
export const WIRELOG_MAX_BYTES = 512 * 1024;
const ENTRY_COST = 128;

/**
 * An entry as kept while the case runs: lengths, the first octets and flags, formatted (hex, text)
 * only when the report is written (WireLog.entries).
 */
type RawEntry =
  | { kind: 'RO'; length: number; head: Buffer }
  | { kind: 'TO'; length: number; head: Buffer; sync: boolean }
  | { kind: 'RF'; length: number; head: Buffer; opcode: number; fin: boolean; rsv: number; masked: boolean; mask: Buffer | null }
  | {
      kind: 'TF';
      length: number;
      head: Buffer;
      opcode: number;
      fin: boolean;
      rsv: number;
      mask: Buffer | null;
      repeatLength: number | null;
      chopsize: number | null;
      sync: boolean;
    }
  | { kind: 'marker'; entry: WireLogEntry };

/** A copy of the octets a report can show (a view would pin the whole read buffer). */
function shownHead(data: Uint8Array): Buffer {
  return data.length === 0 ? NO_OCTETS : Buffer.from(data.subarray(0, ABBREV_KEEP));
}
const NO_OCTETS = Buffer.alloc(0);

function copyOrNull(data: Uint8Array | null): Buffer | null {
  return data ? Buffer.from(data) : null;
}

function formatEntry(raw: RawEntry): WireLogEntry {
  switch (raw.kind) {
    case 'RO':
      return ['RO', [raw.length, hexdump(raw.head)]];
    case 'TO':
      return ['TO', [raw.length, hexdump(raw.head)], raw.sync];
    case 'RF':
      return ['RF', [raw.length, frameText(raw.length, raw.head)], raw.opcode, raw.fin, raw.rsv, raw.masked, raw.mask ? raw.mask.toString('hex') : null];
    case 'TF':
      return [
        'TF',
        [raw.length, frameText(raw.length, raw.head)],
        raw.opcode,
        raw.fin,
        raw.rsv,
        raw.mask ? raw.mask.toString('hex') : null,
        raw.repeatLength,
        raw.chopsize,
        raw.sync,
      ];
    case 'marker':
      return raw.entry;
  }
}

export class WireLog {
  private readonly kept: RawEntry[] = [];
  readonly rxOctetStats: Histogram = new Map();
  readonly txOctetStats: Histogram = new Map();
  readonly rxFrameStats: Histogram = new Map();
  readonly txFrameStats: Histogram = new Map();
  /** Octet and frame entries (RO/TO/RF/TF) are recorded only while enabled. */
  enabled = true;
  /** Estimated report octets of the entries kept (see WIRELOG_MAX_BYTES). */
  keptBytes = 0;
  /** Number of entries not kept because of WIRELOG_MAX_BYTES. */
  dropped = 0;

  /** The entries kept, formatted as the reports show them (a new array on each call). */
  get entries(): WireLogEntry[] {
    return this.kept.map(formatEntry);
  }

  /** Number of entries kept. */
  get length(): number {
    return this.kept.length;
  }

  /** Whether an entry showing `shown` payload octets still fits; counts it as dropped when not. */
  private admit(shown: number): boolean {
    const cost = ENTRY_COST + 2 * shown;
    if (this.dropped > 0 || this.keptBytes + cost > WIRELOG_MAX_BYTES) {
      this.dropped++;
      return false;
    }
    this.keptBytes += cost;
    return true;
  }

  rxOctets(data: Uint8Array): void {
    bump(this.rxOctetStats, data.length);
    if (this.enabled && this.admit(Math.min(data.length, ABBREV_KEEP))) this.kept.push({ kind: 'RO', length: data.length, head: shownHead(data) });
  }

  txOctets(data: Uint8Array, sync: boolean): void {
    bump(this.txOctetStats, data.length);
    if (this.enabled && this.admit(Math.min(data.length, ABBREV_KEEP))) this.kept.push({ kind: 'TO', length: data.length, head: shownHead(data), sync });
  }

  /** `payloadHead` needs only the first 64 octets; `length` is the true payload length. */
  rxFrame(
    length: number,
    payloadHead: Uint8Array,
    opcode: number,
    fin: boolean,
    rsv: number,
    masked: boolean,
    mask: Uint8Array | null,
  ): void {
    bump(this.rxFrameStats, opcode);
    if (!this.enabled || !this.admit(Math.min(payloadHead.length, ABBREV_KEEP))) return;
    this.kept.push({ kind: 'RF', length, head: shownHead(payloadHead), opcode, fin, rsv, masked, mask: copyOrNull(mask) });
  }

  txFrame(
    payload: Uint8Array,
    opcode: number,
    fin: boolean,
    rsv: number,
    mask: Uint8Array | null,
    repeatLength: number | null,
    chopsize: number | null,
    sync: boolean,
  ): void {
    bump(this.txFrameStats, opcode);
    if (!this.enabled || !this.admit(Math.min(payload.length, ABBREV_KEEP))) return;
    this.kept.push({ kind: 'TF', length: payload.length, head: shownHead(payload), opcode, fin, rsv, mask: copyOrNull(mask), repeatLength, chopsize, sync });
  }

  /** Timer and mode markers are logged even while octet/frame logging is off. */
  marker(entry: WireLogEntry): void {
    if (this.admit(0)) this.kept.push({ kind: 'marker', entry });
  }
}

/** payloadText for a frame of `length` octets of which only the first ≤64 are at hand. */
function frameText(length: number, head: Uint8Array): string {
  if (length <= ABBREV_OVER) return payloadText(head.subarray(0, length)).text;
  const text = decodeForDisplay(head.subarray(0, ABBREV_KEEP));
  return text === null ? '0x' + Buffer.from(head.subarray(0, ABBREV_KEEP)).toString('hex') + ' ...' : text + ' ...';
}

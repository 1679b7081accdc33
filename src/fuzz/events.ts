// Observed events: what a case records while it runs, and what it expects (docs/verdicts.md, Observed events).
import type { ExpectedLabel } from './verdicts.js';

export type ObservedEvent =
  | { kind: 'message'; payload: Buffer; binary: boolean }
  | { kind: 'pong'; payload: Buffer }
  | { kind: 'timeout'; tag: string };

/** Outcome label (OK, NON-STRICT) => the exact event list that earns it, in insertion order (OK first). */
export type Expected = Partial<Record<ExpectedLabel, ObservedEvent[]>>;

/** The labelled lists of `expected` in insertion order (the order they are tried and rendered). */
export function expectedEntries(expected: Expected): Array<[ExpectedLabel, ObservedEvent[]]> {
  return Object.entries(expected).filter((e): e is [ExpectedLabel, ObservedEvent[]] => e[1] !== undefined);
}

export interface ExpectedClose {
  closedByMe: boolean;
  closeCode: number[];
  requireClean: boolean;
  /** Present only where a case sets it (invalid UTF-8 cases of category 6). */
  closedByWrongEndpointIsFatal?: boolean;
}

function bytes(payload: string | Uint8Array): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
}

export function message(payload: string | Uint8Array, binary = false): ObservedEvent {
  return { kind: 'message', payload: bytes(payload), binary };
}

export function pong(payload: string | Uint8Array): ObservedEvent {
  return { kind: 'pong', payload: bytes(payload) };
}

export function timeout(tag: string): ObservedEvent {
  return { kind: 'timeout', tag };
}

/** Exact equality by value: kind, full payload octets, binary flag, tag. */
export function eventsEqual(a: readonly ObservedEvent[], b: readonly ObservedEvent[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind !== y.kind) return false;
    if (x.kind === 'timeout') {
      if (x.tag !== (y as typeof x).tag) return false;
    } else if (x.kind === 'message') {
      const m = y as typeof x;
      if (x.binary !== m.binary || !x.payload.equals(m.payload)) return false;
    } else if (!x.payload.equals((y as typeof x).payload)) {
      return false;
    }
  }
  return true;
}

// --shard I/N: deterministic slices of a case selection for a CI matrix (README "In CI").
// Every selected case lands in exactly one shard. Cases are dealt out by expected cost, so that the
// compression cases (12.x, 13.x: 1000 messages each, by far the longest) spread over all shards.
import { categoryOf, compareIds, idTuple } from './ids.js';
import { SIZE_ROWS } from './compression.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export class ShardError extends Error {}

/** "2/4" => { index: 2, count: 4 }; anything else is a ShardError with a one-line message. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ShardError(`--shard '${text}' must be I/N with 1 <= I <= N (e.g. 1/4)`);
  }
  return { index, count };
}

/**
 * Expected cost of a case in milliseconds of a typical run: 12.x/13.x send 1000 messages of the
 * row's size one after the other (about 0.4 s plus 0.11 ms per payload octet for all 1000), the
 * limits cases of category 9 move megabytes, everything else takes a few milliseconds. Only the
 * ratios matter; the estimate is fixed so that every machine of a CI matrix computes the same slices.
 */
export function expectedCost(id: string): number {
  const category = categoryOf(id);
  if (category === '12' || category === '13') {
    const row = SIZE_ROWS[(idTuple(id)[2] ?? 1) - 1];
    return 400 + 0.11 * (row?.size ?? 0);
  }
  if (category === '9') return 300;
  return 20;
}

/**
 * The cases of shard `shard`, in ID order. Longest first, each case goes to the shard with the
 * least expected cost so far (ties: the lower shard number, then ID order), which keeps the
 * shards' expected durations within one case of each other. All shards must be computed from the
 * same selection.
 */
export function shardCases(selected: readonly string[], shard: Shard): string[] {
  const order = [...selected].sort((a, b) => expectedCost(b) - expectedCost(a) || compareIds(a, b));
  const load = new Array<number>(shard.count).fill(0);
  const mine: string[] = [];
  for (const id of order) {
    let best = 0;
    for (let s = 1; s < shard.count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += expectedCost(id);
    if (best === shard.index - 1) mine.push(id);
  }
  return mine.sort(compareIds);
}

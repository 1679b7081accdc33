// The case catalogue: every category module registered in one table.
import type { CaseDefinition } from '../fuzz/case.js';
import { cases as framing } from './1-framing.js';
import { cases as pingsPongs } from './2-pings-pongs.js';
import { cases as reservedBits } from './3-reserved-bits.js';
import { cases as opcodes } from './4-opcodes.js';
import { cases as fragmentation } from './5-fragmentation.js';
import { cases as utf8 } from './6-utf8.js';
import { cases as close } from './7-close.js';
import { cases as limits } from './9-limits.js';
import { cases as misc } from './10-misc.js';
import { cases as compressionPayloads } from './12-compression-payloads.js';
import { cases as compressionParameters } from './13-compression-parameters.js';
import { cases as handshake } from './14-handshake.js';
import { compareIds } from './ids.js';
import type { CaseMode } from '../fuzz/handshake-case.js';

export const CATEGORY_MODULES: ReadonlyArray<readonly CaseDefinition[]> = [
  framing,
  pingsPongs,
  reservedBits,
  opcodes,
  fragmentation,
  utf8,
  close,
  limits,
  misc,
  compressionPayloads,
  compressionParameters,
  handshake,
];

/** All cases in numeric ID order. */
export const ALL_CASES: readonly CaseDefinition[] = CATEGORY_MODULES.flat().sort((a, b) => compareIds(a.id, b.id));

export const ALL_IDS: readonly string[] = ALL_CASES.map((c) => c.id);

const MODE_IDS: Record<CaseMode, readonly string[]> = {
  fuzzingclient: ALL_CASES.filter((c) => (c.handshake?.mode ?? 'fuzzingclient') === 'fuzzingclient').map((c) => c.id),
  fuzzingserver: ALL_CASES.filter((c) => (c.handshake?.mode ?? 'fuzzingserver') === 'fuzzingserver').map((c) => c.id),
};

/** The cases one mode can run: all but the category-14 cases written for the other mode. */
export function modeIds(mode: CaseMode): readonly string[] {
  return MODE_IDS[mode];
}

const byId = new Map(ALL_CASES.map((c) => [c.id, c]));

export function caseById(id: string): CaseDefinition {
  const def = byId.get(id);
  if (!def) throw new Error(`unknown case ID '${id}'`);
  return def;
}

/** 1-based position in fuzzingclient's full list: the case number fuzzingclient reports. */
export function globalPosition(id: string): number {
  return MODE_IDS.fuzzingclient.indexOf(id) + 1;
}

export { compareIds } from './ids.js';

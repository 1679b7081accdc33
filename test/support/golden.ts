// The original suite's verdicts (test/fixtures/golden/), to compare wsfuzz's with.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { CaseResult } from '../../src/fuzz/result.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = path.join(projectRoot, 'test', 'fixtures', 'golden');

export interface GoldenEntry {
  behavior: string;
  behaviorClose: string;
  remoteCloseCode: number | null;
}

/** One run of the original: case ID -> verdict. */
export type GoldenRun = Record<string, GoldenEntry>;

/** The verdicts in test/fixtures/golden/<file>, an index.json of the original holding one agent. */
export function loadGolden(file: string): GoldenRun {
  const index = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as Record<string, GoldenRun>;
  const agents = Object.keys(index);
  if (agents.length !== 1) throw new Error(`${file}: expected one agent, found ${agents.length}`);
  return index[agents[0]!]!;
}

function verdict(e: GoldenEntry): string {
  return `${e.behavior}/${e.behaviorClose}/${e.remoteCloseCode}`;
}

/**
 * Cases whose behavior, behaviorClose or remoteCloseCode differ from the original's, one line each
 * ("<id>: wsfuzz <verdict>, original <verdict>[ or <verdict>] (<result> | <resultClose>)"). With
 * several runs of the original, a verdict it gave in any of them counts.
 */
export function disagreements(results: readonly CaseResult[], runs: GoldenRun | readonly GoldenRun[]): string[] {
  const all = Array.isArray(runs) ? (runs as readonly GoldenRun[]) : [runs as GoldenRun];
  const out: string[] = [];
  for (const r of results) {
    const known = all.map((run) => run[r.id]).filter((g): g is GoldenEntry => g !== undefined);
    if (known.length === 0) {
      out.push(`${r.id}: not in the golden file`);
      continue;
    }
    const got = verdict(r);
    const original = [...new Set(known.map(verdict))];
    if (!original.includes(got)) {
      out.push(`${r.id}: wsfuzz ${got}, original ${original.join(' or ')} (${r.result} | ${r.resultClose})`);
    }
  }
  return out;
}

// The original suite's verdicts against `ws` 8.23.0 (shared/golden), to compare wsfuzz's with.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { CaseResult } from '../../src/fuzz/result.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Copies of the golden index.json files, kept with the tests so they run on any checkout.
const FIXTURES = path.join(projectRoot, 'test', 'fixtures', 'golden');

export interface GoldenEntry {
  behavior: string;
  behaviorClose: string;
  remoteCloseCode: number | null;
}

export function loadGolden(which: 'ws-server' | 'ws-client'): Record<string, GoldenEntry> {
  const index = JSON.parse(readFileSync(path.join(FIXTURES, `${which}-index.json`), 'utf8')) as Record<string, Record<string, GoldenEntry>>;
  return index['ws']!;
}

/** Cases whose behavior, behaviorClose or remoteCloseCode differ from the golden verdicts. */
export function disagreements(results: readonly CaseResult[], golden: Record<string, GoldenEntry>): string[] {
  const out: string[] = [];
  for (const r of results) {
    const g = golden[r.id];
    if (!g) {
      out.push(`${r.id}: not in the golden file`);
      continue;
    }
    if (g.behavior !== r.behavior || g.behaviorClose !== r.behaviorClose || g.remoteCloseCode !== r.remoteCloseCode) {
      out.push(
        `${r.id}: wsfuzz ${r.behavior}/${r.behaviorClose}/${r.remoteCloseCode}, original ${g.behavior}/${g.behaviorClose}/${g.remoteCloseCode} (${r.result} | ${r.resultClose})`,
      );
    }
  }
  return out;
}

// index.json: agent => case ID => summary (docs/reports.md, index.json).
import type { CaseResult } from '../fuzz/result.js';
import { agentFileStems, caseFileBase } from './naming.js';

export interface IndexEntry {
  behavior: string;
  behaviorClose: string;
  duration: number;
  remoteCloseCode: number | null;
  reportfile: string;
}

export type IndexJson = Record<string, Record<string, IndexEntry>>;

/** Agents and case IDs appear in the order the JSON writer sorts them (plain string order). */
export function buildIndex(results: readonly CaseResult[]): IndexJson {
  const stems = agentFileStems(results.map((r) => r.agent));
  const index: IndexJson = {};
  for (const r of results) {
    (index[r.agent] ??= {})[r.id] = {
      behavior: r.behavior,
      behaviorClose: r.behaviorClose,
      duration: r.duration,
      remoteCloseCode: r.remoteCloseCode,
      reportfile: `${caseFileBase(stems.get(r.agent)!, r.id)}.json`,
    };
  }
  return index;
}

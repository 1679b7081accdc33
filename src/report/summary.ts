// Console summary per agent: verdict counts and the failing cases (the pass rule the exit code is
// based on is isFailure in src/fuzz/verdicts.ts).
import type { CaseResult } from '../fuzz/result.js';
import { isFailure, MAIN_VERDICTS, type MainVerdict } from '../fuzz/verdicts.js';

export interface AgentSummary {
  agent: string;
  cases: number;
  behavior: Map<MainVerdict, number>;
  /** Cases that count as failures (main or close verdict). */
  failures: string[];
  durationMs: number;
}

export function summarize(results: Iterable<CaseResult>): AgentSummary[] {
  const byAgent = new Map<string, AgentSummary>();
  for (const r of results) {
    let s = byAgent.get(r.agent);
    if (!s) byAgent.set(r.agent, (s = { agent: r.agent, cases: 0, behavior: new Map(), failures: [], durationMs: 0 }));
    s.cases++;
    s.behavior.set(r.behavior, (s.behavior.get(r.behavior) ?? 0) + 1);
    if (isFailure(r)) s.failures.push(r.id);
    s.durationMs += r.duration;
  }
  return [...byAgent.values()].sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
}

/** "1 case", "517 cases". */
export function casesText(n: number): string {
  return n === 1 ? '1 case' : `${n} cases`;
}

/** Position in the summary order of main verdicts. */
function rank(verdict: MainVerdict): number {
  return MAIN_VERDICTS.indexOf(verdict);
}

/** One line per agent, e.g. "ws: 517 cases: 506 OK, 4 NON-STRICT, 3 INFORMATIONAL, 4 FAILED; 4 failing". */
export function summaryLine(s: AgentSummary): string {
  const counts = [...s.behavior.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const failing = s.failures.length === 0 ? 'no failures' : `${s.failures.length} failing (${abbreviateList(s.failures, 8)})`;
  return `${s.agent}: ${casesText(s.cases)}: ${counts}; ${failing}`;
}

function abbreviateList(items: string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')}, … ${items.length - max} more`;
}

// What a finished run says beyond the verdicts: every case of an agent failing at the opening
// handshake (a wrong port, a plain HTTP server), and a client driver (fuzzingserver --run) that ran
// fewer cases than were selected.
import { isAgentCaseExcluded, type AgentExclusions } from '../cases/selection.js';
import type { CaseResult } from '../fuzz/result.js';
import { ResultText } from '../fuzz/verdict.js';
import { sanitizeHttpText } from '../protocol/http.js';
import { casesText } from '../report/summary.js';

/** Peer-controlled text for a terminal line: control characters replaced, length capped. */
export function consoleText(text: string, max = 200): string {
  const clean = sanitizeHttpText(text);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Connected, but the opening handshake never completed (a case that could not connect is not one). */
function failedAtHandshake(r: CaseResult): boolean {
  return r.resultClose === ResultText.NEVER_OPEN && !r.result.startsWith('Could not connect');
}

function byAgent(results: readonly CaseResult[]): Map<string, CaseResult[]> {
  const out = new Map<string, CaseResult[]>();
  for (const r of results) {
    let list = out.get(r.agent);
    if (!list) out.set(r.agent, (list = []));
    list.push(r);
  }
  return out;
}

/**
 * One line per agent whose every case failed at the opening handshake, naming the most frequent
 * reason: "all 44 cases of agent X failed at the opening handshake: WebSocket connection upgrade failed (200 - OK)".
 */
export function handshakeFailureLines(results: readonly CaseResult[]): string[] {
  const lines: string[] = [];
  for (const [agent, list] of byAgent(results)) {
    if (!list.every(failedAtHandshake)) continue;
    const reasons = new Map<string, number>();
    for (const r of list) {
      const reason = r.wasNotCleanReason ?? 'unknown reason';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    const [reason] = [...reasons].sort((a, b) => b[1] - a[1])[0]!;
    const all = list.length === 1 ? 'the only case' : `all ${casesText(list.length)}`;
    lines.push(`${all} of agent ${consoleText(agent, 80)} failed at the opening handshake: ${consoleText(reason)}`);
  }
  return lines;
}

/**
 * fuzzingserver --run: one line per agent that ran fewer of its selected cases (after
 * exclude-agent-cases) than were selected, and one if no client ran a case at all.
 */
export function incompleteDriverLines(results: readonly CaseResult[], selected: readonly string[], exclusions: AgentExclusions): string[] {
  const agents = byAgent(results);
  const of = (n: number) => `${n} selected case${n === 1 ? '' : 's'}`;
  if (agents.size === 0) return [`the client driver ran 0 of ${of(selected.length)}`];
  const lines: string[] = [];
  for (const [agent, list] of agents) {
    const due = selected.filter((id) => !isAgentCaseExcluded(exclusions, agent, id)).length;
    const ran = new Set(list.map((r) => r.id)).size;
    if (ran < due) lines.push(`the client driver ran ${ran} of ${of(due)} (agent ${consoleText(agent, 80)})`);
  }
  return lines;
}

// Case selection from spec-file patterns (docs/modes.md, Case selection).
import { compareIds } from './ids.js';

export class SelectionError extends Error {}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A `cases`/`exclude-cases` pattern: literal ID, or `*` = any characters, matched at the start of an ID. */
export function resolvePattern(pattern: string, allIds: readonly string[]): string[] {
  if (!pattern.includes('*')) {
    if (!allIds.includes(pattern)) throw new SelectionError(`unknown case ID '${pattern}'`);
    return [pattern];
  }
  const re = new RegExp('^' + pattern.split('*').map(escapeRegExp).join('.*'));
  return allIds.filter((id) => re.test(id));
}

/** The selected case IDs: cases minus exclude-cases, de-duplicated and in numeric order. */
export function selectCases(include: readonly string[], exclude: readonly string[], allIds: readonly string[]): string[] {
  const chosen = new Set<string>();
  for (const p of include) for (const id of resolvePattern(p, allIds)) chosen.add(id);
  for (const p of exclude) for (const id of resolvePattern(p, allIds)) chosen.delete(id);
  return [...chosen].sort(compareIds);
}

/**
 * exclude-agent-cases patterns are anchored at both ends, with `.` literal and `*` any characters.
 * (The original leaves other regex characters active; wsfuzz treats them literally.)
 */
function anchored(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map(escapeRegExp).join('.*') + '$');
}

export type AgentExclusions = Record<string, string[]>;

export function isAgentCaseExcluded(exclusions: AgentExclusions, agent: string, caseId: string): boolean {
  for (const [agentPattern, casePatterns] of Object.entries(exclusions)) {
    if (!anchored(agentPattern).test(agent)) continue;
    if (casePatterns.some((p) => anchored(p).test(caseId))) return true;
  }
  return false;
}

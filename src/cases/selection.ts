// Case selection from spec-file patterns (docs/modes.md, Case selection).
import { categoryOf, compareIds } from './ids.js';
import { wildcardMatch, wildcardPrefixMatch } from '../protocol/wildcard.js';

export class SelectionError extends Error {}

/**
 * Categories beyond the original's catalogue (docs/cases.md, Category 14): a wildcard selects their
 * cases only when it names the category before its first `*` or `.` (`14.*`, `14*`, `14.1.*`), so
 * `*` and `1*` keep selecting exactly the original's cases.
 */
export const OPT_IN_CATEGORIES: ReadonlySet<string> = new Set(['14']);

function wildcardSelects(pattern: string, id: string): boolean {
  const category = categoryOf(id);
  if (OPT_IN_CATEGORIES.has(category) && pattern.split(/[.*]/)[0] !== category) return false;
  return wildcardPrefixMatch(pattern, id);
}

/** A `cases`/`exclude-cases` pattern: literal ID, or `*` = any characters, matched at the start of an ID. */
export function resolvePattern(pattern: string, allIds: readonly string[]): string[] {
  if (!pattern.includes('*')) {
    if (!allIds.includes(pattern)) throw new SelectionError(`unknown case ID '${pattern}'`);
    return [pattern];
  }
  return allIds.filter((id) => wildcardSelects(pattern, id));
}

/**
 * The selected case IDs: cases minus exclude-cases, de-duplicated and in numeric order. An unknown
 * literal ID in `include` is an error; in `exclude` it excludes nothing (as in the original; the
 * command line warns about it, see unknownIds).
 */
export function selectCases(include: readonly string[], exclude: readonly string[], allIds: readonly string[]): string[] {
  const chosen = new Set<string>();
  for (const p of include) for (const id of resolvePattern(p, allIds)) chosen.add(id);
  for (const p of exclude) {
    if (!isUnknownLiteral(p, allIds)) for (const id of resolvePattern(p, allIds)) chosen.delete(id);
  }
  return [...chosen].sort(compareIds);
}

function isUnknownLiteral(pattern: string, allIds: readonly string[]): boolean {
  return !pattern.includes('*') && !allIds.includes(pattern);
}

/** The literal IDs among `patterns` that name no case. */
export function unknownIds(patterns: readonly string[], allIds: readonly string[]): string[] {
  return patterns.filter((p) => isUnknownLiteral(p, allIds));
}

export type AgentExclusions = Record<string, string[]>;

/**
 * exclude-agent-cases patterns are anchored at both ends, with `*` any characters and every other
 * character literal (the original leaves other regex characters active). Matching is linear: agent
 * names come from peers.
 */
export function isAgentCaseExcluded(exclusions: AgentExclusions, agent: string, caseId: string): boolean {
  for (const [agentPattern, casePatterns] of Object.entries(exclusions)) {
    if (!wildcardMatch(agentPattern, agent)) continue;
    if (casePatterns.some((p) => wildcardMatch(p, caseId))) return true;
  }
  return false;
}

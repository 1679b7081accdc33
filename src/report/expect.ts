// Expected results for CI (README "In CI"): --expect FILE compares a run's verdicts with FILE,
// --update-expect FILE writes them. FILE is an Autobahn index.json or the file --update-expect
// writes, which has index.json's shape with only the three compared keys, one case per line:
//   { "agent": { "1.1.1": {"behavior": "OK", "behaviorClose": "OK", "remoteCloseCode": 1000}, ... } }
import { compareIds } from '../cases/ids.js';
import type { CaseResult } from '../fuzz/result.js';
import { CLOSE_VERDICTS, isFailure, isMainVerdict, type CloseVerdict, type MainVerdict } from '../fuzz/verdicts.js';

/** What is compared per case. */
export interface ExpectedVerdict {
  behavior: MainVerdict;
  behaviorClose: CloseVerdict;
  remoteCloseCode: number | null;
}

export function isCloseVerdict(text: string): text is CloseVerdict {
  return (CLOSE_VERDICTS as readonly string[]).includes(text);
}

/** Agent => case ID => verdict. */
export type Expectations = Map<string, Map<string, ExpectedVerdict>>;

export class ExpectError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Read FILE's JSON (either format); other keys of an entry (duration, reportfile) are ignored. */
export function parseExpectations(json: unknown, file: string): Expectations {
  const shape = `${file} must map agent names to case IDs to {"behavior", "behaviorClose", "remoteCloseCode"} (an index.json)`;
  if (!isObject(json)) throw new ExpectError(shape);
  const out: Expectations = new Map();
  for (const [agent, cases] of Object.entries(json)) {
    if (!isObject(cases)) throw new ExpectError(`${shape}; agent ${JSON.stringify(agent)} is not an object`);
    const byId = new Map<string, ExpectedVerdict>();
    for (const [id, entry] of Object.entries(cases)) {
      const where = `${file}: ${JSON.stringify(agent)} case ${JSON.stringify(id)}`;
      if (!isObject(entry) || typeof entry.behavior !== 'string' || typeof entry.behaviorClose !== 'string') {
        throw new ExpectError(`${where} needs string "behavior" and "behaviorClose"`);
      }
      if (!isMainVerdict(entry.behavior)) throw new ExpectError(`${where}: "behavior" ${JSON.stringify(entry.behavior)} is not a verdict`);
      if (!isCloseVerdict(entry.behaviorClose)) throw new ExpectError(`${where}: "behaviorClose" ${JSON.stringify(entry.behaviorClose)} is not a close verdict`);
      const code = entry.remoteCloseCode;
      if (code !== null && !Number.isInteger(code)) throw new ExpectError(`${where}: "remoteCloseCode" must be an integer or null`);
      byId.set(id, { behavior: entry.behavior, behaviorClose: entry.behaviorClose, remoteCloseCode: code as number | null });
    }
    out.set(agent, byId);
  }
  return out;
}

function sortedStrings(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The --update-expect file: agents in string order, cases in ID order, one line each, a final newline. */
export function expectFileText(expectations: Expectations): string {
  const agents = sortedStrings(expectations.keys()).filter((a) => expectations.get(a)!.size > 0);
  if (agents.length === 0) return '{}\n';
  const blocks = agents.map((agent) => {
    const byId = expectations.get(agent)!;
    const lines = [...byId.keys()].sort(compareIds).map((id) => {
      const v = byId.get(id)!;
      return `    ${JSON.stringify(id)}: {"behavior": ${JSON.stringify(v.behavior)}, "behaviorClose": ${JSON.stringify(v.behaviorClose)}, "remoteCloseCode": ${JSON.stringify(v.remoteCloseCode)}}`;
    });
    return `  ${JSON.stringify(agent)}: {\n${lines.join(',\n')}\n  }`;
  });
  return `{\n${blocks.join(',\n')}\n}\n`;
}

export function verdictOf(r: Pick<CaseResult, 'behavior' | 'behaviorClose' | 'remoteCloseCode'>): ExpectedVerdict {
  return { behavior: r.behavior, behaviorClose: r.behaviorClose, remoteCloseCode: r.remoteCloseCode };
}

/**
 * `existing` with the results' entries put in: each result replaces its agent's entry for its case;
 * other cases and agents are kept (so a run of a few cases updates only those).
 */
export function updateExpectations(existing: Expectations, results: Iterable<CaseResult>): Expectations {
  const out: Expectations = new Map([...existing].map(([agent, byId]) => [agent, new Map(byId)]));
  for (const r of results) {
    let byId = out.get(r.agent);
    if (!byId) out.set(r.agent, (byId = new Map()));
    byId.set(r.id, verdictOf(r));
  }
  return out;
}

export type DifferenceKind = 'regression' | 'improvement' | 'changed' | 'missing' | 'not run';

export interface Difference {
  kind: DifferenceKind;
  agent: string;
  id: string;
  /** null: the case is not in FILE. */
  expected: ExpectedVerdict | null;
  /** null: the run has no result for the case. */
  got: ExpectedVerdict | null;
}

export interface CompareOptions {
  /** Treat behavior OK and NON-STRICT as equal (--accept-non-strict). */
  acceptNonStrict: boolean;
}

/** What one agent of the run should be compared on: the cases it should have, and what it got. */
export interface AgentRun {
  agent: string;
  /** The selected cases for this agent (after exclude-agent-cases), in ID order. */
  ids: readonly string[];
  got: ReadonlyMap<string, ExpectedVerdict>;
}

export interface Comparison {
  compared: number;
  differences: Difference[];
  /** Run agent => the FILE agent it was compared with, where the names differ. */
  substitutedAgents: Map<string, string>;
}

const LENIENT: ReadonlySet<MainVerdict> = new Set<MainVerdict>(['OK', 'NON-STRICT']);

function sameVerdict(a: ExpectedVerdict, b: ExpectedVerdict, options: CompareOptions): boolean {
  const behaviorSame = a.behavior === b.behavior || (options.acceptNonStrict && LENIENT.has(a.behavior) && LENIENT.has(b.behavior));
  return behaviorSame && a.behaviorClose === b.behaviorClose && a.remoteCloseCode === b.remoteCloseCode;
}

/** Passing beats failing (README's pass rule); among passing verdicts OK beats NON-STRICT. */
function classify(expected: ExpectedVerdict, got: ExpectedVerdict): DifferenceKind {
  const expectedFails = isFailure(expected);
  const gotFails = isFailure(got);
  if (!expectedFails && gotFails) return 'regression';
  if (expectedFails && !gotFails) return 'improvement';
  if (!expectedFails && expected.behavior !== got.behavior) {
    if (expected.behavior === 'OK' && got.behavior === 'NON-STRICT') return 'regression';
    if (expected.behavior === 'NON-STRICT' && got.behavior === 'OK') return 'improvement';
  }
  return 'changed';
}

/**
 * The FILE agent a run agent is compared with: the one of the same name; else FILE's only agent
 * when the run has a single agent too; else an ExpectError naming what FILE has.
 */
function fileAgentFor(agent: string, expectations: Expectations, runAgents: number, file: string): string {
  if (expectations.has(agent)) return agent;
  const names = [...expectations.keys()];
  if (names.length === 1 && runAgents === 1) return names[0]!;
  const have = names.length === 0 ? 'no agents' : `agents ${names.map((n) => JSON.stringify(n)).join(', ')}`;
  throw new ExpectError(`${file} has no results for agent ${JSON.stringify(agent)} (it has ${have}); with several agents, names must match`);
}

/** Compare every selected case of every agent; cases in FILE that were not selected are ignored. */
export function compareWithExpectations(expectations: Expectations, runs: readonly AgentRun[], options: CompareOptions, file: string): Comparison {
  const comparison: Comparison = { compared: 0, differences: [], substitutedAgents: new Map() };
  for (const run of runs) {
    const fileAgent = fileAgentFor(run.agent, expectations, runs.length, file);
    if (fileAgent !== run.agent) comparison.substitutedAgents.set(run.agent, fileAgent);
    const expectedById = expectations.get(fileAgent)!;
    for (const id of run.ids) {
      comparison.compared++;
      const expected = expectedById.get(id) ?? null;
      const got = run.got.get(id) ?? null;
      if (expected === null) comparison.differences.push({ kind: 'missing', agent: run.agent, id, expected, got });
      else if (got === null) comparison.differences.push({ kind: 'not run', agent: run.agent, id, expected, got });
      else if (!sameVerdict(expected, got, options)) comparison.differences.push({ kind: classify(expected, got), agent: run.agent, id, expected, got });
    }
  }
  return comparison;
}

/** "OK / OK / 1000", "FAILED / UNCLEAN / no close code". */
export function verdictText(v: ExpectedVerdict | null, absent: string): string {
  if (v === null) return absent;
  return `${v.behavior} / ${v.behaviorClose} / ${v.remoteCloseCode === null ? 'no close code' : v.remoteCloseCode}`;
}

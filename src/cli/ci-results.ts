// The results-for-CI options of fuzzingclient, fuzzingserver and merge-reports (README "In CI"):
// --expect FILE, --accept-non-strict, --update-expect FILE and --junit FILE. Files given are read
// before anything runs, so that a wrong path is an error at once and not after a long run.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaseResult } from '../fuzz/result.js';
import {
  compareWithExpectations,
  ExpectError,
  expectFileText,
  parseExpectations,
  updateExpectations,
  verdictOf,
  verdictText,
  type AgentRun,
  type Difference,
  type Expectations,
} from '../report/expect.js';
import { renderJunit } from '../report/junit.js';
import { casesText } from '../report/summary.js';
import { consoleText } from './run-outcome.js';
import { ConfigError, readJsonFile } from './spec.js';

/** parseArgs descriptors, shared by the commands that take them. */
export const CI_RESULT_OPTIONS = {
  expect: { type: 'string' },
  'accept-non-strict': { type: 'boolean' },
  'update-expect': { type: 'string' },
  junit: { type: 'string' },
} as const;

export interface CiResultValues {
  expect?: string;
  'accept-non-strict'?: boolean;
  'update-expect'?: string;
  junit?: string;
}

export interface CiResults {
  expect: { file: string; expectations: Expectations } | null;
  acceptNonStrict: boolean;
  update: { file: string; existing: Expectations } | null;
  junitFile: string | null;
}

async function readExpectations(file: string): Promise<Expectations> {
  try {
    return parseExpectations(await readJsonFile(file), file);
  } catch (err) {
    if (err instanceof ExpectError) throw new ConfigError(err.message);
    throw err;
  }
}

/** Check and read the files the options name (before the run). */
export async function prepareCiResults(values: CiResultValues): Promise<CiResults> {
  const acceptNonStrict = values['accept-non-strict'] ?? false;
  if (acceptNonStrict && values.expect === undefined) throw new ConfigError('--accept-non-strict needs --expect FILE');
  const expect = values.expect !== undefined ? { file: values.expect, expectations: await readExpectations(values.expect) } : null;
  const updateFile = values['update-expect'];
  const update = updateFile !== undefined ? { file: updateFile, existing: existsSync(updateFile) ? await readExpectations(updateFile) : new Map() } : null;
  return { expect, acceptNonStrict, update, junitFile: values.junit ?? null };
}

/** Each agent of the results, compared on the cases it has results for. */
export function agentRunsOf(results: readonly CaseResult[], dueIds?: (agent: string) => readonly string[]): AgentRun[] {
  const runs = new Map<string, Map<string, ReturnType<typeof verdictOf>>>();
  for (const r of results) {
    let got = runs.get(r.agent);
    if (!got) runs.set(r.agent, (got = new Map()));
    got.set(r.id, verdictOf(r));
  }
  return [...runs].map(([agent, got]) => ({ agent, ids: dueIds ? dueIds(agent) : [...got.keys()], got }));
}

const KIND_ORDER: readonly Difference['kind'][] = ['regression', 'not run', 'missing', 'changed', 'improvement'];

function differenceLine(d: Difference, file: string): string {
  const expected = verdictText(d.expected, `not in ${file}`);
  const got = verdictText(d.got, 'not run');
  return `  ${d.kind.padEnd(11)} ${d.id} (${consoleText(d.agent, 80)}): ${expected} → ${got}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? '' : 's'}`;
}

export interface CiContext {
  /** The report directory as given (case page paths in JUnit failures). */
  reportDir: string;
  /** The exit status so far: 0, 1 (some case failed) or 2 (errors). */
  status: number;
  /** The cases each agent should have (default: those it has results for). */
  dueIds?: (agent: string) => readonly string[];
  log?: (line: string) => void;
}

/**
 * Write the JUnit file, compare with --expect, update --update-expect; returns the exit status:
 * 2 stays 2; with --expect, 0 exactly when no selected case differs, else 1; otherwise unchanged.
 */
export async function finishCiResults(ci: CiResults, results: readonly CaseResult[], context: CiContext): Promise<number> {
  const log = context.log ?? ((line: string) => console.log(line));
  let status = context.status;
  if (ci.junitFile !== null) {
    await mkdir(path.dirname(path.resolve(ci.junitFile)), { recursive: true });
    await writeFile(ci.junitFile, renderJunit(results, { reportDir: context.reportDir }));
    log(`JUnit: ${path.resolve(ci.junitFile)}`);
  }
  if (ci.expect !== null) {
    const { file, expectations } = ci.expect;
    let comparison;
    try {
      comparison = compareWithExpectations(expectations, agentRunsOf(results, context.dueIds), { acceptNonStrict: ci.acceptNonStrict }, file);
    } catch (err) {
      if (err instanceof ExpectError) throw new ConfigError(err.message);
      throw err;
    }
    for (const [agent, fileAgent] of comparison.substitutedAgents) {
      log(`Comparing agent ${consoleText(agent, 80)} with ${file}'s only agent ${consoleText(fileAgent, 80)}`);
    }
    const diffs = [...comparison.differences].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    const lenient = ci.acceptNonStrict ? ', OK = NON-STRICT' : '';
    if (diffs.length === 0) {
      log(`Expected results (${file}${lenient}): ${casesText(comparison.compared)} compared, no differences`);
    } else {
      const counts = KIND_ORDER.map((k) => [k, diffs.filter((d) => d.kind === k).length] as const)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => (k === 'not run' || k === 'missing' || k === 'changed' ? `${n} ${k}` : plural(n, k)))
        .join(', ');
      log(`Expected results (${file}${lenient}): ${casesText(comparison.compared)} compared, ${plural(diffs.length, 'difference')}: ${counts}`);
      for (const d of diffs) log(differenceLine(d, file));
    }
    if (status !== 2) status = diffs.length === 0 ? 0 : 1;
  }
  if (ci.update !== null) {
    if (context.status === 2) {
      log(`${ci.update.file} not updated: the run had errors`);
    } else {
      await mkdir(path.dirname(path.resolve(ci.update.file)), { recursive: true });
      await writeFile(ci.update.file, expectFileText(updateExpectations(ci.update.existing, results)));
      log(`Updated ${ci.update.file} with ${casesText(results.length)}`);
    }
  }
  return status;
}

/** No CI options given (selftest). */
export const NO_CI_RESULTS: CiResults = { expect: null, acceptNonStrict: false, update: null, junitFile: null };

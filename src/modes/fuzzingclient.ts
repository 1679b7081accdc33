// Mode fuzzingclient: wsfuzz dials each WebSocket server under test and runs every selected case
// over a fresh connection (docs/modes.md, fuzzingclient).
import { caseById, globalPosition, modeIds } from '../cases/index.js';
import { isAgentCaseExcluded, selectCases, type AgentExclusions } from '../cases/selection.js';
import { applyOptions, DEFAULT_OPTIONS, type FuzzerOptions } from '../fuzz/options.js';
import { caseOutcome, runCaseAgainstServer, type ServerTarget } from '../fuzz/run.js';
import type { CaseOutcome } from '../fuzz/result.js';
import type { CaseDefinition } from '../fuzz/case.js';
import { FuzzSession, type SessionRecord } from '../fuzz/session.js';
import { distinctAgentName } from './agent-names.js';
import { defaultJobs, runScheduled } from './schedule.js';
import { FileStorage } from './compression-files.js';
import { SharedCompressedStreams } from '../fuzz/shared-compression.js';

export interface ServerSpec {
  url: string;
  agent?: string;
  options?: Record<string, unknown>;
  origin?: string;
  protocols?: string[];
  hostname?: string;
}

export interface FuzzingClientConfig {
  servers: ServerSpec[];
  cases: string[];
  excludeCases: string[];
  excludeAgentCases: AgentExclusions;
  /** Global protocol options, applied before each server's own. */
  options: Record<string, unknown>;
  userAgent: string;
  /** Seconds to wait for each TCP connection (30 in the original). */
  connectTimeout?: number;
  /**
   * Run up to this many cases at the same time (1: one at a time, like the original). Each has its
   * own connection, timers and verdict; cases whose verdict can depend on the pace of their writes
   * run with no other, and cases that mostly wait on their own timers run beside the others
   * (schedule.ts). Default: the available cores (defaultJobs).
   */
  jobs?: number;
  /**
   * Total time bound of the run in seconds: no case starts after it; the cases left are reported
   * as not run (cases already running end within their own bounds).
   */
  maxTimeSeconds?: number;
  /**
   * Aborting starts no further case; cases already running get a short bound (ABORT_GRACE_MS) to
   * end and are reported if they do. The result holds the cases finished.
   */
  signal?: AbortSignal;
  /**
   * Told each finished case once its agent name is final, with that agent's due cases in catalogue
   * order (its page's neighbours): it may write the case's files and keep only its summary
   * (report/case-files.ts), so a long run's memory does not grow with what peers send.
   */
  onOutcome?: (outcome: CaseOutcome, dueIds: readonly string[]) => Promise<void>;
}

export type ProgressEvent =
  | { kind: 'server-start'; url: string; cases: number }
  | { kind: 'case-done'; url: string; outcome: CaseOutcome; index: number; total: number }
  | { kind: 'case-skipped'; url: string; caseId: string; agent: string }
  | { kind: 'connect-failed'; url: string; caseId: string; reason: string; giveUp: boolean };

export interface ServerSummary {
  url: string;
  agent: string | null;
  /** No case could connect at all. */
  unreachable: boolean;
  firstConnectError: string | null;
}

export interface FuzzingClientRun {
  selected: string[];
  outcomes: CaseOutcome[];
  servers: ServerSummary[];
  /** The run was aborted: `outcomes` are the cases finished before. */
  interrupted: boolean;
  /** Cases reported as not run because maxTimeSeconds was reached. */
  notRun: number;
  /** Agents renamed because an earlier server of the run already had the name (agent-names.ts). */
  renamedAgents: Array<{ url: string; from: string; to: string }>;
}

/** After this many connection failures in a row, the server's remaining cases are not dialled. */
const CONSECUTIVE_CONNECT_FAILURES = 3;

/** Resolve the fuzzer options for one server: defaults, failByDrop=false, spec options, server options. */
export function serverOptions(global: Record<string, unknown>, server: Record<string, unknown> | undefined): FuzzerOptions {
  return applyOptions(applyOptions({ ...DEFAULT_OPTIONS, failByDrop: false }, global), server);
}

export async function runFuzzingClient(
  config: FuzzingClientConfig,
  onProgress: (event: ProgressEvent) => void = () => undefined,
): Promise<FuzzingClientRun> {
  const selected = selectCases(config.cases, config.excludeCases, modeIds('fuzzingclient'));
  const outcomes: CaseOutcome[] = [];
  const servers: ServerSummary[] = [];
  const signal = config.signal;
  const aborted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  const deadline = config.maxTimeSeconds === undefined ? Infinity : performance.now() + config.maxTimeSeconds * 1000;
  const notRunReason = `Not run: the run's time limit of ${config.maxTimeSeconds} s (--max-time) was reached.`;
  let notRun = 0;
  const renamedAgents: FuzzingClientRun['renamedAgents'] = [];
  const takenAgents = new Set<string>();
  /** Hand-ons (onOutcome) not finished yet: the run resolves after them, also when aborted. */
  const handingOn = new Set<Promise<void>>();
  for (const server of config.servers) {
    if (signal?.aborted) break;
    const options = serverOptions(config.options, server.options);
    const target: ServerTarget = {
      url: new URL(server.url),
      origin: server.origin ?? null,
      protocols: server.protocols ?? [],
      hostname: server.hostname ?? null,
      userAgent: config.userAgent,
      connectTimeout: config.connectTimeout ?? 30,
    };
    // Cases that send the same message sequence share its compressed octets (one set per server).
    const compression = new SharedCompressedStreams(
      selected.flatMap((id) => caseById(id).sharedSequence ?? []),
      new FileStorage(),
    );
    const summary: ServerSummary = { url: server.url, agent: server.agent ?? null, unreachable: true, firstConnectError: null };
    servers.push(summary);
    onProgress({ kind: 'server-start', url: server.url, cases: selected.length });
    let failuresInRow = 0;
    let giveUpReason: string | null = null;
    let done = 0;
    // Cases may finish out of order; their progress events go out in catalogue order.
    const finished: Array<(() => void) | null | undefined> = new Array(selected.length);
    let nextToReport = 0;
    const report = (i: number, emit: (() => void) | null): void => {
      finished[i] = emit;
      while (nextToReport < selected.length && finished[nextToReport] !== undefined) {
        const pending = finished[nextToReport]!;
        finished[nextToReport++] = null;
        pending?.();
      }
    };
    const serverOutcomes: Array<{ index: number; outcome: CaseOutcome }> = [];
    // One agent per server: the configured one, else the Server header of the first response. A
    // peer that changes its header from one connection to the next does not spread its results
    // over several agents (or file some under another server's name).
    let serverAgent: string | null = server.agent ?? null;
    // Outcomes are handed on (onOutcome) once the agent is final; cases that ended before any
    // response named it wait (they are small: no connection).
    const waiting: CaseOutcome[] = [];
    let dueIds: readonly string[] | null = null;
    const handOn = async (outcome: CaseOutcome): Promise<void> => {
      if (!config.onOutcome) return;
      if (serverAgent === null) {
        waiting.push(outcome);
        return;
      }
      const agent = distinctAgentName(serverAgent, takenAgents);
      dueIds ??= selected.filter((id) => !isAgentCaseExcluded(config.excludeAgentCases, serverAgent!, id));
      for (const o of [...waiting.splice(0), outcome]) {
        o.result.agent = agent;
        const filing = config.onOutcome(o, dueIds);
        handingOn.add(filing);
        await filing.finally(() => handingOn.delete(filing));
      }
    };
    // After an abort, cases already running get ABORT_GRACE_MS to end before the run returns.
    const running = new Set<Promise<void>>();
    let graceOver = false;
    const runOne = (i: number): Promise<void> => {
      const one = runCase(i).finally(() => {
        running.delete(one);
        compression.release(caseById(selected[i]!).sharedSequence);
      });
      running.add(one);
      return one;
    };
    const runCase = async (i: number): Promise<void> => {
      const id = selected[i]!;
      const def = caseById(id);
      if (performance.now() >= deadline) {
        const record = await notDialled(def, notRunReason, options);
        const outcome = caseOutcome(def, record, { agent: serverAgent ?? 'UnknownServer', caseNumber: globalPosition(id) });
        outcome.result.result = notRunReason;
        notRun++;
        serverOutcomes.push({ index: i, outcome });
        report(i, null);
        await handOn(outcome);
        return;
      }
      const record: SessionRecord = giveUpReason
        ? await notDialled(def, giveUpReason, options)
        : await runCaseAgainstServer(def, target, options, {
            compression,
            isExcluded: (serverHeader) => {
              serverAgent ??= serverHeader ?? 'UnknownServer';
              return isAgentCaseExcluded(config.excludeAgentCases, serverAgent, id);
            },
          });
      if (graceOver) return;
      if (record.serverHeader !== null) serverAgent ??= record.serverHeader;
      const agent: string = serverAgent ?? 'UnknownServer';
      if (record.connected) {
        summary.unreachable = false;
        summary.agent ??= agent;
        failuresInRow = 0;
      } else if (!giveUpReason) {
        failuresInRow++;
        summary.firstConnectError ??= record.connectError;
        const giveUp = failuresInRow >= CONSECUTIVE_CONNECT_FAILURES;
        if (giveUp) giveUpReason = `not dialled after ${failuresInRow} failed connection attempts in a row (last: ${record.connectError})`;
        onProgress({ kind: 'connect-failed', url: server.url, caseId: id, reason: record.connectError ?? '', giveUp });
      }
      if (record.excluded) {
        report(i, () => onProgress({ kind: 'case-skipped', url: server.url, caseId: id, agent }));
        return;
      }
      const outcome = caseOutcome(def, record, { agent, caseNumber: globalPosition(id) });
      serverOutcomes.push({ index: i, outcome });
      report(i, () => onProgress({ kind: 'case-done', url: server.url, outcome, index: ++done, total: selected.length }));
      await handOn(outcome);
    };
    const stopped = () => signal?.aborted ?? false;
    await Promise.race([runScheduled(selected, config.jobs ?? defaultJobs(), runOne, stopped), aborted]);
    if (signal?.aborted && running.size > 0) await withinGrace(Promise.allSettled([...running]));
    graceOver = true;
    compression.close();
    await Promise.allSettled([...handingOn]);
    if (waiting.length > 0 && !signal?.aborted) {
      serverAgent ??= 'UnknownServer';
      await handOn(waiting.pop()!);
    }
    serverOutcomes.sort((a, b) => a.index - b.index);
    // Cases that failed before any response was parsed join the server's one agent; a name an
    // earlier server of the run already has is made distinct (agent-names.ts).
    const agent = distinctAgentName(serverAgent ?? 'UnknownServer', takenAgents);
    for (const { outcome } of serverOutcomes) outcome.result.agent = agent;
    if (serverOutcomes.length > 0) {
      takenAgents.add(agent);
      if (agent !== (serverAgent ?? 'UnknownServer')) renamedAgents.push({ url: server.url, from: serverAgent ?? 'UnknownServer', to: agent });
    }
    if (serverOutcomes.length > 0) summary.agent = agent;
    outcomes.push(...serverOutcomes.map((o) => o.outcome));
  }
  await Promise.allSettled([...handingOn]);
  return { selected, outcomes, servers, renamedAgents, interrupted: signal?.aborted ?? false, notRun };
}

/** After an abort, how long cases already running may take to end (they are reported if they do). */
const ABORT_GRACE_MS = 2000;

/** Resolves when `work` settles or ABORT_GRACE_MS have passed, whichever comes first. */
async function withinGrace(work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ABORT_GRACE_MS)))]);
  clearTimeout(timer);
}

/** A case that is not dialled because the server stopped accepting connections. */
function notDialled(def: CaseDefinition, reason: string, options: FuzzerOptions): Promise<SessionRecord> {
  const session = new FuzzSession(def, options, false);
  session.connectFailed(reason);
  return session.done;
}

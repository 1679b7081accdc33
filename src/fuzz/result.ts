// The per-case result record: the 39 keys of the reference's per-case JSON (docs/reports.md, Per-case JSON).
import type { CaseDefinition, Verdict } from './case.js';
import { expectedEntries, type ExpectedClose, type ObservedEvent } from './events.js';
import type { SessionRecord } from './session.js';
import { decodeForDisplay, payloadText, WIRELOG_MAX_BYTES, type DisplayText, type Histogram, type WireLogEntry } from './wirelog.js';
import type { TrafficStats } from './traffic.js';
import type { CloseVerdict, ExpectedLabel, MainVerdict } from './verdicts.js';

/** An observed event as reports show it: payloads abbreviated (docs/reports.md, Per-case JSON). */
export type DisplayEvent = ['message', DisplayText, boolean] | ['pong', DisplayText] | ['timeout', string];

export interface CaseResult {
  agent: string;
  behavior: MainVerdict;
  behaviorClose: CloseVerdict;
  case: number;
  closedByMe: boolean;
  createStats: boolean;
  createWirelog: boolean;
  description: string;
  droppedByMe: boolean;
  duration: number;
  expectation: string;
  expected: Partial<Record<ExpectedLabel, DisplayEvent[]>>;
  expectedClose: ExpectedClose;
  failedByMe: boolean;
  httpRequest: string;
  httpResponse: string;
  id: string;
  isServer: boolean;
  localCloseCode: number | null;
  localCloseReason: string | null;
  received: DisplayEvent[];
  remoteCloseCode: number | null;
  remoteCloseReason: string | null;
  reportCompressionRatio: boolean;
  reportTime: boolean;
  result: string;
  resultClose: string;
  rxFrameStats: Histogram;
  rxOctetStats: Histogram;
  started: string;
  trafficStats: TrafficStats | null;
  txFrameStats: Histogram;
  txOctetStats: Histogram;
  wasClean: boolean;
  wasCloseHandshakeTimeout: boolean;
  wasNotCleanReason: string | null;
  wasOpenHandshakeTimeout: boolean;
  wasServerConnectionDropTimeout: boolean;
  wirelog: WireLogEntry[];
}

/** A result plus what wsfuzz noticed beyond the reference's fields (shown in HTML, not in JSON). */
export interface CaseOutcome {
  result: CaseResult;
  notes: string[];
  /**
   * Set once the case's JSON and HTML files are written (report/case-files.ts): `result` then holds
   * only the summary (summaryOnly) and the page links to these neighbours under this file-name stem.
   */
  filed?: { stem?: string; previous?: string; next?: string };
}

/**
 * The result without what only its case page shows (wire log, events, handshake, statistics): what
 * index.json, index.html, the console summary and the CI results read.
 */
export function summaryOnly(r: CaseResult): CaseResult {
  return {
    ...r,
    expected: {},
    received: [],
    wirelog: [],
    httpRequest: '',
    httpResponse: '',
    rxFrameStats: new Map(),
    rxOctetStats: new Map(),
    txFrameStats: new Map(),
    txOctetStats: new Map(),
  };
}

export function displayEvent(event: ObservedEvent): DisplayEvent {
  if (event.kind === 'message') return ['message', payloadText(event.payload), event.binary];
  if (event.kind === 'pong') return ['pong', payloadText(event.payload)];
  return ['timeout', event.tag];
}

/** A close reason as text: decoded when it is UTF-8, else lower-case hex. */
export function closeReasonText(reason: Buffer | null): string | null {
  if (reason === null) return null;
  return decodeForDisplay(reason) ?? reason.toString('hex');
}

export interface ResultMeta {
  agent: string;
  caseNumber: number;
}

export function buildCaseResult(def: CaseDefinition, record: SessionRecord, verdict: Verdict, meta: ResultMeta, localCloseReason: string | null): CaseOutcome {
  const expected: Partial<Record<ExpectedLabel, DisplayEvent[]>> = {};
  for (const [label, events] of expectedEntries(def.expected)) expected[label] = events.map(displayEvent);
  const log = record.wirelog;
  const notes: string[] = [];
  if (log.dropped > 0) {
    notes.push(
      `The wire log was cut at ${WIRELOG_MAX_BYTES / 1024} KiB of report text (after ${log.length} entries); ${log.dropped} more were not kept (statistics are complete).`,
    );
  }
  if (record.receivedDropped > 0) {
    notes.push(`${record.receivedDropped} further observed events were not kept (the peer flooded the connection).`);
  }
  if (record.internalError) notes.push(`wsfuzz internal error: ${record.internalError}`);
  const result: CaseResult = {
    agent: meta.agent,
    behavior: verdict.behavior,
    behaviorClose: verdict.behaviorClose,
    case: meta.caseNumber,
    closedByMe: record.closedByMe,
    createStats: true,
    createWirelog: log.enabled,
    description: def.description,
    droppedByMe: record.droppedByMe,
    duration: record.durationMs,
    expectation: def.expectation,
    expected,
    expectedClose: { ...def.expectedClose, closeCode: [...def.expectedClose.closeCode] },
    failedByMe: record.failedByMe,
    httpRequest: record.httpRequest ?? '?',
    httpResponse: record.httpResponse ?? '?',
    id: def.id,
    isServer: record.isServer,
    localCloseCode: record.localCloseCode,
    localCloseReason,
    received: record.received.map(displayEvent),
    remoteCloseCode: record.remoteCloseCode,
    remoteCloseReason: record.remoteCloseReason,
    reportCompressionRatio: def.reportCompressionRatio ?? false,
    reportTime: def.reportTime ?? false,
    result: verdict.result,
    resultClose: verdict.resultClose,
    rxFrameStats: log.rxFrameStats,
    rxOctetStats: log.rxOctetStats,
    started: record.started.toISOString(),
    trafficStats: record.trafficStats,
    txFrameStats: log.txFrameStats,
    txOctetStats: log.txOctetStats,
    wasClean: record.wasClean,
    wasCloseHandshakeTimeout: record.wasCloseHandshakeTimeout,
    wasNotCleanReason: record.wasNotCleanReason,
    wasOpenHandshakeTimeout: record.wasOpenHandshakeTimeout,
    wasServerConnectionDropTimeout: record.wasServerConnectionDropTimeout,
    wirelog: log.entries,
  };
  return { result, notes };
}

// The case record: what one fuzzing session observed, kept while it runs and frozen into a
// SessionRecord when it ends. The verdict (verdict.ts) and the report (result.ts) read only this.
import type { ObservedEvent } from './events.js';
import { WireLog } from './wirelog.js';
import { TrafficCounters, type TrafficStats } from './traffic.js';

/** Observed events beyond this are counted, not kept (no expected list is anywhere near it). */
const MAX_RECORDED_EVENTS = 10_000;
/** Octets of a payload the report shows (the rest is abbreviated as " ..."). */
const DISPLAY_OCTETS = 64;

/** Everything a finished session knows; the verdict and the report are computed from it. */
export interface SessionRecord {
  isServer: boolean;
  /** The TCP connection was established (false: connect failed). */
  connected: boolean;
  /** Why the TCP connection could not be made (when !connected). */
  connectError: string | null;
  connectionWasOpen: boolean;
  /** Wall-clock start (ISO string in reports). */
  started: Date;
  durationMs: number;
  httpRequest: string | null;
  httpResponse: string | null;
  /** Value of the peer's Server header (client role). */
  serverHeader: string | null;
  closedByMe: boolean;
  failedByMe: boolean;
  droppedByMe: boolean;
  wasClean: boolean;
  wasNotCleanReason: string | null;
  wasServerConnectionDropTimeout: boolean;
  wasOpenHandshakeTimeout: boolean;
  wasCloseHandshakeTimeout: boolean;
  localCloseCode: number | null;
  localCloseReason: Buffer | null;
  remoteCloseCode: number | null;
  remoteCloseReason: string | null;
  received: ObservedEvent[];
  /** Events not kept because of MAX_RECORDED_EVENTS. */
  receivedDropped: number;
  behavior: string;
  result: string;
  wirelog: WireLog;
  trafficStats: TrafficStats | null;
  /** The case was skipped by exclude-agent-cases (nothing is to be recorded). */
  excluded: boolean;
  /** A case hook threw: a wsfuzz bug, reported rather than crashing the run. */
  internalError: string | null;
}

/** The fields a running session fills in (everything but timing and the case's own verdict). */
type RecordedFields = Omit<SessionRecord, 'isServer' | 'started' | 'durationMs' | 'behavior' | 'result' | 'trafficStats'>;

/** The record under construction. Fields are written directly by the engine's parts. */
export class CaseRecord implements RecordedFields {
  connected = false;
  connectError: string | null = null;
  connectionWasOpen = false;
  httpRequest: string | null = null;
  httpResponse: string | null = null;
  serverHeader: string | null = null;
  closedByMe = false;
  failedByMe = false;
  droppedByMe = false;
  wasClean = false;
  wasNotCleanReason: string | null = null;
  wasServerConnectionDropTimeout = false;
  wasOpenHandshakeTimeout = false;
  wasCloseHandshakeTimeout = false;
  localCloseCode: number | null = null;
  localCloseReason: Buffer | null = null;
  remoteCloseCode: number | null = null;
  remoteCloseReason: string | null = null;
  readonly received: ObservedEvent[] = [];
  receivedDropped = 0;
  excluded = false;
  internalError: string | null = null;
  readonly wirelog = new WireLog();
  readonly traffic = new TrafficCounters();
  private trafficSnapshot: TrafficStats | null = null;

  /** @param longestExpected length of the case's longest expected event list */
  constructor(private readonly longestExpected: number) {}

  /** Append an observed event, bounded in count and (past every expected list) in size. */
  record(event: ObservedEvent): void {
    if (this.received.length >= MAX_RECORDED_EVENTS) {
      this.receivedDropped++;
      return;
    }
    if (event.kind === 'timeout') {
      this.received.push(event);
      return;
    }
    // Copy: a payload may be a view that pins a whole socket read buffer. Once the list is longer
    // than every expected list, no outcome can match any more and only the report's abbreviated
    // text is needed, so such events keep just their first octets (a flood cannot grow memory).
    const keep = this.received.length < this.longestExpected ? event.payload.length : DISPLAY_OCTETS;
    this.received.push({ ...event, payload: Buffer.from(event.payload.subarray(0, keep)) });
  }

  snapshotTrafficStats(): void {
    this.trafficSnapshot = this.traffic.snapshot();
  }

  /** The final record. */
  freeze(meta: { isServer: boolean; started: Date; durationMs: number; behavior: string; result: string }): SessionRecord {
    return {
      ...meta,
      connected: this.connected,
      connectError: this.connectError,
      connectionWasOpen: this.connectionWasOpen,
      httpRequest: this.httpRequest,
      httpResponse: this.httpResponse,
      serverHeader: this.serverHeader,
      closedByMe: this.closedByMe,
      failedByMe: this.failedByMe,
      droppedByMe: this.droppedByMe,
      wasClean: this.wasClean,
      wasNotCleanReason: this.wasNotCleanReason,
      wasServerConnectionDropTimeout: this.wasServerConnectionDropTimeout,
      wasOpenHandshakeTimeout: this.wasOpenHandshakeTimeout,
      wasCloseHandshakeTimeout: this.wasCloseHandshakeTimeout,
      localCloseCode: this.localCloseCode,
      localCloseReason: this.localCloseReason,
      remoteCloseCode: this.remoteCloseCode,
      remoteCloseReason: this.remoteCloseReason,
      received: this.received,
      receivedDropped: this.receivedDropped,
      wirelog: this.wirelog,
      trafficStats: this.trafficSnapshot,
      excluded: this.excluded,
      internalError: this.internalError,
    };
  }
}

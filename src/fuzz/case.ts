// What a case is (data plus a little behaviour) and what it may do with the connection.
import type { Expected, ExpectedClose, ObservedEvent } from './events.js';
import type { DeflateCaseConfig } from './deflate.js';
import type { CloseVerdict, ExpectedLabel, MainVerdict } from './verdicts.js';
import type { HandshakeCase } from './handshake-case.js';
import type { SequencePosition } from './shared-compression.js';
import type { ExpectedEcho } from './known-echo.js';

export type ConnectionState = 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED';

export interface RawFrame {
  opcode: number;
  payload?: Uint8Array;
  fin?: boolean;
  rsv?: number;
  /** Repeat the payload cyclically to exactly this many octets. */
  repeatLength?: number;
  /** Split the serialized frame into writes of this many octets, one per event-loop turn. */
  chop?: number;
  /** Make the frame its own queued write, followed by an event-loop turn. */
  sync?: boolean;
}

export interface PreparedMessage {
  binary: boolean;
  /** Payload as it goes on the wire (compressed when `compressed`). */
  data: Buffer;
  compressed: boolean;
  /** Octets before compression. */
  appLength: number;
}

/** The send primitives, timers and records a case drives (docs/engine.md, Sending; docs/engine.md, Timers). */
export interface CaseSession {
  readonly isServer: boolean;
  readonly state: ConnectionState;
  /** permessage-deflate is in effect on this connection. */
  readonly deflateActive: boolean;
  /**
   * Procedural verdict (9.x, 12.x, 13.x set these; others leave the defaults). Cases may only
   * write a main verdict; the session may hold it as a plain string.
   */
  get behavior(): string;
  set behavior(verdict: MainVerdict);
  result: string;

  /** Send one frame exactly as described; valid or not, in any state. */
  sendFrame(frame: RawFrame): void;
  /** Message API: compressed when deflate is active, fragmented per fragmentSize/autoFragmentSize. OPEN only. */
  sendMessage(payload: Uint8Array, binary: boolean, options?: { fragmentSize?: number; sync?: boolean }): void;
  /**
   * The first half of sendMessage: compress now, send later with sendPrepared. Lets a case compress
   * its next message while the peer is busy with the previous one. Prepared messages must be sent
   * in the order they were prepared (the compression context advances here). `position`: the
   * message is number `index` of the case's `sharedSequence`, so its compressed octets may come
   * from another case that sent the same sequence (src/fuzz/shared-compression.ts).
   */
  prepareMessage(payload: Uint8Array, binary: boolean, position?: SequencePosition): PreparedMessage;
  sendPrepared(message: PreparedMessage, options?: { fragmentSize?: number; sync?: boolean }): void;
  /**
   * The next message should be the echo of message `position.index` of the case's shared sequence,
   * i.e. `payload`. If an earlier case got the same compressed octets in the same state, they are
   * not inflated again (src/fuzz/known-echo.ts); the case still checks what it is handed.
   */
  expectEcho(expected: ExpectedEcho): void;
  /** Streaming API: write a frame header of `length` payload octets (not logged as a frame). */
  beginFrame(opcode: number, length: number, fin?: boolean): void;
  /** Streaming API: write payload octets of the frame begun last (masked with its key). */
  sendFrameData(data: Uint8Array): void;
  /** Close with exactly this code and reason (any values). OPEN only; sets closedByMe. */
  sendCloseFrame(code?: number | null, reason?: Uint8Array | null): void;
  /** Validated close: code 1000 or 3000-4999, reason cut to 123 octets. */
  sendClose(code?: number, reason?: string): void;
  setAutoFragmentSize(size: number): void;

  /** After `seconds`, fail the connection (Close 1001 "Going Away", or drop TCP if closing). */
  killAfter(seconds: number): void;
  /** After `seconds`, send a Close with no code (unless already closing). */
  closeAfter(seconds: number): void;
  /** After `seconds`, run `step` (unless the connection is closed). */
  continueLater(seconds: number, step: () => void, tag?: string | null): void;

  /** Switch octet/frame logging with a WLM marker. */
  enableWirelog(enabled: boolean): void;
  /** Switch octet/frame logging silently (9.1-9.6). */
  setWirelog(enabled: boolean): void;
  /** Append an observed event (6.4.x records timeouts). */
  record(event: ObservedEvent): void;
  /** Keep the current traffic counters for the report (12.x/13.x on success). */
  snapshotTrafficStats(): void;
}

export interface CaseHandlers {
  onMessage(payload: Buffer, binary: boolean): void;
}

/** Adjustable verdict, handed to a case's post-processing after the generic rules ran. */
export interface Verdict {
  behavior: MainVerdict;
  result: string;
  behaviorClose: CloseVerdict;
  resultClose: string;
  /** Which expected label matched (null when none). */
  matched: ExpectedLabel | null;
}

/** What post-processing may look at besides the verdict. */
export interface VerdictContext {
  connectionWasOpen: boolean;
  closedByMe: boolean;
  remoteCloseCode: number | null;
  txFrameStats: ReadonlyMap<number, number>;
  /** 7.5.1 reports its own (invalid UTF-8) close reason as hex. */
  localCloseReason: Buffer | null;
  setLocalCloseReasonText(text: string): void;
}

export type CaseSchedule = 'alone' | 'waits' | 'alternates' | 'large';

/** 'alone' for a case that writes queued (sync or chopped) frames (CaseDefinition.schedule). */
export function scheduleOfWrites(mode: { sync?: boolean; chop?: number }): CaseSchedule | undefined {
  return mode.sync || (mode.chop ?? 0) > 0 ? 'alone' : undefined;
}

export interface CaseDefinition {
  /** Dotted ID, e.g. "1.1.1". */
  id: string;
  /** HTML allowed (rendered unescaped, like the original's). */
  description: string;
  expectation: string;
  expected: Expected;
  expectedClose: ExpectedClose;
  /** Disable the automatic close once the expected events were seen. */
  suppressClose?: boolean;
  reportTime?: boolean;
  reportCompressionRatio?: boolean;
  /**
   * How the case shares the process when cases run in parallel (docs/modes.md, Parallel cases).
   * 'alone': it sends queued (sync or chopped) frames, so its verdict can depend on how the
   * peer's reads group them: it runs with no other case but 'waits' ones. 'waits': it spends
   * seconds waiting on its own timers and writes a few small frames: it runs beside the others
   * without taking one of the --jobs. 'alternates': it and the peer take turns message by
   * message (12.x, 13.x), each side waiting while the other works, so it takes half of one of the
   * --jobs. 'large': it sends a message of 4 MiB or more (9.x), so it holds tens of MiB while it
   * runs: one of the --jobs, and at most two such cases at once whatever --jobs is. Unset: one of
   * the --jobs.
   */
  schedule?: CaseSchedule;
  /** permessage-deflate negotiation for this case (12.x, 13.x). */
  deflate?: DeflateCaseConfig;
  /**
   * The message sequence the case sends, by name: cases with the same name send the same messages
   * in the same order, so their compressed octets can be computed once (src/fuzz/shared-compression.ts).
   */
  sharedSequence?: string;
  /**
   * Runs when the opening handshake completed. Procedural cases (9.x, 12.x, 13.x) return handlers
   * that replace the recording of incoming messages; their per-run state lives in that closure,
   * since one definition may run on several connections at once.
   */
  onOpen(session: CaseSession): void | CaseHandlers;
  /** Family post-processing after the generic verdict rules (docs/verdicts.md, Family post-processing). */
  adjustVerdict?(verdict: Verdict, context: VerdictContext): void;
  /**
   * Category 14: the case writes its own opening handshake and judges the outcome (src/fuzz/handshake-case.ts);
   * it runs only in the mode named there.
   */
  handshake?: HandshakeCase;
}

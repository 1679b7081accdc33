// The fuzzer's closing logic, sans-I/O: failing the connection, sending and answering Close
// frames, the closing-handshake timers and dropping TCP (docs/engine.md, Failing and closing).
import { Opcode } from '../protocol/frame.js';
import { isValidUtf8 } from '../protocol/utf8.js';
import { closeCodeIsValid, encodeClosePayload, CloseCode } from '../protocol/close.js';
import type { ConnectionState } from './case.js';
import type { FuzzerOptions } from './options.js';
import type { CaseRecord } from './record.js';
import type { Sender } from './send.js';
import type { TimerTable } from './timers.js';

/** How the driver ends TCP: `end` = graceful (FIN), `abort` = reset at once, `destroy` = close now. */
export type TcpAction = 'end' | 'abort' | 'destroy';

/** Octets of a close reason (RFC 6455 §5.5: a control payload is at most 125 octets, 2 for the code). */
const MAX_CLOSE_REASON = 123;

export interface ClosingHost {
  state: ConnectionState;
  readonly isServer: boolean;
  readonly opts: FuzzerOptions;
  readonly caseRecord: CaseRecord;
  readonly sender: Sender;
  readonly timers: TimerTable;
  /** End TCP (writes of this turn still leave first). */
  closeTcp(action: TcpAction): void;
}

export class Closing {
  private closeHandshakeTimer: number | null = null;

  constructor(private readonly host: ClosingHost) {}

  /**
   * Fail the WebSocket connection: while OPEN, send a Close with this code and reason; once our
   * Close is out (CLOSING), a further violation drops TCP at once.
   */
  fail(code: number, reason: string): void {
    const host = this.host;
    if (host.state === 'CLOSED') return;
    host.caseRecord.failedByMe = true;
    if (host.opts.failByDrop) {
      host.caseRecord.wasClean = false;
      host.caseRecord.wasNotCleanReason = 'I failed the WebSocket connection by dropping the TCP connection';
      this.drop(true);
    } else if (host.state === 'OPEN') {
      this.sendCloseFrame(code, truncateUtf8(Buffer.from(reason, 'utf8'), MAX_CLOSE_REASON), false);
    } else {
      this.drop(false);
    }
  }

  sendCloseFrame(code: number | null = null, reason: Uint8Array | null = null, isReply = false): void {
    const host = this.host;
    if (host.state !== 'OPEN') return;
    host.sender.sendFrame({ opcode: Opcode.CLOSE, payload: encodeClosePayload(code, reason) });
    host.state = 'CLOSING';
    const record = host.caseRecord;
    record.closedByMe = !isReply;
    record.localCloseCode = code;
    record.localCloseReason = reason === null ? null : Buffer.from(reason);
    if (record.closedByMe && host.opts.closeHandshakeTimeout > 0) {
      this.closeHandshakeTimer = host.timers.arm(host.opts.closeHandshakeTimeout, () => {
        record.wasClean = false;
        record.wasNotCleanReason = 'peer did not respond (in time) in closing handshake';
        record.wasCloseHandshakeTimeout = true;
        this.drop(true);
      });
    }
  }

  /** The validated close API: code 1000 or 3000-4999, reason cut to 123 octets. */
  sendClose(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
      throw new Error(`invalid close code ${code} for the validated close API`);
    }
    let reasonBytes: Buffer | null = null;
    if (reason !== undefined) {
      if (code === undefined) throw new Error('a close reason requires a close code');
      reasonBytes = Buffer.from(reason, 'utf8');
      if (reasonBytes.length > MAX_CLOSE_REASON) {
        reasonBytes = Buffer.concat([truncateUtf8(reasonBytes, MAX_CLOSE_REASON - 3), Buffer.from('...')]);
      }
    }
    this.sendCloseFrame(code ?? null, reasonBytes, false);
  }

  /** The peer's Close frame (its header already passed the receive checks). */
  onCloseFrame(payload: Buffer): void {
    const host = this.host;
    const record = host.caseRecord;
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : null;
    const reason = payload.length > 2 ? payload.subarray(2) : null;
    if (code !== null && !closeCodeIsValid(code)) {
      this.fail(CloseCode.PROTOCOL_ERROR, `invalid close code ${code}`);
      if (host.opts.failByDrop) return;
    }
    record.remoteCloseCode = code;
    record.remoteCloseReason = null;
    if (reason !== null) {
      if (!isValidUtf8(reason)) {
        this.fail(CloseCode.INVALID_PAYLOAD, 'invalid close reason (non-UTF-8 payload)');
        if (host.opts.failByDrop) return;
      } else {
        record.remoteCloseReason = reason.toString('utf8');
      }
    }
    if (host.state === 'CLOSING') {
      // The reply to our Close.
      host.timers.cancel(this.closeHandshakeTimer);
      this.closeHandshakeTimer = null;
      record.wasClean = true;
      if (host.isServer) this.drop(true);
      else if (host.opts.serverConnectionDropTimeout > 0) {
        host.timers.arm(host.opts.serverConnectionDropTimeout, () => {
          record.wasClean = false;
          record.wasNotCleanReason = 'server did not drop TCP connection (in time)';
          record.wasServerConnectionDropTimeout = true;
          this.drop(true);
        });
      }
    } else if (host.state === 'OPEN') {
      // The peer starts the closing handshake: reply, and as server close TCP right away.
      record.wasClean = true;
      if (host.opts.echoCloseCodeReason) {
        this.sendCloseFrame(code, reason ? Buffer.from(reason.subarray(0, MAX_CLOSE_REASON)) : null, true);
      } else {
        this.sendCloseFrame(CloseCode.NORMAL, null, true);
      }
      if (host.isServer) this.drop(false);
    }
  }

  /** Close TCP ourselves (abort = reset at once; else graceful end, forced after a while). */
  drop(abort: boolean): void {
    const host = this.host;
    if (host.state === 'CLOSED') return;
    host.caseRecord.droppedByMe = true;
    host.state = 'CLOSED';
    if (abort) {
      host.closeTcp('abort');
      return;
    }
    host.closeTcp('end');
    // A peer that never closes its side must not keep the case alive.
    const seconds = host.opts.closeHandshakeTimeout > 0 ? host.opts.closeHandshakeTimeout : 1;
    host.timers.arm(seconds, () => host.closeTcp('destroy'), true);
  }
}

/** Cut to at most `max` octets without splitting a UTF-8 sequence. */
export function truncateUtf8(data: Buffer, max: number): Buffer {
  if (data.length <= max) return data;
  let end = max;
  while (end > 0 && (data[end]! & 0xc0) === 0x80) end--;
  return data.subarray(0, end);
}

// Defect: right after the handshake, sends 110,000 empty unsolicited pongs (220 KB) in one write,
// then behaves as a correct echo server. Every pong is a frame the fuzzer receives and logs, so an
// unbounded wire log would hold some 25-50 MB per case.
import { startPeer, type RunningPeer } from './base.js';
import { encodeFrame, Opcode } from '../../src/protocol/frame.js';

export const PONGS = 110_000;

/** The flood, ready to write: PONGS empty pong frames. */
export function pongFlood(masked: boolean): Buffer {
  const pong = encodeFrame({ opcode: Opcode.PONG, payload: Buffer.alloc(0), ...(masked ? { mask: Buffer.alloc(4) } : {}) });
  return Buffer.concat(Array.from({ length: PONGS }, () => pong));
}

export function start(): Promise<RunningPeer> {
  const flood = pongFlood(false);
  return startPeer({ onOpen: (conn) => conn.socket.write(flood) });
}

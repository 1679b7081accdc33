// Defect: echoes every message, but only 1.5 s later (beyond the 0.5 s / 1 s kill timers of the cases).
import { startPeer, type RunningPeer } from './base.js';
import { Opcode } from '../../src/protocol/frame.js';

export const ECHO_DELAY_MS = 1500;

export function start(): Promise<RunningPeer> {
  return startPeer({
    onMessage(conn, payload, binary) {
      setTimeout(() => conn.send(binary ? Opcode.BINARY : Opcode.TEXT, payload), ECHO_DELAY_MS).unref();
    },
  });
}

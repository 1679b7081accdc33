// Defect: silently skips frames with reserved opcodes instead of failing the connection.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({
    onProtocolError(conn, code, why) {
      if (!why.startsWith('reserved opcode')) conn.fail(code);
    },
  });
}

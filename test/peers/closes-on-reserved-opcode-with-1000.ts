// Defect: fails the connection on a reserved opcode, but with close code 1000 instead of 1002.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({
    onProtocolError: (conn, code, why) => conn.fail(why.startsWith('reserved opcode') ? 1000 : code),
  });
}

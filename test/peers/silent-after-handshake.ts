// Defect: completes the opening handshake, then never sends anything nor closes TCP.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ onOpen: (conn) => conn.socket.removeAllListeners('data') });
}

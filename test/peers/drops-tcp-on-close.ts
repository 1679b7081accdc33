// Defect: drops TCP when the client sends a Close, without answering it (seed 004, case 7.3.4).
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ onClose: (conn) => conn.socket.destroy() });
}

// Defect: performs the closing handshake correctly but never closes the TCP connection, which
// RFC 6455 §7.1.1 makes the server's job.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ closesTcp: false });
}

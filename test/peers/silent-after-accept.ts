// Defect: accepts the TCP connection and never answers the opening handshake.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ onAccept: () => undefined });
}

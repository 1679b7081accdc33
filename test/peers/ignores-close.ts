// Defect: never answers a Close (and keeps the TCP connection open).
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ onClose: () => undefined });
}

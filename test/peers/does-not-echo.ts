// Defect: accepts data messages but never sends them back.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ onMessage: () => undefined });
}

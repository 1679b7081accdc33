// Defect (NON-STRICT): validates UTF-8 only once a text message is complete, not as it arrives.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ utf8: 'at-end' });
}

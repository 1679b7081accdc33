// Defect: never validates text messages and echoes invalid UTF-8 back.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ utf8: 'never' });
}

// No defect: a correct echo server (the control every defect is measured against).
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer();
}

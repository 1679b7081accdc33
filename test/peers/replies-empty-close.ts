// Defect (tolerated by the suite): answers every Close with an empty Close, whatever its code
// (seed 002, case 7.9.8).
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({
    onClose(conn) {
      conn.sendClose(null);
      conn.end();
    },
  });
}

// Defect: answers every Close with 1000, also where a protocol error (1002) is required
// (invalid close codes, 1-octet close bodies).
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({
    onClose(conn) {
      conn.sendClose(1000);
      conn.end();
    },
  });
}

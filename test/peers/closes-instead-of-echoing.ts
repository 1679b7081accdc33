// Defect: answers the first data message with a Close 1000 instead of echoing it.
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({
    onMessage: (conn) => {
      conn.sendClose(1000);
      conn.end();
    },
  });
}

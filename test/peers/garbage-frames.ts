// Defect: completes the opening handshake correctly, then sends (pseudo-)random octets as "frames".
import { pseudoRandom, startPeer, stream, type RunningPeer } from './base.js';

const LIMIT = 16 * 1024 * 1024;

export function start(seed = 0xbad5eed): Promise<RunningPeer> {
  return startPeer({
    onOpen(conn) {
      conn.socket.removeAllListeners('data');
      conn.socket.on('data', () => undefined);
      const random = pseudoRandom(seed);
      let sent = 0;
      stream(conn.socket, () => (sent < LIMIT ? ((sent += 65536), random(65536)) : null));
    },
  });
}

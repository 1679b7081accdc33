// Defect: answers the opening handshake request with a stream of (pseudo-)random octets.
import { pseudoRandom, startPeer, stream, type RunningPeer } from './base.js';

/** Octets sent per connection at most (far beyond any sane response head). */
const LIMIT = 4 * 1024 * 1024;

export function start(seed = 0x5eed): Promise<RunningPeer> {
  return startPeer({
    onAccept(socket) {
      const random = pseudoRandom(seed);
      let sent = 0;
      socket.once('data', () =>
        stream(socket, () => (sent < LIMIT ? ((sent += 16384), random(16384)) : null)),
      );
    },
  });
}

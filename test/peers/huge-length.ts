// Defect: right after the handshake, sends a binary frame header announcing 2^63-1 payload octets
// (or any `length`, e.g. 2^63, which is illegal) and then streams payload for as long as it can.
import net from 'node:net';
import { startPeer, stream, type RunningPeer } from './base.js';

const LIMIT = 512 * 1024 * 1024;

export function start(length: bigint = 2n ** 63n - 1n): Promise<RunningPeer> {
  const header = Buffer.alloc(10);
  header[0] = 0x82; // FIN, binary
  header[1] = 127; // 64-bit length, unmasked
  header.writeBigUInt64BE(length, 2);
  const chunk = Buffer.alloc(65536, 0xfe);
  return startPeer({
    onOpen(conn) {
      const socket: net.Socket = conn.socket;
      socket.removeAllListeners('data');
      socket.on('data', () => undefined);
      let sent = -1;
      stream(socket, () => (sent < 0 ? ((sent = 0), header) : sent < LIMIT ? ((sent += chunk.length), chunk) : null));
    },
  });
}

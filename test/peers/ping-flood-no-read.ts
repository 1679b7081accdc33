// Defect: after the handshake, stops reading and floods pings (125-octet payloads) as fast as the
// connection takes them, so every pong the client owes it piles up on the client's side.
import { startPeer, stream, type RunningPeer } from './base.js';
import { encodeFrame, Opcode } from '../../src/protocol/frame.js';

export function start(): Promise<RunningPeer> {
  const ping = encodeFrame({ opcode: Opcode.PING, payload: Buffer.alloc(125, 0x70) });
  const chunk = Buffer.concat(Array.from({ length: 512 }, () => ping));
  return startPeer({
    onOpen(conn) {
      conn.socket.removeAllListeners('data');
      conn.socket.pause();
      stream(conn.socket, () => chunk);
    },
  });
}

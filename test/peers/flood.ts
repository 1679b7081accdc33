// Defect: right after the handshake, floods unsolicited pongs and data messages (a tiny text and a
// 64 KiB binary message, over and over) as fast as the connection takes them, never stopping while
// the socket is open. Echo and closing handshake are correct, so the flood ends when it closes TCP.
import { startPeer, stream, type RunningPeer } from './base.js';
import { encodeFrame, Opcode } from '../../src/protocol/frame.js';

export function start(): Promise<RunningPeer> {
  const unit = Buffer.concat([
    encodeFrame({ opcode: Opcode.PONG, payload: Buffer.from('flood') }),
    encodeFrame({ opcode: Opcode.TEXT, payload: Buffer.from('x') }),
    encodeFrame({ opcode: Opcode.BINARY, payload: Buffer.alloc(65536, 0xfe) }),
  ]);
  return startPeer({ onOpen: (conn) => stream(conn.socket, () => unit) });
}

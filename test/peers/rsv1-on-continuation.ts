// Defect: echoes each compressed message in two frames and sets RSV1 on the continuation frame too
// (RFC 7692 §6.1: only the first frame of a message carries it).
import { encodeFrame, Opcode } from '../../src/protocol/frame.js';
import { startRawDeflatePeer } from './deflate-raw.js';
import type { RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startRawDeflatePeer({
    extensions: 'permessage-deflate; server_no_context_takeover; client_no_context_takeover',
    echo(send, opcode, payload, compressed) {
      const rsv = compressed ? 4 : 0;
      const half = Math.ceil(payload.length / 2);
      send(encodeFrame({ opcode, payload: payload.subarray(0, half), fin: false, rsv }));
      send(encodeFrame({ opcode: Opcode.CONTINUATION, payload: payload.subarray(half), fin: true, rsv }));
    },
  });
}

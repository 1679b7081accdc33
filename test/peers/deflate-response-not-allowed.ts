// Defect: accepts permessage-deflate but answers with parameters the offer did not allow:
// a window of 16 bits (RFC 7692 §7.1.2 allows 8..15) and a parameter RFC 7692 does not define.
import { encodeFrame } from '../../src/protocol/frame.js';
import { startRawDeflatePeer } from './deflate-raw.js';
import type { RunningPeer } from './base.js';

export function start(extensions = 'permessage-deflate; server_max_window_bits=16'): Promise<RunningPeer> {
  return startRawDeflatePeer({
    extensions,
    echo(send, opcode, payload, compressed) {
      send(encodeFrame({ opcode, payload, rsv: compressed ? 4 : 0 }));
    },
  });
}

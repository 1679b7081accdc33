// Category 3: Reserved bits. With no extension negotiated, any non-zero RSV bit must fail the connection (RFC 6455 §5.2).
import type { CaseDefinition, RawFrame } from '../fuzz/case.js';
import { scheduleOfWrites } from '../fuzz/case.js';
import { Opcode } from '../protocol/frame.js';
import { message } from '../fuzz/events.js';
import { hex, peerFailsWith1002, utf8 } from './common.js';

const HELLO = utf8('Hello, world!');

function singleFrame(id: string, frame: RawFrame, what: string): CaseDefinition {
  return {
    id,
    description: `Send ${what} with RSV = ${frame.rsv} while no extension is negotiated.`,
    expectation: 'The peer fails the connection at once with 1002: RSV bits must be 0 unless an extension defines them (RFC 6455 §5.2).',
    expected: { OK: [] },
    expectedClose: peerFailsWith1002(),
    onOpen(s) {
      s.sendFrame(frame);
      s.killAfter(1);
    },
  };
}

function echoThenViolation(id: string, rsv: number, mode: { sync?: boolean; chop?: number }, how: string): CaseDefinition {
  return {
    id,
    description: `Send a small text message, then the same message with RSV = ${rsv}, then a Ping${how}.`,
    expectation:
      'The first message is echoed; the second fails the connection with 1002 (RFC 6455 §5.2), so the Ping is never answered. A peer that fails before echoing the first message is non-strict.',
    expected: { OK: [message(HELLO)], 'NON-STRICT': [] },
    expectedClose: peerFailsWith1002(),
    schedule: scheduleOfWrites(mode),
    onOpen(s) {
      s.sendFrame({ opcode: Opcode.TEXT, payload: HELLO, ...mode });
      s.sendFrame({ opcode: Opcode.TEXT, payload: HELLO, rsv, ...mode });
      s.sendFrame({ opcode: Opcode.PING, ...mode });
      s.killAfter(1);
    },
  };
}

export const cases: CaseDefinition[] = [
  singleFrame('3.1', { opcode: Opcode.TEXT, payload: HELLO, rsv: 1 }, 'a small text message'),
  echoThenViolation('3.2', 2, {}, ''),
  echoThenViolation('3.3', 3, { sync: true }, ', each frame written separately'),
  echoThenViolation('3.4', 4, { chop: 1 }, ', all octet by octet'),
  singleFrame('3.5', { opcode: Opcode.BINARY, payload: hex('00fffefdfcfb00ff'), rsv: 5 }, 'a small binary message'),
  // The reference names this case a Ping but sends a binary data frame; the bytes are what counts.
  singleFrame('3.6', { opcode: Opcode.BINARY, payload: HELLO, rsv: 6 }, 'a small binary data frame'),
  singleFrame('3.7', { opcode: Opcode.CLOSE, rsv: 7 }, 'a Close frame'),
];

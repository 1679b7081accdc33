// Category 4: Opcodes. Reserved opcodes 3-7 and 11-15 must fail the connection (RFC 6455 §5.2).
import type { CaseDefinition } from '../fuzz/case.js';
import { scheduleOfWrites } from '../fuzz/case.js';
import { Opcode } from '../protocol/frame.js';
import { message } from '../fuzz/events.js';
import { peerFailsWith1002, utf8 } from './common.js';

const HELLO = utf8('Hello, world!');
const RESERVED_PAYLOAD = utf8('reserved opcode payload');

function kindOf(opcode: number): string {
  return opcode >= 8 ? 'control' : 'non-control';
}

function reservedAlone(id: string, opcode: number, payload: Buffer): CaseDefinition {
  return {
    id,
    description: `Send a frame with reserved ${kindOf(opcode)} opcode ${opcode}${payload.length ? ' and a payload' : ''}.`,
    expectation: 'The peer fails the connection at once with 1002 (RFC 6455 §5.2: unknown opcodes fail the connection).',
    expected: { OK: [] },
    expectedClose: peerFailsWith1002(),
    onOpen(s) {
      s.sendFrame({ opcode, payload });
      s.killAfter(1);
    },
  };
}

function reservedAfterEcho(id: string, opcode: number, payload: Buffer, chop?: number): CaseDefinition {
  return {
    id,
    description:
      `Send a small text message, then a frame with reserved ${kindOf(opcode)} opcode ${opcode}${payload.length ? ' and a payload' : ''}, then a Ping` +
      (chop ? ', all octet by octet.' : '.'),
    expectation:
      'The text message is echoed, then the peer fails the connection with 1002 (RFC 6455 §5.2) and never answers the Ping. Failing before the echo is non-strict.',
    expected: { OK: [message(HELLO)], 'NON-STRICT': [] },
    expectedClose: peerFailsWith1002(),
    schedule: scheduleOfWrites({ chop }),
    onOpen(s) {
      s.sendFrame({ opcode: Opcode.TEXT, payload: HELLO, chop });
      s.sendFrame({ opcode, payload, chop });
      s.sendFrame({ opcode: Opcode.PING, chop });
      s.killAfter(1);
    },
  };
}

const EMPTY = Buffer.alloc(0);

export const cases: CaseDefinition[] = [
  reservedAlone('4.1.1', 3, EMPTY),
  reservedAlone('4.1.2', 4, RESERVED_PAYLOAD),
  reservedAfterEcho('4.1.3', 5, EMPTY),
  reservedAfterEcho('4.1.4', 6, HELLO),
  reservedAfterEcho('4.1.5', 7, HELLO, 1),
  reservedAlone('4.2.1', 11, EMPTY),
  reservedAlone('4.2.2', 12, RESERVED_PAYLOAD),
  reservedAfterEcho('4.2.3', 13, EMPTY),
  reservedAfterEcho('4.2.4', 14, HELLO),
  reservedAfterEcho('4.2.5', 15, HELLO, 1),
];

// Category 1: Framing. One unfragmented text or binary message of a given size must come back unchanged.
import type { CaseDefinition } from '../fuzz/case.js';
import { scheduleOfWrites } from '../fuzz/case.js';
import { Opcode } from '../protocol/frame.js';
import { message } from '../fuzz/events.js';
import { closeNormallyByMe, FE, filled, STAR } from './common.js';

/** Payload length per case number x (1.1.x, 1.2.x): every length-field form and its edges. */
const SIZES = [0, 125, 126, 127, 128, 65535, 65536, 65536];

function lengthForm(n: number): string {
  if (n <= 125) return 'the 7-bit length field';
  if (n <= 0xffff) return 'the 16-bit extended length field';
  return 'the 64-bit extended length field';
}

function framingCase(sub: 1 | 2, index: number): CaseDefinition {
  const binary = sub === 2;
  const size = SIZES[index - 1]!;
  const chop = index === 8 ? 997 : undefined;
  const kill = index <= 5 ? 1 : 10;
  const payload = filled(binary ? FE : STAR, size);
  const kind = binary ? 'binary' : 'text';
  return {
    id: `1.${sub}.${index}`,
    description:
      `Send a ${kind} message with a payload of ${size} octets (${lengthForm(size)}, RFC 6455 §5.2)` +
      (chop ? `, written to the socket in chops of ${chop} octets that cut through header and payload.` : '.'),
    expectation: `The peer echoes the ${kind} message with the same payload; then the connection is closed cleanly with 1000.`,
    expected: { OK: [message(payload, binary)] },
    expectedClose: closeNormallyByMe(),
    schedule: scheduleOfWrites({ chop }),
    onOpen(s) {
      s.sendFrame({ opcode: binary ? Opcode.BINARY : Opcode.TEXT, payload, chop });
      s.killAfter(kill);
    },
  };
}

export const cases: CaseDefinition[] = [];
for (const sub of [1, 2] as const) {
  for (let i = 1; i <= 8; i++) cases.push(framingCase(sub, i));
}

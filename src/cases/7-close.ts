// Category 7: Close handling (RFC 6455 §5.5.1, §7). The fuzzer starts every closing handshake.
import type { CaseDefinition, CaseSession } from '../fuzz/case.js';
import type { ExpectedClose } from '../fuzz/events.js';
import { Opcode } from '../protocol/frame.js';
import { message } from '../fuzz/events.js';
import { informational, wrongCodeFailsBehavior } from '../fuzz/verdict.js';
import { closeNormallyByMe, hex, utf8 } from './common.js';

const HELLO = utf8('Hello World!');
const BAD_SURROGATE_MSG = hex('cebae1bdb9cf83cebcceb5eda080656469746564');

function closeCase(
  id: string,
  description: string,
  expectation: string,
  send: (s: CaseSession) => void,
  expectedClose: ExpectedClose = closeNormallyByMe(),
): CaseDefinition {
  return {
    id,
    description,
    expectation,
    expected: { OK: [] },
    expectedClose,
    suppressClose: true,
    adjustVerdict: wrongCodeFailsBehavior,
    onOpen(s) {
      send(s);
      s.killAfter(1);
    },
  };
}

const CLEAN_1000 = 'The peer answers the Close with a Close (1000 or no code), then the connection closes cleanly.';

/** Close payloads of 7.3.x: [description, code, reason, expected close]. */
const PAYLOAD_LENGTH: Array<[string, number | null, Buffer | null, ExpectedClose]> = [
  ['an empty payload (no code, no reason)', null, null, closeNormallyByMe()],
  ['a 1-octet payload, which cannot hold a status code (RFC 6455 §5.5.1)', null, utf8('a'), { closedByMe: true, closeCode: [1002], requireClean: false }],
  ['close code 1000 and no reason', 1000, null, closeNormallyByMe()],
  ['close code 1000 and a reason', 1000, HELLO, closeNormallyByMe()],
  ['close code 1000 and a 123-octet reason: the largest legal control payload (125 octets)', 1000, Buffer.alloc(123, 0x2a), closeNormallyByMe()],
  ['close code 1000 and a 124-octet reason: a 126-octet control payload, over the limit of 125 (RFC 6455 §5.5)', 1000, Buffer.alloc(124, 0x2a), { closedByMe: true, closeCode: [1002], requireClean: false }],
];

const VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
const INVALID_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999];

export const cases: CaseDefinition[] = [
  {
    id: '7.1.1',
    description: 'Send a text message, then (once it is echoed) a Close 1000.',
    expectation: 'The message is echoed, then the peer answers the Close; the connection closes cleanly.',
    expected: { OK: [message(HELLO)] },
    expectedClose: closeNormallyByMe(),
    adjustVerdict: wrongCodeFailsBehavior,
    onOpen(s) {
      s.sendMessage(HELLO, false);
      s.killAfter(1);
    },
  },
  closeCase('7.1.2', 'Send a Close 1000, then a second Close.', CLEAN_1000 + ' The second Close is ignored (RFC 6455 §5.5.1).', (s) => {
    s.sendCloseFrame(1000);
    s.sendFrame({ opcode: Opcode.CLOSE });
  }),
  closeCase('7.1.3', 'Send a Close 1000, then a Ping.', CLEAN_1000 + ' No Pong is sent after the Close (RFC 6455 §5.5.1).', (s) => {
    s.sendCloseFrame(1000);
    s.sendFrame({ opcode: Opcode.PING });
  }),
  closeCase('7.1.4', 'Send a Close 1000, then a text message.', CLEAN_1000 + ' The text message is not echoed (RFC 6455 §5.5.1).', (s) => {
    s.sendCloseFrame(1000);
    s.sendFrame({ opcode: Opcode.TEXT, payload: HELLO });
  }),
  closeCase(
    '7.1.5',
    'Send the first fragment of a text message, then a Close 1000, then the last fragment.',
    CLEAN_1000 + ' Nothing is echoed.',
    (s) => {
      s.sendFrame({ opcode: Opcode.TEXT, fin: false, payload: utf8('fragment1') });
      s.sendCloseFrame(1000);
      s.sendFrame({ opcode: Opcode.CONTINUATION, fin: true, payload: utf8('fragment2') });
    },
  ),
  {
    id: '7.1.6',
    description:
      'Send a 256 KiB text message, then a small text message, then a Close 1000, then a Ping, all at once.',
    expectation:
      'Informational: the RFC does not say whether a message that arrives before the Close but is not yet answered must be echoed. The report says what the peer did.',
    expected: { OK: [message(HELLO)], 'NON-STRICT': [] },
    expectedClose: closeNormallyByMe(),
    suppressClose: true,
    adjustVerdict: (v) =>
      informational(v, {
        OK: 'Text message was processed before close.',
        'NON-STRICT': 'Close was processed before text message could be returned.',
      }),
    onOpen(s) {
      s.sendFrame({ opcode: Opcode.TEXT, payload: utf8('BAsd7&jh23'), repeatLength: 256 * 1024 });
      s.sendFrame({ opcode: Opcode.TEXT, payload: HELLO });
      s.sendCloseFrame(1000);
      s.sendFrame({ opcode: Opcode.PING });
      s.killAfter(1);
    },
  },
  ...PAYLOAD_LENGTH.map(([what, code, reason, expectedClose], i) =>
    closeCase(
      `7.3.${i + 1}`,
      `Send a Close frame with ${what}.`,
      expectedClose.closeCode.includes(1002)
        ? 'The peer fails the connection with 1002 (or drops TCP).'
        : 'The peer answers with a Close (1000 or no code) and the connection closes cleanly.',
      (s) => s.sendCloseFrame(code, reason),
      expectedClose,
    ),
  ),
  {
    ...closeCase(
      '7.5.1',
      `Send a Close 1000 whose reason is not valid UTF-8 (0x${BAD_SURROGATE_MSG.toString('hex')}).`,
      'The peer fails the connection with 1002 or 1007 (RFC 6455 §5.5.1: the reason is UTF-8), or drops TCP.',
      (s) => s.sendCloseFrame(1000, BAD_SURROGATE_MSG),
      { closedByMe: true, closeCode: [1002, 1007], requireClean: false },
    ),
    adjustVerdict(v, context) {
      wrongCodeFailsBehavior(v);
      // The invalid reason is reported as hex (or "?" when none was sent).
      context.setLocalCloseReasonText(context.localCloseReason ? context.localCloseReason.toString('hex') : '?');
    },
  },
  ...VALID_CODES.map((code, i) =>
    closeCase(
      `7.7.${i + 1}`,
      `Send a Close with valid close code ${code} (RFC 6455 §7.4).`,
      'The peer answers with a Close carrying 1000 or the same code, and the connection closes cleanly.',
      (s) => s.sendCloseFrame(code),
      { closedByMe: true, closeCode: [1000, code], requireClean: true },
    ),
  ),
  ...INVALID_CODES.map((code, i) =>
    closeCase(
      `7.9.${i + 1}`,
      `Send a Close with invalid close code ${code} (RFC 6455 §7.4.1: not to be sent).`,
      'The peer fails the connection with 1002, or drops TCP.',
      (s) => s.sendCloseFrame(code),
      { closedByMe: true, closeCode: [1002], requireClean: false },
    ),
  ),
  ...[5000, 65535].map((code, i) => ({
    ...closeCase(
      `7.13.${i + 1}`,
      `Send a Close with close code ${code}, outside every range RFC 6455 §7.4.2 defines.`,
      'Informational: the RFC does not define what the peer should do. A Close with 1000, the same code or 1002 are all reasonable.',
      (s) => s.sendCloseFrame(code),
      { closedByMe: true, closeCode: [1000, code, 1002], requireClean: false },
    ),
    adjustVerdict: (v: Parameters<typeof informational>[0]) => informational(v, 'Actual events are undefined by the spec.'),
  })),
];

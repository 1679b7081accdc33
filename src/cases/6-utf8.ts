// Category 6: UTF-8 handling. Text payloads must be valid UTF-8 (RFC 6455 §5.6, §8.1; RFC 3629).
import type { CaseDefinition, CaseSession } from '../fuzz/case.js';
import { Opcode } from '../protocol/frame.js';
import { message, timeout } from '../fuzz/events.js';
import { closeNormallyByMe, hex, hexOf, peerFailsWith1007, utf8 } from './common.js';
import vectorGroups from './data/utf8-vectors.json' with { type: 'json' };

/** "κόσμε" (5 code points: 2+3+2+2+2 octets). */
const GREEK = hex('cebae1bdb9cf83cebcceb5');
/** "Hello-µ@ßöäüàá-UTF-8!!" */
const HELLO_MIX = hex('48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121');
/** GREEK + ED A0 80 (would be the surrogate U+D800) + "edited". */
const BAD_SURROGATE_MSG = Buffer.concat([GREEK, hex('eda080'), utf8('edited')]);
/** GREEK + F4 90 80 80 (would be U+110000) + "edited". */
const BAD_RANGE_MSG = Buffer.concat([GREEK, hex('f4908080'), utf8('edited')]);

const TEXT = Opcode.TEXT;
const CONT = Opcode.CONTINUATION;

/** Send `payload` as one text message cut into frames of the given sizes (0 = empty frame). */
function sendFragments(s: CaseSession, parts: Buffer[]): void {
  parts.forEach((payload, i) => s.sendFrame({ opcode: i === 0 ? TEXT : CONT, fin: i === parts.length - 1, payload }));
}

/**
 * One octet per frame, as the original's message API cuts with fragment size 1: since the length
 * is a multiple of the fragment size, the message ends with an empty final continuation frame.
 */
function octets(payload: Buffer): Buffer[] {
  return [...Array.from(payload, (b) => Buffer.from([b])), Buffer.alloc(0)];
}

function validFragments(id: string, description: string, parts: Buffer[], full: Buffer): CaseDefinition {
  return {
    id,
    description,
    expectation: 'The message is echoed with exactly the same payload; then a clean close with 1000.',
    expected: { OK: [message(full)] },
    expectedClose: closeNormallyByMe(),
    onOpen(s) {
      sendFragments(s, parts);
      s.closeAfter(1);
    },
  };
}

function invalidFragments(id: string, description: string, parts: Buffer[]): CaseDefinition {
  return {
    id,
    description,
    expectation:
      'Nothing is echoed: the peer fails the connection with 1007 (RFC 6455 §8.1) before the fuzzer gives up after 1 s.',
    expected: { OK: [] },
    expectedClose: peerFailsWith1007(),
    onOpen(s) {
      sendFragments(s, parts);
      s.killAfter(1);
    },
  };
}

/**
 * 6.4.x: one invalid message sent in three parts, 1 s apart. Part 2 holds the octet that makes it
 * invalid. A fail-fast peer closes within 1 s of part 2 (OK); one that checks only complete
 * messages closes after part 3 (NON-STRICT).
 */
function failFast(id: string, parts: [Buffer, Buffer, Buffer], streamed: boolean): CaseDefinition {
  const [p1, p2, p3] = parts;
  const how = streamed
    ? 'one frame whose payload is written in three parts'
    : 'three frames (text, continuation, continuation)';
  return {
    id,
    description:
      `Send an invalid text message as ${how}, 1 s apart. Part 1 is valid (0x${hexOf(p1)}), ` +
      `part 2 makes it invalid (0x${hexOf(p2)}), part 3 is the rest (0x${hexOf(p3)}).`,
    expectation:
      'The peer fails the connection with 1007 right after part 2 (fail-fast, RFC 6455 §8.1). Failing only once the whole message arrived is non-strict.',
    expected: { OK: [timeout('A')], 'NON-STRICT': [timeout('A'), timeout('B')] },
    expectedClose: peerFailsWith1007(),
    // Three small writes 1 s apart: light enough to run beside anything.
    schedule: 'waits',
    onOpen(s) {
      if (streamed) {
        s.beginFrame(TEXT, p1.length + p2.length + p3.length);
        s.sendFrameData(p1);
      } else {
        s.sendFrame({ opcode: TEXT, fin: false, payload: p1 });
      }
      s.continueLater(
        1,
        () => {
          if (s.state !== 'OPEN') return;
          s.record(timeout('A'));
          if (streamed) s.sendFrameData(p2);
          else s.sendFrame({ opcode: CONT, fin: false, payload: p2 });
          s.continueLater(
            1,
            () => {
              if (s.state !== 'OPEN') return;
              s.record(timeout('B'));
              if (streamed) {
                s.sendFrameData(p3);
                s.sendFrame({ opcode: CONT, fin: true });
              } else {
                s.sendFrame({ opcode: CONT, fin: true, payload: p3 });
              }
              s.killAfter(1);
            },
            'B',
          );
        },
        'A',
      );
    },
  };
}

interface Vector {
  id: string;
  valid: boolean;
  hex: string;
}

function vectorCase(v: Vector): CaseDefinition {
  const payload = hex(v.hex);
  const valid = v.valid;
  return {
    id: v.id,
    description:
      `Send a text message whose payload is ${valid ? 'valid' : 'not valid'} UTF-8, in one frame.<br><br>Payload: 0x${v.hex}`,
    expectation: valid
      ? 'The message is echoed; then a clean close with 1000, all within 0.5 s.'
      : 'Nothing is echoed: the peer fails the connection with 1007 (RFC 6455 §8.1) within 0.5 s.',
    expected: { OK: valid ? [message(payload)] : [] },
    expectedClose: valid ? closeNormallyByMe() : peerFailsWith1007(),
    onOpen(s) {
      s.sendMessage(payload, false);
      s.killAfter(0.5);
    },
  };
}

const EMPTY = Buffer.alloc(0);

export const cases: CaseDefinition[] = [
  validFragments('6.1.1', 'Send a text message with an empty payload.', [EMPTY], EMPTY),
  validFragments('6.1.2', 'Send a text message in 3 fragments, all with empty payloads.', [EMPTY, EMPTY, EMPTY], EMPTY),
  validFragments(
    '6.1.3',
    'Send a text message in 3 fragments: empty, "middle frame payload", empty.',
    [EMPTY, utf8('middle frame payload'), EMPTY],
    utf8('middle frame payload'),
  ),
  validFragments('6.2.1', 'Send a valid UTF-8 text message (2-octet code points) in one fragment.', [HELLO_MIX], HELLO_MIX),
  validFragments(
    '6.2.2',
    'Send a valid UTF-8 text message in two fragments, split on a code point boundary.',
    [HELLO_MIX.subarray(0, 15), HELLO_MIX.subarray(15)],
    HELLO_MIX,
  ),
  validFragments(
    '6.2.3',
    'Send a valid UTF-8 text message in fragments of 1 octet, so fragment ends fall inside code points.',
    octets(HELLO_MIX),
    HELLO_MIX,
  ),
  validFragments(
    '6.2.4',
    'Send a valid UTF-8 text message (2- and 3-octet code points) in fragments of 1 octet.',
    octets(GREEK),
    GREEK,
  ),
  invalidFragments(
    '6.3.1',
    `Send an invalid UTF-8 text message (an encoded surrogate) in one fragment.<br><br>Payload: 0x${hexOf(BAD_SURROGATE_MSG)}`,
    [BAD_SURROGATE_MSG],
  ),
  invalidFragments(
    '6.3.2',
    `Send an invalid UTF-8 text message in fragments of 1 octet.<br><br>Payload: 0x${hexOf(BAD_SURROGATE_MSG)}`,
    octets(BAD_SURROGATE_MSG),
  ),
  failFast('6.4.1', [BAD_RANGE_MSG.subarray(0, 11), BAD_RANGE_MSG.subarray(11, 15), BAD_RANGE_MSG.subarray(15)], false),
  failFast('6.4.2', [BAD_RANGE_MSG.subarray(0, 12), BAD_RANGE_MSG.subarray(12, 13), BAD_RANGE_MSG.subarray(13)], false),
  failFast('6.4.3', [BAD_RANGE_MSG.subarray(0, 11), BAD_RANGE_MSG.subarray(11, 15), BAD_RANGE_MSG.subarray(15)], true),
  failFast('6.4.4', [BAD_RANGE_MSG.subarray(0, 12), BAD_RANGE_MSG.subarray(12, 13), BAD_RANGE_MSG.subarray(13)], true),
  ...(vectorGroups as Array<{ vectors: Vector[] }>).flatMap((group) => group.vectors.map(vectorCase)),
];

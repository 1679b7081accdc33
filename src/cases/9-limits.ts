// Category 9: Limits/Performance. Large messages, many fragments, chopped writes, 1000 round trips.
// Verdicts are procedural: only the kind and length of the echo are checked (docs/cases.md, 9 Limits/Performance).
import type { CaseDefinition, CaseSession } from '../fuzz/case.js';
import { Opcode, repeatFill } from '../protocol/frame.js';
import { pyBool } from '../fuzz/verdict.js';
import { Behavior } from '../fuzz/verdicts.js';
import { closeNormallyByMe, hex, peerEndedFirstText, STAR, FE, utf8 } from './common.js';

const KiB = 1024;
const MiB = 1024 * 1024;
const TEXT_SEED = utf8('BAsd7&jh23');
const BINARY_SEED = hex('00fe23faf0');

function sizeLabel(n: number): string {
  return n >= MiB ? `${n / MiB} MiB` : `${n / KiB} KiB`;
}

function kindOf(binary: boolean): string {
  return binary ? 'binary' : 'text';
}

/** Cases with a message this large hold tens of MiB while they run (docs/modes.md, Parallel cases). */
const LARGE_MESSAGE = 4 * 1024 * 1024;

/**
 * One message of `size` octets out (built by `send` when the case runs: up to 16 MiB); the first
 * message back decides by kind and length, then Close 1000.
 */
function singleEcho(
  id: string,
  binary: boolean,
  size: number,
  waitSeconds: number,
  description: string,
  send: (s: CaseSession) => void,
): CaseDefinition {
  const kind = kindOf(binary);
  const timeoutText = `Did not receive message within ${waitSeconds} seconds.`;
  return {
    id,
    ...(size >= LARGE_MESSAGE ? { schedule: 'large' as const } : {}),
    description,
    expectation: `The peer echoes one ${kind} message of ${size} octets within ${waitSeconds} s; then a clean close with 1000. Only the kind and length of the echo are checked.`,
    expected: {},
    expectedClose: closeNormallyByMe(),
    reportTime: true,
    adjustVerdict: peerEndedFirstText(timeoutText, 'Did not receive the message: the peer ended the connection first.'),
    onOpen(s) {
      s.setWirelog(false);
      s.behavior = Behavior.FAILED;
      s.result = timeoutText;
      send(s);
      s.closeAfter(waitSeconds);
      return {
        onMessage(received, receivedBinary) {
          s.setWirelog(true);
          if (receivedBinary !== binary) {
            s.behavior = Behavior.FAILED;
            s.result = `Expected ${kind} message with payload, but got ${kindOf(receivedBinary)}.`;
          } else if (received.length !== size) {
            s.behavior = Behavior.FAILED;
            s.result = `Expected ${kind} message with payload of length ${size}, but got ${received.length}.`;
          } else {
            s.behavior = Behavior.OK;
            s.result = `Received ${kind} message of length ${size}.`;
          }
          s.sendClose(1000);
        },
      };
    },
  };
}

/** 1000 messages, one at a time, each sent when the previous one came back (9.7/9.8). */
function roundTrips(id: string, binary: boolean, size: number, waitSeconds: number): CaseDefinition {
  const count = 1000;
  const kind = kindOf(binary);
  const payload = Buffer.alloc(size, binary ? FE : STAR);
  const opcode = binary ? Opcode.BINARY : Opcode.TEXT;
  const timeoutText = `Case did not finish within ${waitSeconds} seconds.`;
  return {
    id,
    description: `Send ${count} ${kind} messages of ${size} octets, one at a time, each after the previous echo: the case duration measures the round-trip time.`,
    expectation: `Every message is echoed with the same kind and length, all within ${waitSeconds} s; then a clean close with 1000.`,
    expected: {},
    expectedClose: closeNormallyByMe(),
    reportTime: true,
    adjustVerdict: peerEndedFirstText(timeoutText, 'Case did not finish: the peer ended the connection before every message was echoed.'),
    onOpen(s) {
      s.enableWirelog(false);
      s.behavior = Behavior.FAILED;
      s.result = timeoutText;
      s.closeAfter(waitSeconds);
      let sent = 1;
      s.sendFrame({ opcode, payload });
      return {
        onMessage(received, receivedBinary) {
          if (receivedBinary !== binary || received.length !== size) {
            s.behavior = Behavior.FAILED;
            s.result = `Echo'ed message type or length differs from what I sent (got binary = ${pyBool(receivedBinary)}, payload length = ${received.length}).`;
            s.enableWirelog(true);
            s.sendClose(1000);
          } else if (sent < count) {
            sent++;
            s.sendFrame({ opcode, payload });
          } else {
            s.behavior = Behavior.OK;
            s.result = "Ok, received all echo'ed messages in time.";
            s.enableWirelog(true);
            s.sendClose(1000);
          }
        },
      };
    },
  };
}

const SIZES = [64 * KiB, 256 * KiB, MiB, 4 * MiB, 8 * MiB, 16 * MiB];
const WAIT_TEXT = [10, 10, 100, 100, 100, 100];
const WAIT_BINARY = [10, 10, 10, 10, 100, 100];
const FRAGMENT_SIZES = [64, 256, KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB];
const CHOP_SIZES = [64, 128, 256, 512, 1024, 2048];
const RTT_SIZES = [0, 16, 64, 256, 1024, 4096];
const RTT_WAIT = [60, 60, 60, 120, 240, 480];

export const cases: CaseDefinition[] = [
  ...SIZES.map((n, i) =>
    singleEcho(`9.1.${i + 1}`, false, n, WAIT_TEXT[i]!, `Send a text message of ${sizeLabel(n)} in one frame.`, (s) =>
      s.sendFrame({ opcode: Opcode.TEXT, payload: repeatFill(TEXT_SEED, n) }),
    ),
  ),
  ...SIZES.map((n, i) =>
    singleEcho(`9.2.${i + 1}`, true, n, WAIT_BINARY[i]!, `Send a binary message of ${sizeLabel(n)} in one frame.`, (s) =>
      s.sendFrame({ opcode: Opcode.BINARY, payload: repeatFill(BINARY_SEED, n) }),
    ),
  ),
  ...FRAGMENT_SIZES.map((fz, i) =>
    singleEcho(`9.3.${i + 1}`, false, 4 * MiB, 100, `Send a 4 MiB text message in fragments of ${sizeLabel(fz)}.`, (s) =>
      s.sendMessage(Buffer.alloc(4 * MiB, STAR), false, { fragmentSize: fz }),
    ),
  ),
  ...FRAGMENT_SIZES.map((fz, i) =>
    singleEcho(`9.4.${i + 1}`, true, 4 * MiB, 100, `Send a 4 MiB binary message in fragments of ${sizeLabel(fz)}.`, (s) =>
      // The reference fills 9.4.1 with 0xFE and the others with '*'; only the length is checked.
      s.sendMessage(Buffer.alloc(4 * MiB, i === 0 ? FE : STAR), true, { fragmentSize: fz }),
    ),
  ),
  ...CHOP_SIZES.map((c, i) =>
    singleEcho(
      `9.5.${i + 1}`,
      false,
      MiB,
      1000,
      `Send a 1 MiB text message in one frame, written to the socket in chops of ${c} octets.`,
      (s) => s.sendFrame({ opcode: Opcode.TEXT, payload: repeatFill(TEXT_SEED, MiB), chop: c }),
    ),
  ),
  ...CHOP_SIZES.map((c, i) =>
    singleEcho(
      `9.6.${i + 1}`,
      true,
      MiB,
      1000,
      `Send a 1 MiB binary message in one frame, written to the socket in chops of ${c} octets.`,
      (s) => s.sendFrame({ opcode: Opcode.BINARY, payload: repeatFill(BINARY_SEED, MiB), chop: c }),
    ),
  ),
  ...RTT_SIZES.map((n, i) => roundTrips(`9.7.${i + 1}`, false, n, RTT_WAIT[i]!)),
  ...RTT_SIZES.map((n, i) => roundTrips(`9.8.${i + 1}`, true, n, RTT_WAIT[i]!)),
];

// Category 5: Fragmentation (RFC 6455 §5.4).
import type { CaseDefinition, CaseSession, RawFrame } from '../fuzz/case.js';
import { scheduleOfWrites } from '../fuzz/case.js';
import { Opcode } from '../protocol/frame.js';
import { message, pong } from '../fuzz/events.js';
import { closeNormallyByMe, peerFailsWith1002, utf8 } from './common.js';

type WriteMode = { sync?: boolean; chop?: number };
const DEFAULT: WriteMode = {};
const SYNC: WriteMode = { sync: true };
const OCTETS: WriteMode = { chop: 1 };

function modeText(mode: WriteMode): string {
  if (mode.chop) return ' All frames are written octet by octet.';
  if (mode.sync) return ' Each frame is written separately.';
  return '';
}

/** Frame shorthand: opcode, FIN, payload text. */
function f(opcode: number, fin: boolean, text = ''): RawFrame {
  return { opcode, fin, payload: utf8(text) };
}

function send(s: CaseSession, frames: RawFrame[], mode: WriteMode): void {
  for (const frame of frames) s.sendFrame({ ...frame, ...mode });
}

function failing(id: string, description: string, frames: RawFrame[], mode = DEFAULT): CaseDefinition {
  return {
    id,
    description: description + modeText(mode),
    expectation: 'The peer fails the connection at once with 1002 (RFC 6455 §5.4, §5.5).',
    expected: { OK: [] },
    expectedClose: peerFailsWith1002(),
    schedule: scheduleOfWrites(mode),
    onOpen(s) {
      send(s, frames, mode);
      s.killAfter(1);
    },
  };
}

const TEXT = Opcode.TEXT;
const CONT = Opcode.CONTINUATION;
const PING = Opcode.PING;
const PONG = Opcode.PONG;

const twoFragments = [f(TEXT, false, 'fragment1'), f(CONT, true, 'fragment2')];
const withPing = [f(TEXT, false, 'fragment1'), f(PING, true, 'ping payload'), f(CONT, true, 'fragment2')];

function echoTwoFragments(id: string, mode: WriteMode): CaseDefinition {
  return {
    id,
    description: 'Send a text message in two fragments.' + modeText(mode),
    expectation: 'The reassembled message is echoed (RFC 6455 §5.4); then a clean close with 1000.',
    expected: { OK: [message('fragment1fragment2')] },
    expectedClose: closeNormallyByMe(),
    schedule: scheduleOfWrites(mode),
    onOpen(s) {
      send(s, twoFragments, mode);
      s.closeAfter(1);
    },
  };
}

function pingBetweenFragments(id: string, mode: WriteMode): CaseDefinition {
  return {
    id,
    description: 'Send a text message in two fragments with a Ping (with payload) between them.' + modeText(mode),
    expectation:
      'Control frames may be injected in a fragmented message (RFC 6455 §5.4): the Pong comes first, then the echoed message; then a clean close with 1000.',
    expected: { OK: [pong('ping payload'), message('fragment1fragment2')] },
    expectedClose: closeNormallyByMe(),
    schedule: scheduleOfWrites(mode),
    onOpen(s) {
      send(s, withPing, mode);
      s.closeAfter(1);
    },
  };
}

function pausedMessage(id: string, mode: WriteMode): CaseDefinition {
  return {
    id,
    description:
      'Send a text message in 5 fragments with two Pings in between and a 1 s pause after the first Ping.' + modeText(mode),
    expectation:
      'The peer answers each Ping without waiting for the message to finish, and echoes the whole message: Pong 1, Pong 2, then the message (only the order is checked); then a clean close with 1000.',
    expected: {
      OK: [pong('pongme 1!'), pong('pongme 2!'), message('fragment1fragment2fragment3fragment4fragment5')],
    },
    expectedClose: closeNormallyByMe(),
    // A 1 s pause between two bursts of small frames: light enough to run beside anything.
    schedule: 'waits',
    onOpen(s) {
      send(s, [f(TEXT, false, 'fragment1'), f(CONT, false, 'fragment2'), f(PING, true, 'pongme 1!')], mode);
      s.continueLater(1, () => {
        send(
          s,
          [f(CONT, false, 'fragment3'), f(CONT, false, 'fragment4'), f(PING, true, 'pongme 2!'), f(CONT, true, 'fragment5')],
          mode,
        );
        s.closeAfter(1);
      });
    },
  };
}

const orphanFin = [f(CONT, true, 'non-continuation payload'), f(TEXT, true, 'Hello, world!')];
const orphanNoFin = [f(CONT, false, 'non-continuation payload'), f(TEXT, true, 'Hello, world!')];
const orphanThenMessage = (fin: boolean) => [f(CONT, fin, 'fragment1'), f(TEXT, false, 'fragment2'), f(CONT, true, 'fragment3')];

export const cases: CaseDefinition[] = [
  failing('5.1', 'Send a Ping in two fragments: control frames must not be fragmented.', [
    f(PING, false, 'fragment1'),
    f(CONT, true, 'fragment2'),
  ]),
  failing('5.2', 'Send a Pong in two fragments: control frames must not be fragmented.', [
    f(PONG, false, 'fragment1'),
    f(CONT, true, 'fragment2'),
  ]),
  echoTwoFragments('5.3', DEFAULT),
  echoTwoFragments('5.4', SYNC),
  echoTwoFragments('5.5', OCTETS),
  pingBetweenFragments('5.6', DEFAULT),
  pingBetweenFragments('5.7', SYNC),
  pingBetweenFragments('5.8', OCTETS),
  ...[DEFAULT, SYNC, OCTETS].map((mode, i) =>
    failing(
      `5.${9 + i}`,
      'Send a continuation frame with FIN = 1 when no message is in progress, then a text message.',
      orphanFin,
      mode,
    ),
  ),
  ...[DEFAULT, SYNC, OCTETS].map((mode, i) =>
    failing(
      `5.${12 + i}`,
      'Send a continuation frame with FIN = 0 when no message is in progress, then a text message.',
      orphanNoFin,
      mode,
    ),
  ),
  {
    id: '5.15',
    description:
      'Send a text message in two fragments, then a continuation frame (FIN = 0) with no message in progress, then a text frame.',
    expectation:
      'The first message is echoed, then the peer fails the connection with 1002 (RFC 6455 §5.4). Failing before the echo is non-strict.',
    expected: { OK: [message('fragment1fragment2')], 'NON-STRICT': [] },
    expectedClose: peerFailsWith1002(),
    onOpen(s) {
      send(s, [...twoFragments, f(CONT, false, 'fragment3'), f(TEXT, true, 'fragment4')], DEFAULT);
      s.killAfter(1);
    },
  },
  failing(
    '5.16',
    'Twice: a continuation frame (FIN = 0) with no message in progress, then a text message in two fragments.',
    [...orphanThenMessage(false), ...orphanThenMessage(false)],
  ),
  failing(
    '5.17',
    'Twice: a continuation frame (FIN = 1) with no message in progress, then a text message in two fragments.',
    [...orphanThenMessage(true), ...orphanThenMessage(true)],
  ),
  failing('5.18', 'Send a text message in two fragments whose second fragment carries the text opcode instead of continuation.', [
    f(TEXT, false, 'fragment1'),
    f(TEXT, true, 'fragment2'),
  ]),
  pausedMessage('5.19', DEFAULT),
  pausedMessage('5.20', SYNC),
];

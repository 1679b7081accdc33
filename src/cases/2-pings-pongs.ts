// Category 2: Pings/Pongs (RFC 6455 §5.5.2, §5.5.3).
import type { CaseDefinition, CaseSession } from '../fuzz/case.js';
import { scheduleOfWrites } from '../fuzz/case.js';
import { Opcode } from '../protocol/frame.js';
import { pong } from '../fuzz/events.js';
import { closeNormallyByMe, FE, filled, hex, peerFailsWith1002, utf8 } from './common.js';

function pingCase(id: string, payload: Buffer, what: string, options: { chop?: number; closeAfter?: number } = {}): CaseDefinition {
  return {
    id,
    description: `Send a Ping with ${what}${options.chop ? `, written one octet per write` : ''} (RFC 6455 §5.5.2).`,
    expectation: 'The peer answers with a Pong carrying the same payload (RFC 6455 §5.5.3); then a clean close with 1000.',
    expected: { OK: [pong(payload)] },
    expectedClose: closeNormallyByMe(),
    schedule: scheduleOfWrites(options),
    onOpen(s) {
      s.sendFrame({ opcode: Opcode.PING, payload, chop: options.chop });
      s.closeAfter(options.closeAfter ?? 1);
    },
  };
}

function unsolicitedPong(id: string, payload: Buffer, what: string): CaseDefinition {
  return {
    id,
    description: `Send an unsolicited Pong with ${what}, then a Close 1000 (RFC 6455 §5.5.3 allows unsolicited Pongs).`,
    expectation: 'Nothing comes back for the Pong; the peer answers the Close, and the connection closes cleanly.',
    expected: { OK: [] },
    expectedClose: closeNormallyByMe(),
    onOpen(s) {
      s.sendFrame({ opcode: Opcode.PONG, payload });
      s.sendClose(1000);
      s.closeAfter(1);
    },
  };
}

function tenPings(id: string, chop?: number): CaseDefinition {
  const payloads = Array.from({ length: 10 }, (_, i) => utf8(`payload-${i}`));
  return {
    id,
    description: `Send 10 Pings with payloads payload-0 … payload-9 back to back${chop ? ', each written one octet per write' : ''}.`,
    expectation:
      'The peer answers every Ping with a Pong of the same payload, in order (the RFC lets an endpoint answer only the latest Ping, but this case asks for all ten); then a clean close with 1000.',
    expected: { OK: payloads.map((p) => pong(p)) },
    expectedClose: closeNormallyByMe(),
    schedule: scheduleOfWrites({ chop }),
    onOpen(s: CaseSession) {
      for (const payload of payloads) s.sendFrame({ opcode: Opcode.PING, payload, chop });
      s.closeAfter(3);
    },
  };
}

const payload125 = filled(FE, 125);

export const cases: CaseDefinition[] = [
  pingCase('2.1', Buffer.alloc(0), 'an empty payload'),
  pingCase('2.2', utf8('Hello, world!'), 'a short text payload'),
  pingCase('2.3', hex('00fffefdfcfb00ff'), 'a short binary payload that is not UTF-8'),
  pingCase('2.4', payload125, 'a 125-octet binary payload, the largest a control frame may carry (RFC 6455 §5.5)'),
  {
    id: '2.5',
    description: 'Send a Ping with a 126-octet payload: control frames must not carry more than 125 octets (RFC 6455 §5.5).',
    expectation: 'The peer fails the connection at once with 1002 (protocol error).',
    expected: { OK: [] },
    expectedClose: peerFailsWith1002(),
    onOpen(s) {
      s.sendFrame({ opcode: Opcode.PING, payload: filled(FE, 126) });
      s.killAfter(1);
    },
  },
  pingCase('2.6', payload125, 'a 125-octet binary payload', { chop: 1, closeAfter: 2 }),
  unsolicitedPong('2.7', Buffer.alloc(0), 'an empty payload'),
  unsolicitedPong('2.8', utf8('unsolicited pong payload'), 'a payload'),
  {
    id: '2.9',
    description: 'Send an unsolicited Pong with a payload, then a Ping with a payload.',
    expectation: 'No answer to the Pong; a Pong echoing the Ping payload; then a clean close with 1000.',
    expected: { OK: [pong('ping payload')] },
    expectedClose: closeNormallyByMe(),
    onOpen(s) {
      s.sendFrame({ opcode: Opcode.PONG, payload: utf8('unsolicited pong payload') });
      s.sendFrame({ opcode: Opcode.PING, payload: utf8('ping payload') });
      s.closeAfter(1);
    },
  },
  tenPings('2.10'),
  tenPings('2.11', 1),
];

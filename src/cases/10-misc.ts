// Category 10: Misc. Auto-fragmentation of the fuzzer's own message API.
import type { CaseDefinition } from '../fuzz/case.js';
import { message } from '../fuzz/events.js';
import { pyIntDict } from '../fuzz/verdict.js';
import { Behavior } from '../fuzz/verdicts.js';
import { closeNormallyByMe, filled, STAR } from './common.js';

const SIZE = 65536;
const FRAGMENT = 1300;
/** Frames the fuzzer must have sent: full fragments are continuations after the first. */
const EXPECTED_FRAMES: Array<[number, number]> = [
  [0, Math.floor(SIZE / FRAGMENT)],
  [1, SIZE % FRAGMENT > 0 ? 1 : 0],
];

export const cases: CaseDefinition[] = [
  {
    id: '10.1.1',
    description: `Send a ${SIZE}-octet text message, fragmented by the fuzzer into frames of at most ${FRAGMENT} octets.`,
    expectation: 'The message is echoed with the same payload (fragmentation is invisible to the application, RFC 6455 §5.4); then a clean close with 1000.',
    expected: { OK: [message(filled(STAR, SIZE))] },
    expectedClose: closeNormallyByMe(),
    onOpen(s) {
      s.setAutoFragmentSize(FRAGMENT);
      s.sendMessage(filled(STAR, SIZE), false);
      s.killAfter(10);
    },
    adjustVerdict(v, context) {
      if (!context.connectionWasOpen) {
        v.behavior = Behavior.FAILED;
        v.result = 'WebSocket connection was never open';
        return;
      }
      const sent: Array<[number, number]> = EXPECTED_FRAMES.map(([op]) => [op, context.txFrameStats.get(op) ?? 0]);
      if (sent.some(([, n], i) => n !== EXPECTED_FRAMES[i]![1])) {
        v.behavior = Behavior.FAILED;
        v.result = `Frames transmitted ${pyIntDict(sent)} does not match what we expected ${pyIntDict(EXPECTED_FRAMES)}.`;
      }
    },
  },
];

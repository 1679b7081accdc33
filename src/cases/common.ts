// Building blocks shared by the case modules: expectations, payloads, ID helpers.
import type { ExpectedClose } from '../fuzz/events.js';
import type { Verdict, VerdictContext } from '../fuzz/case.js';

/** The fuzzer closes normally (1000) and the close must be clean. */
export function closeNormallyByMe(): ExpectedClose {
  return { closedByMe: true, closeCode: [1000], requireClean: true };
}

/** The peer must fail the connection with 1002 (or drop TCP). */
export function peerFailsWith1002(): ExpectedClose {
  return { closedByMe: false, closeCode: [1002], requireClean: false };
}

/** The peer must fail the connection with 1007 before the fuzzer gives up; otherwise the main verdict fails too. */
export function peerFailsWith1007(): ExpectedClose {
  return { closedByMe: false, closeCode: [1007], requireClean: false, closedByWrongEndpointIsFatal: true };
}

export function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

export function hex(h: string): Buffer {
  return Buffer.from(h, 'hex');
}

/** `length` copies of one octet. */
export function filled(octet: number, length: number): Buffer {
  return Buffer.alloc(length, octet);
}

export const STAR = 0x2a;
export const FE = 0xfe;

/** Hex of a payload, as case descriptions show it. */
export function hexOf(data: Uint8Array): string {
  return Buffer.from(data).toString('hex');
}

/**
 * A procedural case starts with the text of its time-out ("… did not finish within N seconds.") and
 * replaces it when it finishes. If instead the peer ended the connection first, that text would be
 * wrong (it would be reported after a few milliseconds): the verdict keeps its behavior and gets
 * `instead` as its result text.
 */
export function peerEndedFirstText(timeoutText: string, instead: string): (verdict: Verdict, context: VerdictContext) => void {
  return (verdict, context) => {
    if (context.connectionWasOpen && !context.closedByMe && verdict.result === timeoutText) verdict.result = instead;
  };
}

// Views of case results that several verdict tests compare against.
import type { CaseResult } from '../../src/fuzz/result.js';

/** JSON view (abbreviated payload texts become strings, as in the per-case JSON). */
export function plainJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** The fields of the Case Outcome / Case Closing Behavior paragraphs and the Closing Behavior table. */
export function closingFields(r: CaseResult) {
  return {
    behavior: r.behavior,
    behaviorClose: r.behaviorClose,
    result: r.result,
    resultClose: r.resultClose,
    isServer: r.isServer,
    closedByMe: r.closedByMe,
    failedByMe: r.failedByMe,
    droppedByMe: r.droppedByMe,
    wasClean: r.wasClean,
    wasNotCleanReason: r.wasNotCleanReason,
    wasServerConnectionDropTimeout: r.wasServerConnectionDropTimeout,
    wasOpenHandshakeTimeout: r.wasOpenHandshakeTimeout,
    wasCloseHandshakeTimeout: r.wasCloseHandshakeTimeout,
    localCloseCode: r.localCloseCode,
    localCloseReason: r.localCloseReason,
    remoteCloseCode: r.remoteCloseCode,
    remoteCloseReason: r.remoteCloseReason,
  };
}

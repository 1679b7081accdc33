// From a finished session to behavior / behaviorClose (docs/verdicts.md). Pure functions.
import { eventsEqual, expectedEntries } from './events.js';
import type { CaseDefinition, Verdict } from './case.js';
import type { SessionRecord } from './session.js';
import { Behavior, BehaviorClose, toMainVerdict, type ExpectedLabel } from './verdicts.js';

export const ResultText = {
  DIFFER: 'Actual events differ from any expected.',
  MATCH: 'Actual events match at least one expected.',
  CLOSE_DEFAULT: 'TCP connection was dropped without close handshake',
  WRONG_ENDPOINT: 'The connection was failed by the wrong endpoint',
  UNCLEAN: 'The spec requires the connection to be failed cleanly here',
  FAILED_BY_CLIENT: 'It is preferred that the server close the TCP connection',
  CLOSE_OK: 'Connection was properly closed',
  NEVER_OPEN: 'The WebSocket opening handshake was never completed!',
} as const;

export function judge(def: CaseDefinition, record: SessionRecord): Verdict {
  const verdict: Verdict = {
    behavior: toMainVerdict(record.behavior),
    result: record.result,
    behaviorClose: BehaviorClose.FAILED,
    resultClose: ResultText.CLOSE_DEFAULT,
    matched: null,
  };
  if (!record.connected) {
    // wsfuzz reports cases it could not even connect for (the original skipped them).
    verdict.behavior = Behavior.FAILED;
    verdict.result = `Could not connect: ${record.connectError ?? 'unknown error'}`;
    verdict.resultClose = ResultText.NEVER_OPEN;
    return verdict;
  }
  for (const [label, events] of expectedEntries(def.expected)) {
    if (eventsEqual(events, record.received)) {
      verdict.behavior = label;
      verdict.result = ResultText.MATCH;
      verdict.matched = label;
      break;
    }
  }
  if (record.connectionWasOpen) {
    const expected = def.expectedClose;
    if (expected.closedByMe !== record.closedByMe) {
      verdict.behaviorClose = BehaviorClose.FAILED;
      verdict.resultClose = ResultText.WRONG_ENDPOINT;
    } else if (expected.requireClean && !record.wasClean) {
      verdict.behaviorClose = BehaviorClose.UNCLEAN;
      verdict.resultClose = ResultText.UNCLEAN;
    } else if (record.remoteCloseCode !== null && !expected.closeCode.includes(record.remoteCloseCode)) {
      verdict.behaviorClose = BehaviorClose.WRONG_CODE;
      verdict.resultClose = `The close code should have been ${expected.closeCode.join(',')} or empty`;
    } else if (!record.isServer && record.droppedByMe) {
      verdict.behaviorClose = BehaviorClose.FAILED_BY_CLIENT;
      verdict.resultClose = ResultText.FAILED_BY_CLIENT;
    } else {
      verdict.behaviorClose = BehaviorClose.OK;
      verdict.resultClose = ResultText.CLOSE_OK;
    }
    if (expected.closedByWrongEndpointIsFatal && expected.closedByMe !== record.closedByMe) {
      verdict.behavior = Behavior.FAILED; // the result text is left as it was (reference quirk)
    }
  } else {
    verdict.behaviorClose = BehaviorClose.FAILED;
    verdict.resultClose = ResultText.NEVER_OPEN;
  }
  return verdict;
}

// ---------------------------------------------------------------- family post-processing helpers

/** 7.1.1-7.1.5, 7.3.x, 7.5.1, 7.7.x, 7.9.x: a wrong close code also fails the main verdict. */
export function wrongCodeFailsBehavior(verdict: Verdict): void {
  if (verdict.behaviorClose === BehaviorClose.WRONG_CODE) {
    verdict.behavior = Behavior.FAILED;
    verdict.result = verdict.resultClose;
  }
}

/** Both verdicts INFORMATIONAL; `texts` gives the result text per matched label. */
export function informational(verdict: Verdict, texts: Partial<Record<ExpectedLabel, string>> | string): void {
  verdict.behavior = Behavior.INFORMATIONAL;
  verdict.behaviorClose = BehaviorClose.INFORMATIONAL;
  if (typeof texts === 'string') verdict.result = texts;
  else if (verdict.matched !== null && texts[verdict.matched] !== undefined) verdict.result = texts[verdict.matched]!;
}

/** Python-style rendering of a small int => int map, e.g. "{0: 50, 1: 1}". */
export function pyIntDict(entries: Array<[number, number]>): string {
  return `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
}

/** Booleans as the original prints them inside result texts. */
export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

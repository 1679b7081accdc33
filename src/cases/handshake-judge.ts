// Verdicts of the opening-handshake cases (category 14; docs/verdicts.md, Category 14). Pure
// functions of the generic verdict and the session record.
import type { Verdict } from '../fuzz/case.js';
import type { SessionRecord } from '../fuzz/record.js';
import { Behavior, BehaviorClose } from '../fuzz/verdicts.js';
import { headerValue, parseHead } from '../protocol/http.js';
import { Opcode } from '../protocol/frame.js';

/** The message the fuzzer sends once the handshake is (or seems) complete; its echo shows the peer took the connection as open. */
export const ECHO_TEXT = 'Hello, opening handshake';

/** fuzzingserver: how long a client may take to fail the connection after a response it must refuse. */
export const REFUSAL_WAIT_SECONDS = 3;

/**
 * What a server must do with a case's request:
 * - refuse: an HTTP error response (4xx/5xx);
 * - refuse-or-plain-http: any response but 101 (a request without Upgrade is plain HTTP);
 * - refuse-version: an error response with a Sec-WebSocket-Version header;
 * - version-8: like refuse-version, but accepting is INFORMATIONAL;
 * - accept: complete the handshake and echo;
 * - decline: complete it without what was invalid (our response check enforces that) or refuse;
 * - bounded-answer: a 4xx or a completed handshake, in bounded time.
 */
export type ServerOutcomeRule = 'refuse' | 'refuse-or-plain-http' | 'refuse-version' | 'version-8' | 'accept' | 'decline' | 'bounded-answer';

interface Status {
  code: number;
  line: string;
}

function statusOf(response: string | null): Status | null {
  if (response === null) return null;
  const line = response.split('\r\n')[0] ?? '';
  const m = /^HTTP\/\d\.\d\s+(\d{3})\b/.exec(line);
  return m ? { code: Number(m[1]), line } : null;
}

function set(v: Verdict, behavior: Verdict['behavior'], result: string, behaviorClose?: Verdict['behaviorClose'], resultClose?: string): void {
  v.behavior = behavior;
  v.result = result;
  if (behaviorClose !== undefined) v.behaviorClose = behaviorClose;
  if (resultClose !== undefined) v.resultClose = resultClose;
}

/**
 * fuzzingclient (server under test). `verdict` holds the generic rules' outcome: the echo expected
 * after a completed handshake. A refused handshake's close verdict is OK when the refusal was an
 * HTTP response (the clean way to refuse, RFC 6455 §4.2.1), UNCLEAN when TCP just closed.
 */
export function judgeServerOutcome(rule: ServerOutcomeRule, v: Verdict, record: SessionRecord): void {
  const status = statusOf(record.httpResponse);
  if (record.connectionWasOpen) {
    // A valid 101: the generic verdict (echo, clean close) stands unless accepting was wrong.
    if (rule === 'refuse' || rule === 'refuse-or-plain-http' || rule === 'refuse-version') {
      set(v, Behavior.FAILED, 'The server accepted (101) a handshake it must refuse.');
    } else if (rule === 'version-8' && v.behavior === Behavior.OK) {
      set(v, Behavior.INFORMATIONAL, 'The server accepted version 8 (draft-ietf-hybi-10) and echoed the message.');
    } else if (v.behavior !== Behavior.OK) {
      v.result = 'The server completed the handshake but did not echo the message as expected.';
    }
    return;
  }
  if (status !== null && status.code === 101) {
    set(v, Behavior.FAILED, `The server answered 101, but the response is not valid for this request: ${record.wasNotCleanReason ?? 'unknown reason'}`);
    return;
  }
  if (status !== null) {
    const refused = `The server did not accept the handshake: ${status.line}`;
    v.behaviorClose = BehaviorClose.OK;
    v.resultClose = 'The handshake was refused with an HTTP response';
    if (rule === 'accept') {
      set(v, Behavior.FAILED, `${refused} (a valid handshake must be accepted).`, BehaviorClose.FAILED, 'The WebSocket opening handshake was never completed!');
      return;
    }
    const isError = status.code >= 400 && status.code <= 599;
    if ((rule === 'refuse-version' || rule === 'version-8') && isError) {
      const head = parseHead(record.httpResponse!);
      const versions = headerValue(head, 'sec-websocket-version');
      if (versions === undefined) set(v, Behavior.FAILED, `${refused}, without a Sec-WebSocket-Version header (RFC 6455 §4.4: MUST list the supported versions).`);
      else set(v, Behavior.OK, `${refused}, with Sec-WebSocket-Version: ${versions}.`);
      return;
    }
    if (rule === 'refuse-or-plain-http' || isError) set(v, Behavior.OK, `${refused}.`);
    else set(v, Behavior.NON_STRICT, `${refused} (a refusal should be a 4xx/5xx error status).`);
    return;
  }
  if (record.wasNotCleanReason === 'peer did not finish (in time) the opening handshake') {
    set(v, Behavior.FAILED, 'The server did not answer the handshake within the opening-handshake timeout.', BehaviorClose.FAILED, 'The WebSocket opening handshake was never completed!');
    return;
  }
  const how = record.httpResponse === null ? 'closed the connection without an HTTP response' : 'sent something that is not an HTTP response';
  set(
    v,
    Behavior.FAILED,
    `The server ${how}${rule === 'accept' ? '; a valid handshake must be accepted' : '; a refusal must be an HTTP error response'}.`,
    BehaviorClose.UNCLEAN,
    'The server ended TCP without an HTTP response',
  );
}

/**
 * fuzzingserver (client under test), a response the client must refuse. The fuzzer sent a text
 * message right after the response and waited REFUSAL_WAIT_SECONDS (a 'timeout' event marks the
 * end of the wait, see the case's onOpen). The client failed the connection correctly if it closed TCP without a frame.
 */
export function judgeClientResponseRefusal(v: Verdict, record: SessionRecord): void {
  const waitEnd = record.received.findIndex((e) => e.kind === 'timeout');
  const dataFrames = [Opcode.CONTINUATION, Opcode.TEXT, Opcode.BINARY].reduce<number>((n, op) => n + (record.wirelog.rxFrameStats.get(op) ?? 0), 0);
  const closeFrames = record.wirelog.rxFrameStats.get(Opcode.CLOSE) ?? 0;
  if (dataFrames > 0) {
    // An echo, early or late, compressed or not: the client took the connection as open (the
    // close verdict is the generic one of that connection).
    set(v, Behavior.FAILED, 'The client accepted the response: it sent data frames (the echo of the message sent after the response); it MUST fail the connection.');
    return;
  }
  if (waitEnd >= 0) {
    set(
      v,
      Behavior.FAILED,
      `The client neither echoed nor failed the connection within ${REFUSAL_WAIT_SECONDS} s (it MUST fail the connection).`,
      BehaviorClose.FAILED,
      'The client kept the connection open',
    );
    return;
  }
  if (closeFrames > 0 && !record.closedByMe) {
    set(
      v,
      Behavior.NON_STRICT,
      'The client refused the response with a Close frame: the connection was never established, so it should just close TCP (RFC 6455 §7.1.7).',
      BehaviorClose.OK,
      'The client ended the connection',
    );
    return;
  }
  set(v, Behavior.OK, 'The client failed the connection without taking it as open.', BehaviorClose.OK, 'The client closed TCP without a frame');
}

// Category 14: Opening Handshake (docs/cases.md, Category 14), beyond the original's catalogue and
// selected only on request. 14.1-14.7 run in fuzzingclient (the server under test gets a crafted
// request), 14.8-14.10 in fuzzingserver (the client under test gets a crafted response). Every case
// names the RFC requirement it checks and whether it is a MUST (FAILED when violated) or a SHOULD
// (NON-STRICT); the judging rules are in handshake-judge.ts.
import type { CaseDefinition } from '../fuzz/case.js';
import { message, timeout } from '../fuzz/events.js';
import type { RawRequest, RequestContext } from '../fuzz/handshake-case.js';
import { acceptKey } from '../protocol/handshake.js';
import { encodeFrame, Opcode } from '../protocol/frame.js';
import { randomBytes } from 'node:crypto';
import { closeNormallyByMe } from './common.js';
import {
  ECHO_TEXT,
  judgeClientResponseRefusal,
  judgeServerOutcome,
  REFUSAL_WAIT_SECONDS,
  type ServerOutcomeRule,
} from './handshake-judge.js';
import { registerSubcategoryTitle } from './titles.js';

const SUBCATEGORIES: Array<[string, string]> = [
  ['14.1', 'Upgrade and Connection headers (server)'],
  ['14.2', 'Sec-WebSocket-Version (server)'],
  ['14.3', 'Sec-WebSocket-Key (server)'],
  ['14.4', 'Request line and Host (server)'],
  ['14.5', 'Extension offers (server)'],
  ['14.6', 'Subprotocol selection (server)'],
  ['14.7', 'Request delivery (server)'],
  ['14.8', 'Response status and headers (client)'],
  ['14.9', 'Extensions and subprotocols in the response (client)'],
  ['14.10', 'Data right after the response (client)'],
];
for (const [sub, title] of SUBCATEGORIES) registerSubcategoryTitle(sub, title);

/** Seconds an accepted connection may take to echo and close. */
const ECHO_BOUND_SECONDS = 10;

// ---------------------------------------------------------------- requests (fuzzingclient)

type Lines = string[];

/** A valid RFC 6455 request, one header per line (no CRLFs). */
function validRequestLines(c: RequestContext): Lines {
  return [
    `GET ${c.resource} HTTP/1.1`,
    `Host: ${c.hostPort}`,
    `User-Agent: ${c.userAgent}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${c.key}`,
    'Sec-WebSocket-Version: 13',
  ];
}

function headerIndex(lines: Lines, name: string): number {
  return lines.findIndex((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'));
}

/** Remove the header `name`. */
function without(name: string): (lines: Lines) => Lines {
  return (lines) => lines.filter((_, i) => i !== headerIndex(lines, name));
}

/** Replace the header `name` with `replacement` lines (all of them, in its place). */
function replaced(name: string, ...replacement: string[]): (lines: Lines) => Lines {
  return (lines) => {
    const i = headerIndex(lines, name);
    return [...lines.slice(0, i), ...replacement, ...lines.slice(i + 1)];
  };
}

/** Add header lines at the end. */
function added(...extra: string[]): (lines: Lines) => Lines {
  return (lines) => [...lines, ...extra];
}

function headOf(lines: Lines): string {
  return lines.join('\r\n') + '\r\n\r\n';
}

/** The echo message as a masked client frame (RFC 6455 §5.3). */
function maskedEchoFrame(): Buffer {
  return encodeFrame({ opcode: Opcode.TEXT, payload: Buffer.from(ECHO_TEXT), mask: randomBytes(4) });
}

interface ServerCaseSpec {
  id: string;
  /** What is sent (plain text: the first sentence is /getCaseInfo's description). */
  sends: string;
  /** The requirement, e.g. "RFC 6455 §4.2.1 (MUST): ...". */
  requirement: string;
  rule: ServerOutcomeRule;
  edit?: (lines: Lines, context: RequestContext) => Lines;
  /** Subprotocols offered (a 101 may select only one of them). */
  protocols?: string[];
  /** How the request is cut into writes. */
  split?: (head: string) => string[];
  /** The echo message goes in the same write as the request head. */
  frameWithRequest?: boolean;
}

const RULE_TEXT: Record<ServerOutcomeRule, string> = {
  refuse:
    'Verdict: FAILED if the server accepts (101) or gives no HTTP response (RFC 6455 §4.2.1: it MUST stop processing the handshake and return an HTTP error response); NON-STRICT if it refuses with a status that is not an error (not 4xx/5xx); OK if it refuses with 4xx/5xx.',
  'refuse-or-plain-http':
    'Verdict: FAILED if the server accepts (101) or gives no HTTP response; OK for any other HTTP response (a request without Upgrade is a plain HTTP request, which the server may serve).',
  'refuse-version':
    'Verdict: FAILED if the server accepts (101), gives no HTTP response, or its refusal carries no Sec-WebSocket-Version header (RFC 6455 §4.4: the server MUST respond with a Sec-WebSocket-Version header field listing the versions it supports); NON-STRICT if the refusal is not a 4xx/5xx status; OK otherwise. The status 426 Upgrade Required is only an example in RFC 6455 §4.2.2 ("such as"): 400 with the header is OK too.',
  'version-8':
    'Verdict: OK if the server refuses with 4xx/5xx and a Sec-WebSocket-Version header (RFC 6455 §4.4, MUST); INFORMATIONAL if it accepts and echoes (a server may still implement draft-ietf-hybi-10, version 8); FAILED for a refusal without that header or without an HTTP response.',
  accept:
    'Verdict: OK if the server completes the handshake and echoes the message; FAILED if it refuses or the echo is missing.',
  decline:
    'Verdict: OK if the server completes the handshake without the offending extension or subprotocol and echoes the message, or refuses with 4xx/5xx; FAILED if its 101 accepts what was not valid to accept, or it gives no HTTP response.',
  'bounded-answer':
    'Verdict: OK if the server refuses with an error status (RFC 9110 §5.4: a server that receives a header section larger than it wishes to process MUST respond with an appropriate 4xx status), or accepts and echoes; NON-STRICT for a status that is not an error; FAILED if it closes without an HTTP response or does not answer within the opening-handshake timeout.',
};

function serverCase(spec: ServerCaseSpec): CaseDefinition {
  return {
    id: spec.id,
    description: `${spec.sends}<br><br>${spec.requirement}<br><br>${RULE_TEXT[spec.rule]}`,
    expectation:
      spec.rule === 'accept'
        ? 'The server completes the handshake and echoes the text message; then a clean close with 1000.'
        : 'See the verdict rule in the description; a completed handshake is followed by one text message that the server should echo.',
    expected: { OK: [message(ECHO_TEXT)] },
    expectedClose: closeNormallyByMe(),
    handshake: {
      mode: 'fuzzingclient',
      request(context): RawRequest {
        const lines = (spec.edit ?? ((l) => l))(validRequestLines(context), context);
        const protocols = spec.protocols ?? [];
        if (protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${protocols.join(', ')}`);
        const head = headOf(lines);
        const pieces = spec.split ? spec.split(head) : [head];
        const chunks = pieces.map((p) => Buffer.from(p, 'latin1'));
        if (spec.frameWithRequest) chunks[chunks.length - 1] = Buffer.concat([chunks[chunks.length - 1]!, maskedEchoFrame()]);
        return { chunks, text: head, check: { key: context.key, offeredDeflate: false, protocols } };
      },
      judge: (verdict, record) => judgeServerOutcome(spec.rule, verdict, record),
    },
    onOpen(s) {
      if (!spec.frameWithRequest) s.sendMessage(Buffer.from(ECHO_TEXT), false);
      s.killAfter(ECHO_BOUND_SECONDS);
    },
  };
}

const ABORT = 'RFC 6455 §4.2.1 (MUST): a server that finds the request is not a valid opening handshake MUST stop processing it and return an HTTP error response (such as 400 Bad Request).';
const VERSION_ABORT =
  'RFC 6455 §4.2.2 (MUST): if the version is not one the server understands, it MUST abort the handshake and send an HTTP error code (such as 426 Upgrade Required) and a Sec-WebSocket-Version header field; RFC 6455 §4.4 (MUST): that header lists all versions the server is willing to use.';
const DEFLATE_DECLINE =
  'RFC 7692 §7 (MUST): a server MUST decline a permessage-deflate offer that has an unknown parameter, a parameter with an invalid value, or the same parameter twice; RFC 7692 §5.1: declining means not naming permessage-deflate in the response (or failing the handshake).';

const serverCases: CaseDefinition[] = [
  serverCase({
    id: '14.1.1',
    sends: 'Send an opening handshake without an Upgrade header.',
    requirement: `${ABORT} Item 3 of §4.2.1: the request MUST have an Upgrade header containing "websocket".`,
    rule: 'refuse-or-plain-http',
    edit: without('Upgrade'),
  }),
  serverCase({
    id: '14.1.2',
    sends: 'Send an opening handshake with "Upgrade: websockets" (misspelled).',
    requirement: `${ABORT} Item 3 of §4.2.1: Upgrade MUST contain the token "websocket".`,
    rule: 'refuse',
    edit: replaced('Upgrade', 'Upgrade: websockets'),
  }),
  serverCase({
    id: '14.1.3',
    sends: 'Send an opening handshake without a Connection header.',
    requirement: `${ABORT} Item 4 of §4.2.1: the request MUST have a Connection header containing the token "Upgrade".`,
    rule: 'refuse',
    edit: without('Connection'),
  }),
  serverCase({
    id: '14.1.4',
    sends: 'Send an opening handshake with "Connection: Upgrad" (misspelled).',
    requirement: `${ABORT} Item 4 of §4.2.1: Connection MUST contain the token "Upgrade".`,
    rule: 'refuse',
    edit: replaced('Connection', 'Connection: Upgrad'),
  }),
  serverCase({
    id: '14.1.5',
    sends: 'Send a valid opening handshake whose header names and the Upgrade and Connection tokens are in other letter cases (uPGRADE: WebSocket, cONNECTION: uPGRADE, sEC-wEBsOCKET-kEY, SEC-WEBSOCKET-VERSION).',
    requirement:
      'RFC 6455 §4.2.1 (MUST): header names are case-insensitive (RFC 9110 §5.1) and the Upgrade and Connection tokens are matched case-insensitively; a valid handshake MUST be accepted (§4.2.2).',
    rule: 'accept',
    edit: (lines, c) =>
      replaced('Sec-WebSocket-Version', 'SEC-WEBSOCKET-VERSION: 13')(
        replaced('Sec-WebSocket-Key', `sEC-wEBsOCKET-kEY: ${c.key}`)(
          replaced('Connection', 'cONNECTION: uPGRADE')(replaced('Upgrade', 'uPGRADE: WebSocket')(replaced('Host', `hOST: ${c.hostPort}`)(lines))),
        ),
      ),
  }),
  serverCase({
    id: '14.1.6',
    sends: 'Send a valid opening handshake with "Connection: keep-alive, Upgrade" (as browsers send it).',
    requirement: 'RFC 6455 §4.2.1 item 4 (MUST): the Connection header must include the token "Upgrade": other tokens may come with it, and the handshake MUST be accepted.',
    rule: 'accept',
    edit: replaced('Connection', 'Connection: keep-alive, Upgrade'),
  }),
  ...[12, 14, 99].map((version, i) =>
    serverCase({
      id: `14.2.${i + 2}`,
      sends: `Send an opening handshake with "Sec-WebSocket-Version: ${version}".`,
      requirement: VERSION_ABORT,
      rule: 'refuse-version',
      edit: replaced('Sec-WebSocket-Version', `Sec-WebSocket-Version: ${version}`),
    }),
  ),
  serverCase({
    id: '14.2.1',
    sends: 'Send an opening handshake with "Sec-WebSocket-Version: 8" (draft-ietf-hybi-10).',
    requirement: `${VERSION_ABORT} A server that still implements version 8 may accept it.`,
    rule: 'version-8',
    edit: replaced('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 8'),
  }),
  serverCase({
    id: '14.2.5',
    sends: 'Send an opening handshake without a Sec-WebSocket-Version header.',
    requirement: `${ABORT} Item 6 of §4.2.1: the request MUST have a Sec-WebSocket-Version header with the value 13.`,
    rule: 'refuse',
    edit: without('Sec-WebSocket-Version'),
  }),
  serverCase({
    id: '14.2.6',
    sends: 'Send an opening handshake with the Sec-WebSocket-Version header twice ("13" both times).',
    requirement: `${ABORT} RFC 6455 §11.3.5: Sec-WebSocket-Version MUST NOT appear more than once in a request.`,
    rule: 'refuse',
    edit: replaced('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 13'),
  }),
  serverCase({
    id: '14.3.1',
    sends: 'Send an opening handshake without a Sec-WebSocket-Key header.',
    requirement: `${ABORT} Item 5 of §4.2.1: the request MUST have a Sec-WebSocket-Key header.`,
    rule: 'refuse',
    edit: without('Sec-WebSocket-Key'),
  }),
  serverCase({
    id: '14.3.2',
    sends: 'Send an opening handshake whose Sec-WebSocket-Key is base64 of 15 octets (20 characters), not 16.',
    requirement: `${ABORT} Item 5 of §4.2.1: the key MUST decode to a value 16 bytes in length.`,
    rule: 'refuse',
    edit: replaced('Sec-WebSocket-Key', `Sec-WebSocket-Key: ${Buffer.alloc(15, 0x41).toString('base64')}`),
  }),
  serverCase({
    id: '14.3.3',
    sends: 'Send an opening handshake whose Sec-WebSocket-Key is 24 characters that are not base64 ("!!!!!!!!!!!!!!!!!!!!!!==").',
    requirement: `${ABORT} Item 5 of §4.2.1: the key MUST be a base64-encoded value (RFC 4648 §4).`,
    rule: 'refuse',
    edit: replaced('Sec-WebSocket-Key', 'Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!=='),
  }),
  serverCase({
    id: '14.3.4',
    sends: 'Send an opening handshake with two different Sec-WebSocket-Key headers.',
    requirement: `${ABORT} RFC 6455 §11.3.1: Sec-WebSocket-Key MUST NOT appear more than once in a request.`,
    rule: 'refuse',
    edit: (lines, c) => replaced('Sec-WebSocket-Key', `Sec-WebSocket-Key: ${c.key}`, `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`)(lines),
  }),
  serverCase({
    id: '14.4.1',
    sends: 'Send an opening handshake with the method POST instead of GET.',
    requirement: `${ABORT} Item 1 of §4.2.1: the request MUST be an HTTP/1.1 or higher GET request.`,
    rule: 'refuse',
    edit: (lines) => [lines[0]!.replace(/^GET /, 'POST '), ...lines.slice(1)],
  }),
  serverCase({
    id: '14.4.2',
    sends: 'Send an opening handshake as an HTTP/1.0 request.',
    requirement: `${ABORT} Item 1 of §4.2.1: the request MUST be an HTTP/1.1 or higher GET request.`,
    rule: 'refuse',
    edit: (lines) => [lines[0]!.replace(/HTTP\/1\.1$/, 'HTTP/1.0'), ...lines.slice(1)],
  }),
  serverCase({
    id: '14.4.3',
    sends: 'Send an opening handshake without a Host header.',
    requirement: `${ABORT} Item 2 of §4.2.1: the request MUST have a Host header (also RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host).`,
    rule: 'refuse',
    edit: without('Host'),
  }),
  serverCase({
    id: '14.5.1',
    sends: 'Send a valid opening handshake that offers only an unknown extension ("Sec-WebSocket-Extensions: x-wsfuzz-unknown; mode=1").',
    requirement:
      'RFC 6455 §4.2.2 /extensions/ and §9.1: the response lists the extensions the server is ready to use; naming one means agreeing to speak it. x-wsfuzz-unknown is defined nowhere, so no server can: it MUST NOT be in the response (checked as a MUST, as naming it would commit the connection to an extension neither side implements).',
    rule: 'decline',
    edit: added('Sec-WebSocket-Extensions: x-wsfuzz-unknown; mode=1'),
  }),
  ...(
    [
      ['server_max_window_bits=7', 'server_max_window_bits out of range (7; RFC 7692 §7.1.2.1 allows 8 to 15)'],
      ['server_max_window_bits=16', 'server_max_window_bits out of range (16)'],
      ['client_max_window_bits=abc', 'client_max_window_bits with a value that is not a number'],
      ['server_no_context_takeover; server_no_context_takeover', 'server_no_context_takeover twice'],
      ['x_wsfuzz_unknown', 'an unknown parameter (x_wsfuzz_unknown)'],
      ['server_no_context_takeover=1', 'server_no_context_takeover with a value (RFC 7692 §7.1.1.1: it has none)'],
    ] as const
  ).map(([params, what], i) =>
    serverCase({
      id: `14.5.${i + 2}`,
      sends: `Send a valid opening handshake offering permessage-deflate with ${what}: "permessage-deflate; ${params}".`,
      requirement: DEFLATE_DECLINE,
      rule: 'decline',
      edit: added(`Sec-WebSocket-Extensions: permessage-deflate; ${params}`),
    }),
  ),
  serverCase({
    id: '14.6.1',
    sends: 'Send a valid opening handshake offering one subprotocol ("Sec-WebSocket-Protocol: wsfuzz.test").',
    requirement:
      'RFC 6455 §4.2.2 /subprotocol/ (MUST): a selected subprotocol MUST be one the client offered, else the server MUST NOT send Sec-WebSocket-Protocol (a client would fail the connection, §4.1).',
    rule: 'decline',
    protocols: ['wsfuzz.test'],
  }),
  serverCase({
    id: '14.6.2',
    sends: 'Send a valid opening handshake offering no subprotocol.',
    requirement: 'RFC 6455 §4.2.2 /subprotocol/ (MUST NOT): with no subprotocol offered, the server MUST NOT send a Sec-WebSocket-Protocol header.',
    rule: 'decline',
  }),
  serverCase({
    id: '14.6.3',
    sends: 'Send a valid opening handshake offering two subprotocols ("Sec-WebSocket-Protocol: wsfuzz.b, wsfuzz.a").',
    requirement: 'RFC 6455 §4.2.2 /subprotocol/ (MUST): the server selects at most one, and only one the client offered.',
    rule: 'decline',
    protocols: ['wsfuzz.b', 'wsfuzz.a'],
  }),
  serverCase({
    id: '14.7.1',
    sends: 'Send a valid opening handshake and a masked text frame in the same TCP write, before any response.',
    requirement:
      'RFC 6455 §4.1 and §1.3 (MUST): once the handshake succeeds, data that follows the request head belongs to the WebSocket connection; the server MUST process that frame after the handshake (it may not drop it).',
    rule: 'accept',
    frameWithRequest: true,
  }),
  serverCase({
    id: '14.7.2',
    sends: 'Send a valid opening handshake one header line per TCP write, 50 ms apart.',
    requirement: 'RFC 9112 §2.2 and RFC 6455 §4.2.1 (MUST): a request is a byte stream, however it is cut; a valid handshake MUST be accepted.',
    rule: 'accept',
    split: (head) => head.split(/(?<=\r\n)/),
  }),
  serverCase({
    id: '14.7.3',
    sends: 'Send a valid opening handshake cut inside a header name and inside the final CRLFCRLF (three TCP writes, 50 ms apart).',
    requirement: 'RFC 9112 §2.2 and RFC 6455 §4.2.1 (MUST): a request is a byte stream, however it is cut; a valid handshake MUST be accepted.',
    rule: 'accept',
    split: (head) => {
      const cut = head.indexOf('Upgrade') + 3;
      return [head.slice(0, cut), head.slice(cut, head.length - 1), head.slice(head.length - 1)];
    },
  }),
  serverCase({
    id: '14.7.4',
    sends: 'Send an otherwise valid opening handshake with a 48 KiB header field (X-Wsfuzz-Padding), all in one TCP write.',
    requirement:
      'RFC 9110 §5.4 (MUST): a server that receives a header section larger than it wishes to process MUST respond with an appropriate 4xx status; it must neither hang nor crash.',
    rule: 'bounded-answer',
    edit: added(`X-Wsfuzz-Padding: ${'a'.repeat(48 * 1024)}`),
  }),
];

// ---------------------------------------------------------------- responses (fuzzingserver)

function validResponseLines(key: string): Lines {
  return ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(key)}`];
}

interface ClientCaseSpec {
  id: string;
  sends: string;
  requirement: string;
  /** The client must refuse the response (else it must accept it and echo). */
  mustRefuse: boolean;
  edit?: (lines: Lines, key: string) => Lines;
}

const CLIENT_REFUSE_RULE = `Verdict: FAILED if the client echoes the message the fuzzer sends right after its response (or sends any data frame), or keeps the connection open for ${REFUSAL_WAIT_SECONDS} s without failing it; NON-STRICT if it only answers with a Close frame (it treated a connection that was never established as open; RFC 6455 §7.1.7 asks it just to close TCP); OK if it closes TCP without sending a frame.`;
const CLIENT_ACCEPT_RULE = 'Verdict: OK if the client echoes the message the fuzzer sends right after its response; FAILED otherwise.';

function clientCase(spec: ClientCaseSpec): CaseDefinition {
  return {
    id: spec.id,
    description: `${spec.sends}<br><br>${spec.requirement}<br><br>${spec.mustRefuse ? CLIENT_REFUSE_RULE : CLIENT_ACCEPT_RULE}`,
    expectation: spec.mustRefuse
      ? 'The client fails the connection (closes TCP) without echoing the message.'
      : 'The client takes the connection as open and echoes the message; then a clean close with 1000.',
    expected: spec.mustRefuse ? {} : { OK: [message(ECHO_TEXT)] },
    expectedClose: spec.mustRefuse ? { closedByMe: true, closeCode: [1000], requireClean: false } : closeNormallyByMe(),
    handshake: {
      mode: 'fuzzingserver',
      response(request) {
        const lines = (spec.edit ?? ((l) => l))(validResponseLines(request.key), request.key);
        return { text: headOf(lines), deflate: null };
      },
      judge: spec.mustRefuse ? judgeClientResponseRefusal : () => undefined,
    },
    onOpen(s) {
      // Sent in the same turn, so in the same TCP write as the response.
      s.sendMessage(Buffer.from(ECHO_TEXT), false);
      if (!spec.mustRefuse) {
        s.killAfter(ECHO_BOUND_SECONDS);
        return;
      }
      s.continueLater(
        REFUSAL_WAIT_SECONDS,
        () => {
          s.record(timeout('refusal-wait'));
          s.sendClose(1000);
        },
        'refusal-wait',
      );
      // An echo settles the verdict (FAILED): close at once instead of waiting.
      return {
        onMessage(payload, binary) {
          s.record({ kind: 'message', payload, binary });
          s.sendClose(1000);
        },
      };
    },
  };
}

const CLIENT_FAIL = 'RFC 6455 §4.1 (MUST): if the server\'s response does not satisfy the listed conditions, the client MUST _Fail the WebSocket Connection_.';

const clientCases: CaseDefinition[] = [
  clientCase({
    id: '14.8.1',
    sends: 'Answer with a 101 whose Sec-WebSocket-Accept is the value for another key.',
    requirement: `${CLIENT_FAIL} Item 4: Sec-WebSocket-Accept MUST be base64(SHA-1(key + GUID)) of the client's key.`,
    mustRefuse: true,
    edit: replaced('Sec-WebSocket-Accept', `Sec-WebSocket-Accept: ${acceptKey('dGhlIHNhbXBsZSBub25jZQ==')}`),
  }),
  clientCase({
    id: '14.8.2',
    sends: 'Answer with a 101 without a Sec-WebSocket-Accept header.',
    requirement: `${CLIENT_FAIL} Item 4: the response MUST have a Sec-WebSocket-Accept header.`,
    mustRefuse: true,
    edit: without('Sec-WebSocket-Accept'),
  }),
  clientCase({
    id: '14.8.3',
    sends: 'Answer with "HTTP/1.1 200 OK" and otherwise valid WebSocket headers.',
    requirement: `${CLIENT_FAIL} Item 1: a status other than 101 means the handshake has not completed.`,
    mustRefuse: true,
    edit: (lines) => ['HTTP/1.1 200 OK', ...lines.slice(1)],
  }),
  clientCase({
    id: '14.8.4',
    sends: 'Answer with a 101 without an Upgrade header.',
    requirement: `${CLIENT_FAIL} Item 2: the response MUST have Upgrade: websocket.`,
    mustRefuse: true,
    edit: without('Upgrade'),
  }),
  clientCase({
    id: '14.8.5',
    sends: 'Answer with a 101 without a Connection header.',
    requirement: `${CLIENT_FAIL} Item 3: the response MUST have Connection: Upgrade.`,
    mustRefuse: true,
    edit: without('Connection'),
  }),
  clientCase({
    id: '14.8.6',
    sends: 'Answer with a valid 101 whose header names and tokens are in other letter cases (uPGRADE: WEBSOCKET, cONNECTION: uPGRADE, sEC-wEBsOCKET-aCCEPT).',
    requirement:
      'RFC 6455 §4.1 (MUST): header names are case-insensitive and the Upgrade and Connection values are compared case-insensitively (items 2 and 3); a valid response MUST be accepted.',
    mustRefuse: false,
    edit: (_lines, key) => ['HTTP/1.1 101 Switching Protocols', 'uPGRADE: WEBSOCKET', 'cONNECTION: uPGRADE', `sEC-wEBsOCKET-aCCEPT: ${acceptKey(key)}`],
  }),
  clientCase({
    id: '14.9.1',
    sends: 'Answer with a 101 that names an extension the client did not offer ("Sec-WebSocket-Extensions: x-wsfuzz-unknown").',
    requirement: `${CLIENT_FAIL} Item 5: an extension not present in the client's handshake MUST fail the connection.`,
    mustRefuse: true,
    edit: added('Sec-WebSocket-Extensions: x-wsfuzz-unknown'),
  }),
  clientCase({
    id: '14.9.2',
    sends: 'Answer with a 101 that selects a subprotocol the client did not offer ("Sec-WebSocket-Protocol: wsfuzz.unrequested").',
    requirement: `${CLIENT_FAIL} Item 6: a subprotocol not present in the client's handshake MUST fail the connection.`,
    mustRefuse: true,
    edit: added('Sec-WebSocket-Protocol: wsfuzz.unrequested'),
  }),
  clientCase({
    id: '14.9.3',
    sends: 'Answer with a 101 accepting permessage-deflate with server_max_window_bits=7 (out of range).',
    requirement:
      'RFC 7692 §7 and §7.1.2.1 (MUST): a client MUST fail the connection if the response has a parameter with an invalid value (server_max_window_bits is 8 to 15); a client that did not offer permessage-deflate MUST fail it anyway (RFC 6455 §4.1 item 5).',
    mustRefuse: true,
    edit: added('Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7'),
  }),
  clientCase({
    id: '14.9.4',
    sends: 'Answer with a 101 accepting permessage-deflate with an unknown parameter ("permessage-deflate; x_wsfuzz_unknown").',
    requirement:
      'RFC 7692 §7 (MUST): a client MUST fail the connection if the response has an extension parameter not defined for use in a response; a client that did not offer permessage-deflate MUST fail it anyway (RFC 6455 §4.1 item 5).',
    mustRefuse: true,
    edit: added('Sec-WebSocket-Extensions: permessage-deflate; x_wsfuzz_unknown'),
  }),
  clientCase({
    id: '14.10.1',
    sends: 'Answer with a valid 101 and, in the same TCP write, a text message.',
    requirement:
      'RFC 6455 §4.1 (MUST): once the response is valid the connection is established; frames that arrive together with the response head MUST be processed (the client echoes it).',
    mustRefuse: false,
  }),
];

export const cases: CaseDefinition[] = [...serverCases, ...clientCases];

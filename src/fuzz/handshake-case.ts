// The extension point of the opening-handshake cases (category 14, docs/cases.md, Category 14):
// a case may supply its own opening handshake, raw request octets in the client role or a raw
// response in the server role, and judge what came back. Everything after the handshake (the
// echo that shows whether the peer took the connection as open) runs on the common engine.
import type { ServerResponseCheck, ClientRequest } from '../protocol/handshake.js';
import type { DeflateAgreement } from '../protocol/extensions.js';
import type { SessionRecord } from './record.js';
import type { Verdict } from './case.js';

/** Which mode a case runs in: the role wsfuzz plays (the peer under test plays the other one). */
export type CaseMode = 'fuzzingclient' | 'fuzzingserver';

/** What the fuzzer knows when it writes a request (client role). */
export interface RequestContext {
  /** Path plus "?query". */
  resource: string;
  /** Host header value, port included. */
  hostPort: string;
  /** A fresh, valid Sec-WebSocket-Key. */
  key: string;
  userAgent: string;
}

/** A request as the case writes it. */
export interface RawRequest {
  /** Written in this order; each after the first waits `paceSeconds` (header lines split over reads). */
  chunks: Buffer[];
  /** The head as the report shows it (httpRequest). */
  text: string;
  /** How a 101 response is checked (the key whose accept value is expected, what was offered). */
  check: ServerResponseCheck;
}

/** A response as the case writes it (server role). */
export interface RawResponse {
  text: string;
  /** permessage-deflate as the fuzzer then runs it (null: none). */
  deflate: DeflateAgreement | null;
}

export interface HandshakeCase {
  mode: CaseMode;
  /** fuzzingclient: the request to send. */
  request?(context: RequestContext): RawRequest;
  /** fuzzingserver: the response to the client's (valid) request. */
  response?(request: ClientRequest): RawResponse;
  /** The verdict, from the generic one (docs/verdicts.md) and what the session recorded. */
  judge(verdict: Verdict, record: SessionRecord): void;
}

/** Pause between the chunks of a split request: long enough that a server reads them apart. */
export const REQUEST_CHUNK_PACE_SECONDS = 0.05;

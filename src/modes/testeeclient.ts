// The reference client under test: the driver loop (docs/modes.md, Client driver loop) built on wsfuzz's
// own conforming endpoint. Connect to /getCaseCount, then /runCase?case=N&agent=A for every N,
// echoing every message with its type, then /updateReports.
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { Connection, deflateSettingsForClient } from '../protocol/connection.js';
import { buildClientRequest, checkServerResponse } from '../protocol/handshake.js';
import { HeadReader, headText } from '../protocol/http.js';

/** What the client offers: like browsers and ws, one plain permessage-deflate offer. */
const DEFLATE_OFFER = 'permessage-deflate; client_max_window_bits';
const OPEN_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 2_000;
/**
 * Whole-visit bounds, so that a peer that is not a fuzzing server (or stalls) cannot hold the
 * client forever: a fuzzing server answers /getCaseCount at once, and every case ends within its
 * own time bound (the longest waits 480 s).
 */
const COUNT_VISIT_MS = 10_000;
const REPORTS_VISIT_MS = 120_000;
const CASE_VISIT_MS = 600_000;
/** After this many /runCase visits in a row that could not be opened, the run is given up. */
const FAILED_VISITS_IN_ROW = 3;

export interface TesteeClientOptions {
  /** Base URL of the fuzzing server, e.g. ws://127.0.0.1:9001 */
  url: string;
  agent: string;
  userAgent: string;
  onCase?: (n: number, count: number) => void;
  /** Bound of the /getCaseCount visit (default COUNT_VISIT_MS). */
  countVisitMs?: number;
}

interface ConnectionResult {
  /** Messages received (kept only when not echoing). */
  messages: Buffer[];
  /** Why the connection could not be opened, if it could not. */
  error: string | null;
  /**
   * This client refused the server's handshake response (RFC 6455 §4.1): the server answered, so
   * the visit counts as done, not as a failure of the server (category 14 sends such responses).
   */
  refusedResponse: boolean;
}

/** One WebSocket connection to `resource`; echoes every message if `echo`, else collects them. Ended after `maxMs`. */
export function visit(base: URL, resource: string, userAgent: string, echo: boolean, maxMs = CASE_VISIT_MS): Promise<ConnectionResult> {
  return new Promise((resolve) => {
    const result: ConnectionResult = { messages: [], error: null, refusedResponse: false };
    const secure = base.protocol === 'wss:';
    const host = base.hostname.replace(/^\[|\]$/g, '');
    const port = Number(base.port || (secure ? 443 : 80));
    // wss://: the fuzzing server's certificate is usually made for the test run; it is not verified.
    const socket: net.Socket = secure ? tls.connect({ host, port, rejectUnauthorized: false }) : net.connect({ host, port });
    socket.setNoDelay(true);
    const key = randomBytes(16).toString('base64');
    const head = new HeadReader();
    let connection: Connection | null = null;
    let closeTimer: NodeJS.Timeout | null = null;
    const openTimer = setTimeout(() => {
      result.error = 'the server did not complete the opening handshake in time';
      socket.destroy();
    }, OPEN_TIMEOUT_MS);
    const visitTimer = setTimeout(() => {
      result.error ??= `the server did not close the connection within ${maxMs / 1000} s`;
      socket.destroy();
    }, maxMs);

    const pump = () => {
      const c = connection!;
      for (let event = c.nextEvent(); event !== null; event = c.nextEvent()) {
        if (event.type === 'text' || event.type === 'binary') {
          if (!echo) result.messages.push(event.data);
          else if (c.state === 'open') {
            if (event.type === 'text') c.sendText(event.data);
            else c.sendBinary(event.data);
          }
        }
      }
      for (const chunk of c.dataToSend()) socket.write(chunk);
      if (c.shouldCloseTcp) socket.end();
      else if (c.needsCloseTimer && closeTimer === null) {
        closeTimer = setTimeout(() => {
          c.closeTimeoutExpired();
          pump();
          socket.destroy();
        }, CLOSE_TIMEOUT_MS);
      }
    };

    socket.on(secure ? 'secureConnect' : 'connect', () => {
      socket.write(
        buildClientRequest({
          resource,
          hostPort: `${base.hostname}:${port}`,
          key,
          userAgent,
          extensions: DEFLATE_OFFER,
        }),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (connection) {
        connection.receiveData(chunk);
        pump();
        return;
      }
      const split = head.push(chunk);
      if (split.kind === 'incomplete') return;
      clearTimeout(openTimer);
      if (split.kind === 'too-large') {
        result.error = 'the handshake response is too large';
        socket.destroy();
        return;
      }
      const check = checkServerResponse(headText(split.head), { key, offeredDeflate: true, protocols: [] });
      if (!check.ok) {
        result.error = check.reason;
        result.refusedResponse = true;
        socket.destroy();
        return;
      }
      connection = new Connection({ role: 'client', deflate: check.deflate ? deflateSettingsForClient(check.deflate) : null });
      if (split.rest.length > 0) connection.receiveData(split.rest);
      pump();
    });
    socket.on('end', () => {
      if (!connection) return;
      connection.receiveEof();
      pump();
    });
    socket.on('error', (err) => {
      // Servers (the fuzzer among them) may reset TCP after the closing handshake: only an error
      // before the WebSocket opened means the visit failed.
      if (!connection) result.error ??= err.message;
    });
    socket.on('close', () => {
      clearTimeout(openTimer);
      clearTimeout(visitTimer);
      if (closeTimer) clearTimeout(closeTimer);
      if (!connection && result.error === null) result.error = 'the connection closed during the opening handshake';
      resolve(result);
    });
  });
}

export class TesteeClientError extends Error {}

/** Run every case the server offers; resolves with the number of cases. */
export async function runTesteeClient(options: TesteeClientOptions): Promise<number> {
  const base = new URL(options.url);
  const agent = encodeURIComponent(options.agent);
  const countVisit = await visit(base, '/getCaseCount', options.userAgent, false, options.countVisitMs ?? COUNT_VISIT_MS);
  const notServer = '(is it a wsfuzz or Autobahn fuzzing server?)';
  if (countVisit.error !== null) throw new TesteeClientError(`cannot get the case count from ${options.url}: ${countVisit.error} ${notServer}`);
  const count = Number(countVisit.messages[0]?.toString('utf8'));
  if (!Number.isInteger(count) || count < 0) throw new TesteeClientError(`${options.url}/getCaseCount did not answer with a number ${notServer}`);
  let failedInRow = 0;
  for (let n = 1; n <= count; n++) {
    options.onCase?.(n, count);
    const run = await visit(base, `/runCase?case=${n}&agent=${agent}`, options.userAgent, true);
    failedInRow = run.error === null || run.refusedResponse ? 0 : failedInRow + 1;
    if (failedInRow >= FAILED_VISITS_IN_ROW) {
      throw new TesteeClientError(`gave up after ${failedInRow} cases in a row failed: case ${n}: ${run.error}`);
    }
  }
  const update = await visit(base, `/updateReports?agent=${agent}`, options.userAgent, false, REPORTS_VISIT_MS);
  if (update.error !== null) throw new TesteeClientError(`updateReports failed: ${update.error}`);
  return count;
}

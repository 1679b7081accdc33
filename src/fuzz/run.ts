// Running one case: dialling a server (client role), and turning a finished session into a result.
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { buildClientRequest } from '../protocol/handshake.js';
import { buildDeflateOffer } from '../protocol/extensions.js';
import type { CaseDefinition, Verdict, VerdictContext } from './case.js';
import { FuzzSession, type SessionHooks, type SessionRecord } from './session.js';
import { handshakeVersion, type FuzzerOptions } from './options.js';
import { judge } from './verdict.js';
import { REQUEST_CHUNK_PACE_SECONDS } from './handshake-case.js';
import { buildCaseResult, closeReasonText, type CaseOutcome } from './result.js';

export interface ServerTarget {
  url: URL;
  origin?: string | null;
  protocols?: string[];
  /** TLS: verify the certificate against this name and send it as SNI. */
  hostname?: string | null;
  userAgent: string;
  /** Seconds to wait for the TCP (and TLS) connection. */
  connectTimeout: number;
}

/** Host header value: the port is always written (reference behaviour), IPv6 in brackets. */
function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'wss:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/** Dial `target`, run `def` over the connection, and resolve when the TCP connection is gone. */
export function runCaseAgainstServer(
  def: CaseDefinition,
  target: ServerTarget,
  options: FuzzerOptions,
  hooks: SessionHooks = {},
): Promise<SessionRecord> {
  const session = new FuzzSession(def, options, false, hooks);
  const url = target.url;
  const secure = url.protocol === 'wss:';
  const port = Number(url.port || (secure ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const socket: net.Socket = secure
    ? tls.connect({
        host,
        port,
        rejectUnauthorized: Boolean(target.hostname),
        ...(target.hostname ? { servername: target.hostname } : {}),
      })
    : net.connect({ host, port });
  let connected = false;
  const timer = setTimeout(() => {
    if (!connected) socket.destroy(new Error(`connect timed out after ${target.connectTimeout} s`));
  }, target.connectTimeout * 1000);
  const onError = (err: Error) => {
    if (connected) return;
    clearTimeout(timer);
    session.connectFailed(describeError(err));
  };
  socket.once('error', onError);
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    connected = true;
    clearTimeout(timer);
    socket.off('error', onError);
    const resource = (url.pathname || '/') + url.search;
    const own = def.handshake?.request?.({ resource, hostPort: hostPort(url), key: randomBytes(16).toString('base64'), userAgent: target.userAgent });
    if (own) {
      session.startClient(socket, { text: own.text, chunks: own.chunks, paceSeconds: REQUEST_CHUNK_PACE_SECONDS }, own.check);
      return;
    }
    const offers = def.deflate?.offers ?? [];
    const request = buildClientRequest({
      resource,
      hostPort: hostPort(url),
      key: randomBytes(16).toString('base64'),
      userAgent: target.userAgent,
      origin: target.origin ?? null,
      protocols: target.protocols ?? [],
      extensions: offers.length > 0 ? offers.map(buildDeflateOffer).join(', ') : null,
      version: handshakeVersion(options.version),
    });
    const key = /Sec-WebSocket-Key: (\S+)/.exec(request)![1]!;
    session.startClient(socket, request, { key, offeredDeflate: offers.length > 0, protocols: target.protocols ?? [] });
  });
  return session.done;
}

export function describeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}

export interface OutcomeMeta {
  agent: string;
  caseNumber: number;
}

/** Verdict (generic rules, then the case's family post-processing) and the report record. */
export function caseOutcome(def: CaseDefinition, record: SessionRecord, meta: OutcomeMeta): CaseOutcome {
  const verdict: Verdict = judge(def, record);
  let localCloseReason = closeReasonText(record.localCloseReason);
  const context: VerdictContext = {
    connectionWasOpen: record.connectionWasOpen,
    closedByMe: record.closedByMe,
    remoteCloseCode: record.remoteCloseCode,
    txFrameStats: record.wirelog.txFrameStats,
    localCloseReason: record.localCloseReason,
    setLocalCloseReasonText: (text) => {
      localCloseReason = text;
    },
  };
  if (record.connected) def.adjustVerdict?.(verdict, context);
  if (record.connected) def.handshake?.judge(verdict, record);
  return buildCaseResult(def, record, verdict, meta, localCloseReason);
}

// The opening handshake (RFC 6455 §4) for both roles, as pure functions over header text.
// Rejection reasons are the exact strings of the reference suite, since they appear in reports.
import { createHash } from 'node:crypto';
import { headerCount, headerTokens, headerValue, parseHead, sanitizeHttpText, type HttpHead } from './http.js';
import { wildcardMatch } from './wildcard.js';
import {
  PERMESSAGE_DEFLATE,
  parseDeflateOffer,
  parseDeflateResponse,
  parseExtensions,
  type DeflateAgreement,
  type DeflateOffer,
} from './extensions.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** Python-style repr of a list of strings, as the reference prints it in error texts. */
function pyStrList(items: string[]): string {
  return `[${items.map((s) => `'${s}'`).join(', ')}]`;
}

// ---------------------------------------------------------------- client role

export interface ClientRequestSpec {
  /** Path plus "?query" ("/" when the URL has none). */
  resource: string;
  /** Host as written in the Host header, port always included. */
  hostPort: string;
  key: string;
  userAgent: string;
  origin?: string | null;
  protocols?: string[];
  /** Sec-WebSocket-Extensions value, omitted when empty. */
  extensions?: string | null;
  /** Sec-WebSocket-Version (13 for RFC 6455, 8 for drafts 10-12). */
  version?: number;
}

/** The request the fuzzer sends, header order and spelling as the reference suite writes it. */
export function buildClientRequest(spec: ClientRequestSpec): string {
  const lines = [
    `GET ${spec.resource} HTTP/1.1`,
    `User-Agent: ${spec.userAgent}`,
    `Host: ${spec.hostPort}`,
    'Upgrade: WebSocket',
    'Connection: Upgrade',
    'Pragma: no-cache',
    'Cache-Control: no-cache',
    `Sec-WebSocket-Key: ${spec.key}`,
  ];
  const version = spec.version ?? 13;
  if (spec.origin != null) lines.push(`${version === 13 ? 'Origin' : 'Sec-WebSocket-Origin'}: ${spec.origin}`);
  if (spec.protocols && spec.protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${spec.protocols.join(',')}`);
  if (spec.extensions) lines.push(`Sec-WebSocket-Extensions: ${spec.extensions}`);
  lines.push(`Sec-WebSocket-Version: ${version}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

export interface ServerResponseCheck {
  key: string;
  /** Did the request offer permessage-deflate? */
  offeredDeflate: boolean;
  protocols: string[];
}

export type ServerResponseResult =
  | {
      ok: true;
      head: HttpHead;
      /** Null when the server did not accept permessage-deflate. */
      deflate: DeflateAgreement | null;
      protocol: string | null;
      server: string | null;
    }
  | { ok: false; reason: string };

/** Validate a server's handshake response head (client side). */
export function checkServerResponse(text: string, check: ServerResponseCheck): ServerResponseResult {
  const head = parseHead(text);
  const fail = (reason: string): ServerResponseResult => ({ ok: false, reason });
  const parts = head.startLine.trim().split(/\s+/);
  if (parts.length < 2) return fail(`Bad HTTP response status line '${head.startLine}'`);
  if (parts[0] !== 'HTTP/1.1') return fail(`Unsupported HTTP version ('${parts[0]}')`);
  if (!/^[+-]?\d+$/.test(parts[1]!)) return fail(`Bad HTTP status code ('${parts[1]}')`);
  const status = Number(parts[1]);
  if (status !== 101) {
    const detail = parts.length > 2 ? ' - ' + parts.slice(2).join('') : '';
    return fail(`WebSocket connection upgrade failed (${status}${detail})`);
  }
  const upgrade = headerValue(head, 'upgrade');
  if (upgrade === undefined) return fail('HTTP Upgrade header missing');
  if (upgrade.toLowerCase() !== 'websocket') {
    return fail(`HTTP Upgrade header different from 'websocket' (case-insensitive) : ${upgrade}`);
  }
  const connection = headerValue(head, 'connection');
  if (connection === undefined) return fail('HTTP Connection header missing');
  if (!headerTokens(connection).includes('upgrade')) {
    return fail(`HTTP Connection header does not include 'upgrade' value (case-insensitive) : ${connection}`);
  }
  const acceptCount = headerCount(head, 'sec-websocket-accept');
  if (acceptCount === 0) return fail('HTTP Sec-WebSocket-Accept header missing in opening handshake reply');
  if (acceptCount > 1) return fail('HTTP Sec-WebSocket-Accept header appears more than once in opening handshake reply');
  const accept = headerValue(head, 'sec-websocket-accept')!;
  const expected = acceptKey(check.key);
  if (accept !== expected) return fail(`HTTP Sec-WebSocket-Accept bogus value : expected ${expected} / got ${accept}`);

  let deflate: DeflateAgreement | null = null;
  const extCount = headerCount(head, 'sec-websocket-extensions');
  if (extCount > 1) return fail('HTTP Sec-WebSocket-Extensions header appears more than once in opening handshake reply');
  if (extCount === 1) {
    for (const element of parseExtensions(headerValue(head, 'sec-websocket-extensions')!)) {
      if (element.name === PERMESSAGE_DEFLATE && check.offeredDeflate) {
        if (deflate !== null) return fail('multiple occurrence of a permessage-compress extension');
        deflate = parseDeflateResponse(element);
        if (deflate === null) return fail('WebSocket permessage-compress extension response from server denied by client');
      } else {
        return fail(
          `server wants to use extension '${element.name}' we did not request, haven't implemented or did not enable`,
        );
      }
    }
  }

  let protocol: string | null = null;
  const protoCount = headerCount(head, 'sec-websocket-protocol');
  if (protoCount > 1) return fail('HTTP Sec-WebSocket-Protocol header appears more than once in opening handshake reply');
  if (protoCount === 1) {
    const p = headerValue(head, 'sec-websocket-protocol')!.trim();
    if (p !== '') {
      if (!check.protocols.includes(p)) {
        return fail(
          `subprotocol selected by server (${p}) not in subprotocol list requested by client (${pyStrList(check.protocols)})`,
        );
      }
      protocol = p;
    }
  }
  return { ok: true, head, deflate, protocol, server: headerValue(head, 'server') ?? null };
}

// ---------------------------------------------------------------- server role

export interface ClientRequestCheck {
  /** Port the server listens on, for the Host header check. */
  port: number;
  secure: boolean;
  /** Reject (as the reference does) or accept with a warning a Host port that differs from `port`. */
  strictHostPort: boolean;
  /** Supported Sec-WebSocket-Version values. */
  versions: number[];
  /** `*`-wildcard patterns; a non-matching Origin is rejected. Default: everything. */
  allowedOrigins?: string[];
}

export interface ClientRequest {
  head: HttpHead;
  method: string;
  /** Request target as sent (path + query). */
  resource: string;
  path: string;
  /** Raw query string without "?" ('' when none). */
  query: string;
  key: string;
  version: number;
  origin: string | null;
  protocols: string[];
  /** Parsed permessage-deflate offers, in header order. */
  deflateOffers: DeflateOffer[];
  /** Notes about accepted irregularities (e.g. a Host port behind port mapping). */
  warnings: string[];
}

export type ClientRequestResult =
  | { ok: true; request: ClientRequest }
  /** `upgrade: false` = a plain HTTP request without Upgrade header. */
  | { ok: false; status: number; reason: string; extraHeaders?: string[]; plainHttp?: boolean; head?: HttpHead };

const BASE64 = /^[A-Za-z0-9+/]*$/;

function originAllowed(origin: string, patterns: string[]): boolean {
  return patterns.some((p) => wildcardMatch(p, origin));
}

/** Validate a client's opening handshake request (server side). */
export function checkClientRequest(text: string, check: ClientRequestCheck): ClientRequestResult {
  const head = parseHead(text);
  const fail = (status: number, reason: string, extraHeaders?: string[]): ClientRequestResult =>
    extraHeaders ? { ok: false, status, reason, extraHeaders, head } : { ok: false, status, reason, head };
  const parts = head.startLine.trim().split(/\s+/);
  if (parts.length !== 3) return fail(400, `Bad HTTP request status line '${head.startLine}'`);
  const [method, resource, httpVersion] = parts as [string, string, string];
  if (method !== 'GET') return fail(405, `HTTP method '${method}' not allowed`);
  if (httpVersion !== 'HTTP/1.1') return fail(505, `Unsupported HTTP version '${httpVersion}'`);
  const hash = resource.indexOf('#');
  if (hash >= 0 && hash < resource.length - 1) {
    return fail(400, `HTTP requested resource contains a fragment identifier '${resource.slice(hash + 1)}'`);
  }
  let url: URL;
  try {
    url = new URL(resource, 'http://placeholder');
  } catch {
    return fail(400, `Bad HTTP request resource - could not parse '${resource}'`);
  }
  const warnings: string[] = [];
  const hostCount = headerCount(head, 'host');
  if (hostCount === 0) return fail(400, 'HTTP Host header missing in opening handshake request');
  if (hostCount > 1) return fail(400, 'HTTP Host header appears more than once in opening handshake request');
  const host = headerValue(head, 'host')!;
  const portMatch = /:([^:\]]*)$/.exec(host);
  if (portMatch) {
    const portText = portMatch[1]!;
    if (!/^\d+$/.test(portText)) return fail(400, `invalid port '${portText}' in HTTP Host header '${host}'`);
    const port = Number(portText);
    if (port !== check.port) {
      const reason = `port ${port} in HTTP Host header '${host}' does not match server listening port ${check.port}`;
      if (check.strictHostPort) return fail(400, reason);
      warnings.push(reason);
    }
  } else if (!((check.port === 80 && !check.secure) || (check.port === 443 && check.secure))) {
    const reason = `missing port in HTTP Host header '${host}' and server runs on non-standard port ${check.port} (wss = ${check.secure ? 'True' : 'False'})`;
    if (check.strictHostPort) return fail(400, reason);
    warnings.push(reason);
  }
  const upgrade = headerValue(head, 'upgrade');
  if (upgrade === undefined) return { ok: false, status: 200, reason: 'OK', plainHttp: true, head };
  if (!headerTokens(upgrade).includes('websocket')) {
    return fail(400, `HTTP Upgrade headers do not include 'websocket' value (case-insensitive) : ${upgrade}`);
  }
  const connection = headerValue(head, 'connection');
  if (connection === undefined) return fail(400, 'HTTP Connection header missing');
  if (!headerTokens(connection).includes('upgrade')) {
    return fail(400, `HTTP Connection headers do not include 'upgrade' value (case-insensitive) : ${connection}`);
  }
  const versionCount = headerCount(head, 'sec-websocket-version');
  if (versionCount === 0) return fail(400, 'WebSocket connection denied - Hixie76 protocol mode disabled.');
  if (versionCount > 1) return fail(400, 'HTTP Sec-WebSocket-Version header appears more than once in opening handshake request');
  const versionText = headerValue(head, 'sec-websocket-version')!;
  if (!/^\d+$/.test(versionText)) {
    return fail(400, `could not parse HTTP Sec-WebSocket-Version header '${versionText}' in opening handshake request`);
  }
  const version = Number(versionText);
  if (!check.versions.includes(version)) {
    return fail(400, `WebSocket version ${version} not supported (supported versions: 13,8,0)`, [
      'Sec-WebSocket-Version: 13,8,0',
    ]);
  }
  const protocols: string[] = [];
  const protoHeader = headerValue(head, 'sec-websocket-protocol');
  if (protoHeader !== undefined) {
    for (const p of protoHeader.split(',').map((s) => s.trim())) {
      if (p === '') continue;
      if (protocols.includes(p)) return fail(400, `duplicate protocol '${p}' specified in HTTP Sec-WebSocket-Protocol header`);
      protocols.push(p);
    }
  }
  const originName = version === 13 ? 'origin' : 'sec-websocket-origin';
  const originCount = headerCount(head, originName);
  if (originCount > 1) return fail(400, 'HTTP Origin header appears more than once in opening handshake request');
  const origin = originCount === 1 ? headerValue(head, originName)! : null;
  if (origin !== null && check.allowedOrigins && !originAllowed(origin, check.allowedOrigins)) {
    return fail(400, `WebSocket connection denied: origin '${origin}' not allowed`);
  }
  const keyCount = headerCount(head, 'sec-websocket-key');
  if (keyCount === 0) return fail(400, 'HTTP Sec-WebSocket-Key header missing');
  if (keyCount > 1) return fail(400, 'HTTP Sec-WebSocket-Key header appears more than once in opening handshake request');
  const key = headerValue(head, 'sec-websocket-key')!.trim();
  if (key.length !== 24) return fail(400, `bad Sec-WebSocket-Key (length must be 24 ASCII chars) '${key}'`);
  if (!key.endsWith('==')) return fail(400, `bad Sec-WebSocket-Key (invalid base64 encoding) '${key}'`);
  for (const c of key.slice(0, -2)) {
    if (!BASE64.test(c)) return fail(400, `bad character '${c}' in Sec-WebSocket-Key (invalid base64 encoding) '${key}'`);
  }
  const extCount = headerCount(head, 'sec-websocket-extensions');
  if (extCount > 1) return fail(400, 'HTTP Sec-WebSocket-Extensions header appears more than once in opening handshake request');
  const deflateOffers: DeflateOffer[] = [];
  if (extCount === 1) {
    for (const element of parseExtensions(headerValue(head, 'sec-websocket-extensions')!)) {
      if (element.name !== PERMESSAGE_DEFLATE) continue; // unknown extensions are ignored
      const parsed = parseDeflateOffer(element);
      if (!parsed.ok) return fail(400, parsed.error);
      deflateOffers.push(parsed.offer);
    }
  }
  const query = url.search.startsWith('?') ? url.search.slice(1) : '';
  return {
    ok: true,
    request: { head, method, resource, path: url.pathname, query, key, version, origin, protocols, deflateOffers, warnings },
  };
}

export interface ServerResponseSpec {
  key: string;
  /** Extra header lines written right after the status line (e.g. "Server: …"). */
  headers?: string[];
  protocol?: string | null;
  extensions?: string | null;
}

/** The 101 response; header order as the reference suite writes it. */
export function buildServerResponse(spec: ServerResponseSpec): string {
  const lines = ['HTTP/1.1 101 Switching Protocols', ...(spec.headers ?? [])];
  lines.push('Upgrade: WebSocket', 'Connection: Upgrade');
  if (spec.protocol) lines.push(`Sec-WebSocket-Protocol: ${spec.protocol}`);
  lines.push(`Sec-WebSocket-Accept: ${acceptKey(spec.key)}`);
  if (spec.extensions) lines.push(`Sec-WebSocket-Extensions: ${spec.extensions}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/** An HTTP error response ending the handshake. */
export function buildHttpErrorResponse(status: number, reason: string, extraHeaders: string[] = []): string {
  return [`HTTP/1.1 ${status} ${sanitizeHttpText(reason)}`, ...extraHeaders].join('\r\n') + '\r\n\r\n';
}

// What fuzzingserver accepts from browsers (docs/modes.md, fuzzingserver URL API). A web page in the developer's browser
// can open WebSockets and send requests to any local port; the server must not let a foreign page
// run cases, overwrite results, read reports or stop it:
// - Host: only names that cannot be rebound by a foreign DNS zone (DNS rebinding): IP literals,
//   `localhost`, the address the server is bound to, and names the user allows (--allow-host).
// - Origin: none (non-browser clients send none), the server's own origin (its pages: the Origin
//   equals the Host the request was sent to), or one matching an allowed pattern (--allow-origin,
//   the spec's `allowedOrigins`). "null" (file:// pages, but also sandboxed frames of any site) is
//   refused unless allowed explicitly.
// - /stopServer: from loopback addresses only.
import net from 'node:net';
import { wildcardMatch } from '../protocol/wildcard.js';

export interface WebGuardConfig {
  /** The address the server listens on (a name or an IP literal). */
  boundHost: string;
  /** Further host names to accept in Host headers. */
  allowHosts: readonly string[];
  /** `*`-wildcard patterns of further origins to accept. */
  allowOrigins: readonly string[];
}

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

/** The host name of a Host header value (`name`, `name:port`, `[v6]:port`), lower-cased, without a final dot. */
export function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  let name = value;
  if (value.startsWith('[')) name = value.slice(1, value.indexOf(']') < 0 ? undefined : value.indexOf(']'));
  else if (value.indexOf(':') === value.lastIndexOf(':') && value.includes(':')) name = value.slice(0, value.indexOf(':'));
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function normalName(name: string): string {
  return hostName(name.includes(':') && !name.startsWith('[') ? `[${name}]` : name);
}

export class WebGuard {
  private readonly hosts: Set<string>;

  constructor(private readonly config: WebGuardConfig) {
    this.hosts = new Set(['localhost', normalName(config.boundHost), ...config.allowHosts.map(normalName)]);
  }

  /** The Host header of a request (handshake or plain HTTP). */
  checkHost(host: string | undefined): GuardVerdict {
    if (host === undefined) return { ok: true }; // the handshake check rejects a missing Host
    const name = hostName(host);
    if (net.isIP(name) !== 0 || this.hosts.has(name)) return { ok: true };
    return { ok: false, reason: `Host '${host}' not allowed (give it with --allow-host if it names this server)` };
  }

  /** The Origin header (null when absent) of a request sent to `host`. */
  checkOrigin(origin: string | null, host: string | undefined): GuardVerdict {
    if (origin === null) return { ok: true };
    if (this.config.allowOrigins.some((p) => wildcardMatch(p, origin))) return { ok: true };
    if (host !== undefined && sameOrigin(origin, host)) return { ok: true };
    return { ok: false, reason: `origin '${origin}' not allowed` };
  }
}

/** Is `origin` (scheme://host[:port]) the origin of pages served at `host` (a Host header value)? */
function sameOrigin(origin: string, host: string): boolean {
  let url: URL;
  let served: URL;
  try {
    url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    served = new URL(`${url.protocol}//${host.trim()}`);
  } catch {
    return false;
  }
  return url.origin === served.origin;
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') ? net.isIPv4(v4) : address === '::1';
}

// Sec-WebSocket-Extensions parsing (RFC 6455 §9.1), permessage-deflate parameters (RFC 7692 §7).
// Parsing follows the reference suite: each comma-separated element is kept separately
// (alternative offers in a request, accepted configurations in a response).

export interface ExtensionParam {
  key: string;
  /** Null when the parameter has no "=value". */
  value: string | null;
}

export interface ExtensionElement {
  name: string;
  params: ExtensionParam[];
}

export function parseExtensions(header: string): ExtensionElement[] {
  const out: ExtensionElement[] = [];
  for (const raw of header.split(',')) {
    const element = raw.trim();
    if (element === '') continue;
    const [first, ...rest] = element.split(';');
    const params: ExtensionParam[] = [];
    for (const token of rest) {
      const eq = token.indexOf('=');
      if (eq < 0) {
        // An empty token (e.g. a trailing ";") is a parameter with an empty name: unknown, so malformed.
        params.push({ key: token.trim().toLowerCase(), value: null });
        continue;
      }
      let value = token.slice(eq + 1).trim();
      if (value.startsWith('"')) value = value.slice(1);
      if (value.endsWith('"')) value = value.slice(0, -1);
      params.push({ key: token.slice(0, eq).trim().toLowerCase(), value });
    }
    out.push({ name: first!.trim().toLowerCase(), params });
  }
  return out;
}

export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/** What one side asks for in an offer, as the reference suite's 13.x labels name it. */
export interface DeflateOfferSpec {
  /** Ask the server for server_no_context_takeover. */
  requestNoContextTakeover: boolean;
  /** Ask for server_max_window_bits=N (0 = not asked). */
  requestMaxWindowBits: number;
}

/**
 * A client offer in the reference suite's fixed parameter order; it always carries
 * client_no_context_takeover and a valueless client_max_window_bits.
 */
export function buildDeflateOffer(spec: DeflateOfferSpec): string {
  let s = `${PERMESSAGE_DEFLATE}; client_no_context_takeover; client_max_window_bits`;
  if (spec.requestNoContextTakeover) s += '; server_no_context_takeover';
  if (spec.requestMaxWindowBits) s += `; server_max_window_bits=${spec.requestMaxWindowBits}`;
  return s;
}

/** Negotiated permessage-deflate parameters, as written in a server's response. */
export interface DeflateAgreement {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  /** Null when the response does not name a value. */
  serverMaxWindowBits: number | null;
  clientMaxWindowBits: number | null;
}

function windowBits(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 8 && n <= 15 ? n : null;
}

/**
 * Validate a server's permessage-deflate response element (client side). Allowed: the four
 * RFC 7692 parameters, each at most once; window bits need a value 8..15; flags take none.
 * Whether the response matches the offer is deliberately not checked (the reference is lenient).
 */
export function parseDeflateResponse(element: ExtensionElement): DeflateAgreement | null {
  const agreement: DeflateAgreement = {
    serverNoContextTakeover: false,
    clientNoContextTakeover: false,
    serverMaxWindowBits: null,
    clientMaxWindowBits: null,
  };
  const seen = new Set<string>();
  for (const { key, value } of element.params) {
    if (seen.has(key)) return null;
    seen.add(key);
    switch (key) {
      case 'server_no_context_takeover':
        if (value !== null) return null;
        agreement.serverNoContextTakeover = true;
        break;
      case 'client_no_context_takeover':
        if (value !== null) return null;
        agreement.clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits':
        agreement.serverMaxWindowBits = windowBits(value);
        if (agreement.serverMaxWindowBits === null) return null;
        break;
      case 'client_max_window_bits':
        agreement.clientMaxWindowBits = windowBits(value);
        if (agreement.clientMaxWindowBits === null) return null;
        break;
      default:
        return null;
    }
  }
  return agreement;
}

/** A client's permessage-deflate offer as the server side parses it. */
export interface DeflateOffer {
  /** The offer names client_max_window_bits (with or without a value). */
  hasClientMaxWindowBits: boolean;
  clientNoContextTakeover: boolean;
  serverNoContextTakeover: boolean;
  serverMaxWindowBits: number | null;
}

export type DeflateOfferParse = { ok: true; offer: DeflateOffer } | { ok: false; error: string };

/** Parse one permessage-deflate offer (server side). A malformed offer is an error, not a decline. */
export function parseDeflateOffer(element: ExtensionElement): DeflateOfferParse {
  const offer: DeflateOffer = {
    hasClientMaxWindowBits: false,
    clientNoContextTakeover: false,
    serverNoContextTakeover: false,
    serverMaxWindowBits: null,
  };
  const seen = new Set<string>();
  const name = element.name;
  for (const { key, value } of element.params) {
    if (seen.has(key)) {
      return { ok: false, error: `multiple occurrence of extension parameter '${key}' for extension '${name}'` };
    }
    seen.add(key);
    // A parameter without value reads as True, as in the reference's messages.
    const shown = value === null ? 'True' : value;
    const badValue = { ok: false as const, error: `illegal extension parameter value '${shown}' for parameter '${key}' of extension '${name}'` };
    switch (key) {
      case 'client_max_window_bits':
        if (value !== null && windowBits(value) === null) return badValue;
        offer.hasClientMaxWindowBits = true;
        break;
      case 'client_no_context_takeover':
        if (value !== null) return badValue;
        offer.clientNoContextTakeover = true;
        break;
      case 'server_no_context_takeover':
        if (value !== null) return badValue;
        offer.serverNoContextTakeover = true;
        break;
      case 'server_max_window_bits':
        offer.serverMaxWindowBits = windowBits(value);
        if (offer.serverMaxWindowBits === null) return badValue;
        break;
      default:
        return { ok: false, error: `illegal extension parameter '${key}' for extension '${name}'` };
    }
  }
  return { ok: true, offer };
}

/** What the server side asks of the client when it accepts an offer (13.x "server accept" tuples). */
export interface DeflateAcceptSpec {
  /** Ask the client for client_no_context_takeover. */
  requestNoContextTakeover: boolean;
  /** Ask for client_max_window_bits=N (0 = not asked). */
  requestMaxWindowBits: number;
}

/** Server response element: answers what the offer asked, then adds what the server asks. */
export function buildDeflateResponse(offer: DeflateOffer, accept: DeflateAcceptSpec): string {
  let s = PERMESSAGE_DEFLATE;
  if (offer.serverNoContextTakeover) s += '; server_no_context_takeover';
  if (offer.serverMaxWindowBits !== null) s += `; server_max_window_bits=${offer.serverMaxWindowBits}`;
  if (accept.requestNoContextTakeover) s += '; client_no_context_takeover';
  if (accept.requestMaxWindowBits) s += `; client_max_window_bits=${accept.requestMaxWindowBits}`;
  return s;
}

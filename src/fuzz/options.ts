// The fuzzer's own protocol options (docs/engine.md, Options). Seconds for all timeouts; 0 disables.

export interface FuzzerOptions {
  /** Protocol errors drop TCP instead of sending a Close (the suite runs with false). */
  failByDrop: boolean;
  openHandshakeTimeout: number;
  closeHandshakeTimeout: number;
  /** Client role: how long the server may take to drop TCP after the closing handshake. */
  serverConnectionDropTimeout: number;
  utf8validateIncoming: boolean;
  /** Client role: mask outgoing frames. */
  maskClientFrames: boolean;
  /** Server role: mask outgoing frames. */
  maskServerFrames: boolean;
  /** Client role: tolerate masked frames from the server. */
  acceptMaskedServerFrames: boolean;
  /** Server role: require masked frames from the client. */
  requireMaskedClientFrames: boolean;
  /** Actually XOR payloads with the key (in and out). */
  applyMask: boolean;
  /** 0 = no limit of the original; wsfuzz still applies MESSAGE_SAFETY_LIMIT. */
  maxFramePayloadSize: number;
  maxMessagePayloadSize: number;
  /** Fragment message-API messages into frames of at most this size (0 = none). */
  autoFragmentSize: number;
  /** Reply to a peer's Close with its code and reason instead of 1000. */
  echoCloseCodeReason: boolean;
  tcpNoDelay: boolean;
  /** Protocol draft: 10-12 send Sec-WebSocket-Version 8, 13-18 (18 = RFC 6455) send 13 (handshakeVersion). */
  version: number;
}

export const DEFAULT_OPTIONS: FuzzerOptions = {
  failByDrop: false,
  openHandshakeTimeout: 5,
  closeHandshakeTimeout: 1,
  serverConnectionDropTimeout: 1,
  utf8validateIncoming: true,
  maskClientFrames: true,
  maskServerFrames: false,
  acceptMaskedServerFrames: false,
  requireMaskedClientFrames: true,
  applyMask: true,
  maxFramePayloadSize: 0,
  maxMessagePayloadSize: 0,
  autoFragmentSize: 0,
  echoCloseCodeReason: false,
  tcpNoDelay: true,
  version: 18,
};

/**
 * wsfuzz never buffers a single incoming message beyond this, even when the options say
 * "unlimited" (the largest message any case expects back is 16 MiB). Exceeding it fails the
 * connection with 1009, exactly as maxMessagePayloadSize would.
 */
export const MESSAGE_SAFETY_LIMIT = 64 * 1024 * 1024;

/** Option keys of the original that wsfuzz accepts without acting on them (documented). */
const ACCEPTED_IGNORED = new Set([
  'allowHixie76',
  'autoPingInterval',
  'autoPingTimeout',
  'autoPingSize',
  'versions',
  'webStatus',
  'allowedOrigins',
  'maxConnections',
  'serveFlashSocketPolicy',
  'flashSocketPolicy',
]);

export class OptionsError extends Error {}

/** Node timers hold at most 2^31 - 1 ms (longer ones fire after 1 ms): the longest timeout in seconds. */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);
const TIMEOUT_OPTIONS = new Set(['openHandshakeTimeout', 'closeHandshakeTimeout', 'serverConnectionDropTimeout']);

/** Apply spec-file options over `base`; unknown names and wrong types are errors (as in the original). */
export function applyOptions(base: FuzzerOptions, options: Record<string, unknown> | undefined): FuzzerOptions {
  const out = { ...base };
  if (!options) return out;
  for (const [key, value] of Object.entries(options)) {
    if (ACCEPTED_IGNORED.has(key)) continue;
    // Own keys only: "toString", "constructor" or "__proto__" are unknown options, not inherited ones.
    if (!Object.hasOwn(DEFAULT_OPTIONS, key)) throw new OptionsError(`unknown option '${key}'`);
    const k = key as keyof FuzzerOptions;
    const expectedType = typeof DEFAULT_OPTIONS[k];
    if (typeof value !== expectedType) {
      throw new OptionsError(`option '${key}' must be a ${expectedType}, got ${JSON.stringify(value)}`);
    }
    if (expectedType === 'number' && (!Number.isFinite(value) || (value as number) < 0)) {
      throw new OptionsError(`option '${key}' must be a non-negative number, got ${JSON.stringify(value)}`);
    }
    if (TIMEOUT_OPTIONS.has(key) && (value as number) > MAX_TIMEOUT_SECONDS) {
      throw new OptionsError(`option '${key}' must be at most ${MAX_TIMEOUT_SECONDS} seconds, got ${JSON.stringify(value)}`);
    }
    (out as Record<string, unknown>)[k] = value;
  }
  if (!Number.isInteger(out.version) || out.version < 10 || out.version > 18) {
    throw new OptionsError(`option 'version' must be a draft number from 10 to 18 (18 is RFC 6455), got ${out.version}`);
  }
  return out;
}

/** The Sec-WebSocket-Version the client role sends for a (validated) draft number. */
export function handshakeVersion(version: number): 8 | 13 {
  return version <= 12 ? 8 : 13;
}

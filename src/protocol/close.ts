// RFC 6455 §5.5.1 Close frame bodies and §7.4 status codes.

/** Codes below 3000 that an endpoint may send (RFC 6455 §7.4.1), as the reference suite accepts them. */
const DEFINED_CODES = new Set([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011]);
/** Registered later in the IANA registry (Service Restart, Try Again Later, Bad Gateway). */
const REGISTERED_LATER = new Set([1012, 1013, 1014]);

export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  MANDATORY_EXTENSION: 1010,
  INTERNAL_ERROR: 1011,
} as const;

/**
 * May this code appear in a received Close frame? 1004–1006, 1015, other codes below 3000 and
 * codes of 5000 and above are invalid. `allowRegisteredLater` also accepts 1012–1014, which the
 * reference suite (and so the fuzzer) rejects but the IANA registry defines.
 */
export function closeCodeIsValid(code: number, allowRegisteredLater = false): boolean {
  if (code >= 3000 && code <= 4999) return true;
  if (DEFINED_CODES.has(code)) return true;
  return allowRegisteredLater && REGISTERED_LATER.has(code);
}

export interface ClosePayload {
  /** Null when the body is empty. */
  code: number | null;
  /** Null when there is no reason (body of 0 or 2 octets). */
  reason: Buffer | null;
}

/** Split a Close body into code and reason. A 1-octet body cannot be parsed (null). */
export function parseClosePayload(body: Buffer): ClosePayload | null {
  if (body.length === 0) return { code: null, reason: null };
  if (body.length === 1) return null;
  return { code: body.readUInt16BE(0), reason: body.length > 2 ? body.subarray(2) : null };
}

/** Build a Close body. The code is written as a 16-bit big-endian integer (any value, valid or not). */
export function encodeClosePayload(code?: number | null, reason?: Uint8Array | null): Buffer {
  const parts: Buffer[] = [];
  if (code != null) {
    const c = Buffer.allocUnsafe(2);
    c.writeUInt16BE(code & 0xffff, 0);
    parts.push(c);
  }
  if (reason != null) parts.push(Buffer.from(reason));
  return Buffer.concat(parts);
}

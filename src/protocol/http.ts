// Minimal HTTP/1.1 head parsing for the WebSocket opening handshake (RFC 6455 §4, RFC 7230 §3).
import { isUtf8 } from 'node:buffer';

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Largest head we wait for; a peer that sends more without CRLFCRLF is rejected. */
export const MAX_HEAD_BYTES = 64 * 1024;

export type HeadSplit =
  | { kind: 'incomplete' }
  | { kind: 'too-large' }
  | { kind: 'complete'; head: Buffer; rest: Buffer };

/**
 * Find the end of an HTTP head (CRLFCRLF) in `data`; the head includes the final CRLFCRLF.
 * `searchFrom`: where the search may start (octets before it are known not to hold the end).
 */
export function splitHead(data: Buffer, maxBytes = MAX_HEAD_BYTES, searchFrom = 0): HeadSplit {
  const end = data.indexOf(CRLFCRLF, searchFrom);
  if (end < 0) return data.length > maxBytes ? { kind: 'too-large' } : { kind: 'incomplete' };
  if (end + 4 > maxBytes) return { kind: 'too-large' };
  return { kind: 'complete', head: data.subarray(0, end + 4), rest: data.subarray(end + 4) };
}

/**
 * Collects the reads of a connection until its HTTP head is complete: the one head reader of the
 * modes. Each push costs time in proportion to the new octets only, whatever the peer's chunking.
 */
export class HeadReader {
  private buffer = Buffer.alloc(0);
  private used = 0;
  /** The reads so far, as they arrived. */
  readonly chunks: Buffer[] = [];

  constructor(private readonly maxBytes = MAX_HEAD_BYTES) {}

  /** The octets received so far. */
  get buffered(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  /** Add one read; the result is final once it is not 'incomplete' (push no more after that). */
  push(chunk: Buffer): HeadSplit {
    this.chunks.push(chunk);
    if (this.used + chunk.length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + chunk.length, 1024));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.used);
    // The end may straddle the previous read: start three octets back.
    const searchFrom = Math.max(0, this.used - 3);
    this.used += chunk.length;
    return splitHead(this.buffered, this.maxBytes, searchFrom);
  }
}

/** Head octets as text: UTF-8 when valid, else one character per octet. */
export function headText(head: Buffer): string {
  return isUtf8(head) ? head.toString('utf8') : head.toString('latin1');
}

export interface HttpHead {
  startLine: string;
  /** Lower-cased header name => values in order of appearance. */
  headers: Map<string, string[]>;
}

export function parseHead(text: string): HttpHead {
  const lines = text.split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const list = headers.get(name);
    if (list) list.push(value);
    else headers.set(name, [value]);
  }
  return { startLine: lines[0] ?? '', headers };
}

/** All values of a header joined with ", " (how repeated headers combine), or undefined. */
export function headerValue(head: HttpHead, name: string): string | undefined {
  const values = head.headers.get(name);
  return values ? values.join(', ') : undefined;
}

export function headerCount(head: HttpHead, name: string): number {
  return head.headers.get(name)?.length ?? 0;
}

/** Comma-separated tokens of a header, trimmed and lower-cased. */
export function headerTokens(value: string): string[] {
  return value.split(',').map((t) => t.trim().toLowerCase());
}

/** Remove characters that would break an HTTP line (reason phrases may quote peer input). */
export function sanitizeHttpText(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, '?');
}

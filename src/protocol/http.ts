// Minimal HTTP/1.1 head parsing for the WebSocket opening handshake (RFC 6455 §4, RFC 7230 §3).
import { isUtf8 } from 'node:buffer';

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Largest head we wait for; a peer that sends more without CRLFCRLF is rejected. */
export const MAX_HEAD_BYTES = 64 * 1024;

export type HeadSplit =
  | { kind: 'incomplete' }
  | { kind: 'too-large' }
  | { kind: 'complete'; head: Buffer; rest: Buffer };

/** Find the end of an HTTP head (CRLFCRLF) in `data`; the head includes the final CRLFCRLF. */
export function splitHead(data: Buffer, maxBytes = MAX_HEAD_BYTES): HeadSplit {
  const end = data.indexOf(CRLFCRLF);
  if (end < 0) return data.length > maxBytes ? { kind: 'too-large' } : { kind: 'incomplete' };
  if (end + 4 > maxBytes) return { kind: 'too-large' };
  return { kind: 'complete', head: data.subarray(0, end + 4), rest: data.subarray(end + 4) };
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

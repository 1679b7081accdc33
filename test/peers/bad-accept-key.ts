// Defect: answers the handshake with a wrong Sec-WebSocket-Accept value.
import { correctResponse, startPeer, type RunningPeer } from './base.js';

/** The Accept value this peer sends: the correct one for a different key. */
export const WRONG_ACCEPT_FOR = 'dGhlIHNhbXBsZSBub25jZQ==';

export function start(): Promise<RunningPeer> {
  return startPeer({ response: () => correctResponse(WRONG_ACCEPT_FOR) });
}

// Defect: answers every request head with 101 Switching Protocols, whatever it holds (no checks of
// RFC 6455 §4.2.1: method, version, Host, Upgrade, Connection, Sec-WebSocket-Key, -Version).
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ validateRequest: false });
}

// Defect: takes any handshake response as a completed opening handshake (no check of RFC 6455
// §4.1: status, Upgrade, Connection, Sec-WebSocket-Accept, extensions, subprotocol).
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, { acceptAnyResponse: true });
}

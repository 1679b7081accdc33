// Defect: on every case connection, right after the handshake, sends 110,000 empty unsolicited
// (masked) pongs in one write, then behaves as a correct client. Without a bound on the wire log,
// fuzzingserver would hold some 36 MB per case of this client.
import { driverLoop } from './base.js';
import { pongFlood } from '../pong-flood.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  const flood = pongFlood(true);
  return driverLoop(baseUrl, cases, agent, { onOpen: (conn) => conn.socket.write(flood) });
}

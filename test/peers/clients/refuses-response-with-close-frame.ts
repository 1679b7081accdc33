// Defect: refuses every handshake response with a WebSocket Close frame (1002) instead of just
// closing TCP: it takes a connection that was never established as open (RFC 6455 §7.1.7).
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, {
    acceptAnyResponse: true,
    onOpen: (conn) => conn.fail(1002),
    onMessage: () => undefined,
  });
}

// Defect: wherever it would send a Close (answering the server's Close, failing the connection),
// it closes the TCP connection instead, with no closing handshake.
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, { dropInsteadOfClose: true });
}

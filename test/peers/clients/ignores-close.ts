// Defect: never answers the server's Close (and never closes TCP itself): the server's closing
// handshake can only end by its close-handshake timeout.
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, { onClose: () => undefined });
}

// Correct: answers a Close whose reason is not valid UTF-8 with Close 1007 (no reason), every other
// Close with its own code. Recreates seed 000 (websocketpp client, case 7.5.1).
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, {
    onClose: (conn, info) => conn.sendClose(info.reply),
  });
}

// Correct: echoes every message and fails the connection with Close 1002 on a frame with RSV != 0
// (no extension negotiated). Recreates seed 003 (websocketpp client, case 3.2).
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, {});
}

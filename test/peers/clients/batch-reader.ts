// Defect: parses everything that arrived in one read before echoing; when that read held a
// violation, its echoes are dropped and only the Close goes out (as clients on asyncio event loops
// do). Whether the server's valid message and its violation arrive in one read decides the verdict.
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, { batchReads: true });
}

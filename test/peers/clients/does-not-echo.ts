// Defect: receives data messages but never sends them back (otherwise a correct client).
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, { onMessage: () => undefined });
}

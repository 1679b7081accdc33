// Defect: echoes text messages without validating UTF-8 and never fails the connection over it
// (RFC 6455 §8.1 requires failing with 1007).
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, { validateUtf8: false });
}

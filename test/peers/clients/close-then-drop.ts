// Defect: when it fails the connection it sends its Close and drops TCP at once, without waiting
// for the server's reply or its closing of TCP (RFC 6455 §7.1.1 lets the server close first).
import { driverLoop } from './base.js';

export function run(baseUrl: string, cases: number[] | 'all', agent: string): Promise<void> {
  return driverLoop(baseUrl, cases, agent, { dropAfterFailing: true });
}

// Defect: runs the cases under an agent name of 300 characters (longer than file names may be).
import { driverLoop } from './base.js';

export const AGENT = 'Very Long Agent/' + 'x'.repeat(284);

export function run(baseUrl: string, cases: number[]): Promise<void> {
  return driverLoop(baseUrl, cases, AGENT);
}

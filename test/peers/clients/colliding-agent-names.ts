// Defect: runs the same cases under agent names that clean to the same file name
// (`Chrome/120` and `chrome 120`, `AbC` and `abc`), as if to overwrite another agent's pages.
import { driverLoop } from './base.js';

export const AGENTS = ['Chrome/120', 'chrome 120', 'AbC', 'abc'];

export async function run(baseUrl: string, cases: number[]): Promise<void> {
  for (const agent of AGENTS) await driverLoop(baseUrl, cases, agent);
}

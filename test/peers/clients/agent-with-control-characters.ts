// Defect: its agent name carries a line feed, a fake summary line, a GitHub Actions command and
// terminal escape sequences (URL-encoded in agent=, decoded by the server).
import { driverLoop } from './base.js';

export const AGENT = 'evil\n::error file=x.js::forged\nws: 517 cases: 517 OK; no failures\x1b[2J\x9b31m';

export function run(baseUrl: string, cases: number[]): Promise<void> {
  return driverLoop(baseUrl, cases, AGENT);
}

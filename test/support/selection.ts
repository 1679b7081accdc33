// Which cases the client-mode tests drive. A full client run takes 8-17 minutes of the peer's own
// work on a 2-core machine (Chromium: about 17), so `npm test` (CI) runs categories 1-10 in full
// plus the 16-, 64- and 256-octet rows of every 12.x and 13.x subcategory (every payload and every
// deflate parameter set); `npm run test:full` (WSFUZZ_FULL=1) runs all 517 cases.
import { ALL_IDS } from '../../src/cases/index.js';

export const FULL = process.env.WSFUZZ_FULL === '1';

export function clientCaseSelection(): string[] {
  if (FULL) return ['*'];
  // Category 14 is opt-in and not among the 517 (test/cases/handshake-*.test.ts run it).
  return ALL_IDS.filter((id) => !id.startsWith('14.') && (!/^1[23]\./.test(id) || /^1[23]\.\d+\.[123]$/.test(id)));
}

export function selectionLabel(): string {
  return FULL ? 'all 517 cases' : `${clientCaseSelection().length} cases (WSFUZZ_FULL=1 runs all 517)`;
}

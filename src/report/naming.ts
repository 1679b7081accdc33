// Report file names (docs/reports.md, File names).
import { idSlug } from '../cases/ids.js';

/** Agent name as used in file names: lower-case, every character outside a-z0-9 becomes "_". */
export function cleanAgent(agent: string): string {
  return agent
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, ' ')
    .trim()
    .replaceAll(' ', '_');
}

export function caseFileBase(agent: string, caseId: string): string {
  return `${cleanAgent(agent)}_case_${idSlug(caseId)}`;
}

// Report file names (docs/reports.md, File names): `<agent stem>_case_<id slug>.json|.html`.
//
// The stem is Autobahn's cleaned agent name whenever that is unambiguous and short. Cleaning is lossy
// (`Chrome/120` and `chrome 120` both clean to `chrome_120`) and agent names come from peers, so a
// stem that would be shared by two agents of the same report, or that is longer than
// AGENT_STEM_MAX, becomes `<cut clean name>-<hash of the real name>` instead: the files of two
// agents never overwrite each other and names never exceed what file systems accept. The real name
// stays in index.json and on the pages.
import { createHash } from 'node:crypto';
import { idSlug } from '../cases/ids.js';

/** Longest stem taken from an agent name as it is (Autobahn's file names, for ordinary agents). */
export const AGENT_STEM_MAX = 64;
/** Hex digits of the hash suffix; when even those collide, the whole SHA-256 is used. */
const SHORT_HASH = 8;
const FULL_HASH = 64;

/** Agent name as used in file names: lower-case, every character outside a-z0-9 becomes "_". */
export function cleanAgent(agent: string): string {
  return agent
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, ' ')
    .trim()
    .replaceAll(' ', '_');
}

function hashedStem(agent: string, digits: number): string {
  const hash = createHash('sha256').update(agent, 'utf8').digest('hex').slice(0, digits);
  // "-" never occurs in a cleaned name, so a hashed stem cannot equal a plain one.
  return `${cleanAgent(agent).slice(0, AGENT_STEM_MAX - SHORT_HASH - 1)}-${hash}`;
}

/**
 * The file-name stem of every agent of one report. A pure function of the set of agents (not of
 * their order), so index.json, index.html and the case files agree however each is built.
 */
export function agentFileStems(agents: Iterable<string>): Map<string, string> {
  const byClean = new Map<string, string[]>();
  for (const agent of new Set(agents)) {
    const clean = cleanAgent(agent);
    const group = byClean.get(clean);
    if (group) group.push(agent);
    else byClean.set(clean, [agent]);
  }
  const stems = new Map<string, string>();
  const hashed: string[] = [];
  for (const [clean, group] of byClean) {
    if (group.length === 1 && clean.length <= AGENT_STEM_MAX) stems.set(group[0]!, clean);
    else hashed.push(...group);
  }
  // Short hashes can be made to collide on purpose: colliding agents get the whole digest.
  const owners = new Map<string, string[]>();
  for (const agent of hashed) {
    const stem = hashedStem(agent, SHORT_HASH);
    const list = owners.get(stem);
    if (list) list.push(agent);
    else owners.set(stem, [agent]);
  }
  for (const [stem, list] of owners) {
    for (const agent of list) stems.set(agent, list.length === 1 ? stem : hashedStem(agent, FULL_HASH));
  }
  return stems;
}

/** File name without extension of one case of the agent with this stem. */
export function caseFileBase(agentStem: string, caseId: string): string {
  return `${agentStem}_case_${idSlug(caseId)}`;
}

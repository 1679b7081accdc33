// The case selection of a run as the command line resolves it: patterns, exclusions (unknown IDs
// there are a warning, as the original ignores them), then --shard; and --list, which prints it.
import { ALL_IDS, modeIds } from '../cases/index.js';
import type { CaseMode } from '../fuzz/handshake-case.js';
import { selectCases, unknownIds } from '../cases/selection.js';
import { parseShard, shardCases, ShardError } from '../cases/shard.js';
import { caseTitle } from '../cases/titles.js';
import { casesText } from '../report/summary.js';
import { ConfigError } from './spec.js';

/**
 * The selected case IDs in numeric order. Modes receive them as literal patterns, so that what runs
 * is exactly what --list shows. `warn` gets one line per unknown excluded ID. Only the cases of
 * `mode` count (category 14 has cases for one mode or the other).
 */
export function resolveSelection(cases: string[], exclude: string[], shardText: string | undefined, warn: (line: string) => void, mode: CaseMode): string[] {
  const ids = modeIds(mode);
  for (const id of cases) {
    if (!id.includes('*') && !ids.includes(id) && ALL_IDS.includes(id)) {
      throw new ConfigError(`case ${id} tests the ${mode === 'fuzzingclient' ? 'client' : 'server'} role: it runs in ${mode === 'fuzzingclient' ? 'fuzzingserver' : 'fuzzingclient'} only (docs/cases.md, Category 14)`);
    }
  }
  for (const id of unknownIds(exclude, ids)) warn(`wsfuzz: warning: excluded case ID '${id}' is not a case; ignored`);
  const selected = selectCases(cases, exclude, ids);
  if (selected.length === 0) {
    throw new ConfigError(`no cases selected (cases: ${JSON.stringify(cases)}, excluded: ${JSON.stringify(exclude)})`);
  }
  if (shardText === undefined) return selected;
  let shard;
  try {
    shard = parseShard(shardText);
  } catch (err) {
    if (err instanceof ShardError) throw new ConfigError(err.message);
    throw err;
  }
  const mine = shardCases(selected, shard);
  if (mine.length === 0) {
    throw new ConfigError(`shard ${shard.index}/${shard.count} has no cases: the selection has only ${casesText(selected.length)}`);
  }
  return mine;
}

/** --list: one line per case, "1.1.1  Framing / Text Messages" (IDs padded to one column). */
export function listLines(ids: readonly string[]): string[] {
  const width = Math.max(...ids.map((id) => id.length));
  return ids.map((id) => `${id.padEnd(width)}  ${caseTitle(id)}`);
}

/** parseArgs descriptors of --list and --shard, shared by fuzzingclient and fuzzingserver. */
export const SELECTION_OPTIONS = {
  list: { type: 'boolean' },
  shard: { type: 'string' },
} as const;

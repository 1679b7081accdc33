// Reading a report directory back (wsfuzz merge-reports): index.json and the per-case JSON files it
// names, as written by wsfuzz or the original (docs/reports.md). The per-case JSON becomes a
// CaseResult again, with the report floats and statistics maps restored, so that the index writers
// (index-json.ts, html-index.ts) give the same output as for the run that wrote it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ALL_IDS } from '../cases/index.js';
import type { CaseResult } from '../fuzz/result.js';
import { ReportFloat, type TrafficStats } from '../fuzz/traffic.js';
import type { Histogram } from '../fuzz/wirelog.js';
import { isMainVerdict } from '../fuzz/verdicts.js';
import { isCloseVerdict } from './expect.js';

export class ReportReadError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Read a JSON file, keeping its text; a missing file or invalid JSON becomes one line naming the
 * file, made into the caller's error by `fail` (spec files and report directories alike).
 */
export async function readJsonText(file: string, fail: (message: string) => Error): Promise<{ text: string; json: unknown }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return { text, json: JSON.parse(text) };
  } catch (err) {
    // V8 quotes the offending text, newlines and all: keep the message to one line.
    const why = (err as Error).message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '').replace(/\s+/g, ' ');
    throw fail(`${file} is not valid JSON: ${why}`);
  }
}

const readJson = (file: string) => readJsonText(file, (message) => new ReportReadError(message));

/** One case of a report directory: where its files are and what they say. */
export interface ReportedCase {
  dir: string;
  /** The per-case JSON file name (its HTML page has the same name ending in .html). */
  reportfile: string;
  /** The per-case JSON text as written. */
  text: string;
  result: CaseResult;
}

const FLOAT_KEYS = ['incomingCompressionRatio', 'incomingWebSocketOverhead', 'outgoingCompressionRatio', 'outgoingWebSocketOverhead'] as const;
const HISTOGRAM_KEYS = ['rxFrameStats', 'rxOctetStats', 'txFrameStats', 'txOctetStats'] as const;

function histogram(v: unknown): Histogram {
  const h: Histogram = new Map();
  if (isObject(v)) for (const [k, n] of Object.entries(v)) if (typeof n === 'number') h.set(Number(k), n);
  return h;
}

function trafficStats(v: unknown): TrafficStats | null {
  if (!isObject(v)) return null;
  const stats = { ...v } as Record<string, unknown>;
  for (const key of FLOAT_KEYS) stats[key] = typeof v[key] === 'number' ? new ReportFloat(v[key]) : null;
  return stats as unknown as TrafficStats;
}

/**
 * A per-case JSON object as a CaseResult. Checked: the fields the index, the summary and the
 * comparisons use. Payload texts in expected/received/wirelog stay the strings the file has.
 */
export function caseResultFromJson(json: unknown, file: string): CaseResult {
  const bad = (what: string) => new ReportReadError(`${file}: ${what}`);
  if (!isObject(json)) throw bad('not a case report (expected a JSON object)');
  for (const key of ['agent', 'id', 'behavior', 'behaviorClose', 'result', 'resultClose'] as const) {
    if (typeof json[key] !== 'string') throw bad(`"${key}" must be a string`);
  }
  if (!isMainVerdict(json.behavior as string)) throw bad(`"behavior" ${JSON.stringify(json.behavior)} is not a verdict`);
  if (!isCloseVerdict(json.behaviorClose as string)) throw bad(`"behaviorClose" ${JSON.stringify(json.behaviorClose)} is not a close verdict`);
  if (typeof json.duration !== 'number') throw bad('"duration" must be a number');
  if (json.remoteCloseCode !== null && !Number.isInteger(json.remoteCloseCode)) throw bad('"remoteCloseCode" must be an integer or null');
  if (!ALL_IDS.includes(json.id as string)) throw bad(`case ${JSON.stringify(json.id)} is not a wsfuzz case`);
  const result = { ...json } as Record<string, unknown>;
  result.reportTime = json.reportTime === true;
  result.reportCompressionRatio = json.reportCompressionRatio === true;
  result.trafficStats = trafficStats(json.trafficStats);
  for (const key of HISTOGRAM_KEYS) result[key] = histogram(json[key]);
  return result as unknown as CaseResult;
}

/** Every case a report directory's index.json names, with its per-case JSON read back. */
export async function readReportDir(dir: string): Promise<ReportedCase[]> {
  const indexFile = path.join(dir, 'index.json');
  const { json: index } = await readJson(indexFile);
  if (!isObject(index)) throw new ReportReadError(`${indexFile} is not a report index (expected agent => case => entry)`);
  const cases: ReportedCase[] = [];
  for (const [agent, entries] of Object.entries(index)) {
    if (!isObject(entries)) throw new ReportReadError(`${indexFile}: agent ${JSON.stringify(agent)} is not an object`);
    for (const [id, entry] of Object.entries(entries)) {
      const reportfile = isObject(entry) ? entry.reportfile : undefined;
      if (typeof reportfile !== 'string' || path.basename(reportfile) !== reportfile || !reportfile.endsWith('.json')) {
        throw new ReportReadError(`${indexFile}: case ${JSON.stringify(id)} of agent ${JSON.stringify(agent)} has no valid "reportfile"`);
      }
      const file = path.join(dir, reportfile);
      const { text, json } = await readJson(file);
      const result = caseResultFromJson(json, file);
      if (result.agent !== agent || result.id !== id) {
        throw new ReportReadError(`${file} is case ${result.id} of agent ${JSON.stringify(result.agent)}, but index.json files it as ${id} of ${JSON.stringify(agent)}`);
      }
      cases.push({ dir, reportfile, text, result });
    }
  }
  return cases;
}

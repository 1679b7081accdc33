// Writing a report directory: per-case JSON and HTML, index.json and index.html (docs/reports.md, File names).
// Every file is replaced atomically (report/atomic-file.ts); index.html is written piece by piece.
import path from 'node:path';
import type { CaseOutcome } from '../fuzz/result.js';
import { toReportJson } from './json.js';
import { buildIndex } from './index-json.js';
import { agentFileStems, caseFileBase } from './naming.js';
import { caseNeighbours, renderCasePage } from './html-case.js';
import { indexPageParts } from './html-index.js';
import { ensureDirectory, writeFileAtomic } from './atomic-file.js';

export { checkWritableDirectory, ReportWriteError } from './atomic-file.js';

export interface ReportMeta {
  /** Product token shown in report headers, e.g. "wsfuzz/0.1.0". */
  product: string;
  generatedAt: Date;
}

export interface WrittenReport {
  outdir: string;
  indexJson: string;
  indexHtml: string;
  files: number;
  /** The names (inside `outdir`) of every file written. */
  names: string[];
}

/** Write (or replace) every report file for `outcomes`; nothing else in `outdir` is touched. */
export async function writeReports(outdir: string, outcomes: readonly CaseOutcome[], meta: ReportMeta): Promise<WrittenReport> {
  await ensureDirectory(outdir);
  const results = outcomes.map((o) => o.result);
  const stems = agentFileStems(results.map((r) => r.agent));
  const neighbours = caseNeighbours(results);
  const names: string[] = [];
  const write = async (name: string, content: string | Iterable<string>, separator?: string) => {
    await writeFileAtomic(path.join(outdir, name), content, separator);
    names.push(name);
  };
  for (const outcome of outcomes) {
    const base = caseFileBase(stems.get(outcome.result.agent)!, outcome.result.id);
    await write(`${base}.json`, toReportJson(outcome.result));
    await write(`${base}.html`, renderCasePage(outcome, meta, neighbours(outcome.result.agent, outcome.result.id)));
  }
  await write('index.json', toReportJson(buildIndex(results)));
  await write('index.html', indexPageParts(results, meta), '\n');
  return { outdir, indexJson: path.join(outdir, 'index.json'), indexHtml: path.join(outdir, 'index.html'), files: names.length, names };
}

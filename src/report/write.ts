// Writing a report directory: per-case JSON and HTML, index.json and index.html (docs/reports.md, File names).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaseOutcome } from '../fuzz/result.js';
import { toReportJson } from './json.js';
import { buildIndex } from './index-json.js';
import { caseFileBase } from './naming.js';
import { caseNeighbours, renderCasePage } from './html-case.js';
import { renderIndexPage } from './html-index.js';

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
}

/** Write (or overwrite) every report file for `outcomes`; nothing else in `outdir` is touched. */
export async function writeReports(outdir: string, outcomes: readonly CaseOutcome[], meta: ReportMeta): Promise<WrittenReport> {
  await mkdir(outdir, { recursive: true });
  let files = 0;
  const neighbours = caseNeighbours(outcomes.map((o) => o.result));
  for (const outcome of outcomes) {
    const base = path.join(outdir, caseFileBase(outcome.result.agent, outcome.result.id));
    await writeFile(`${base}.json`, toReportJson(outcome.result));
    await writeFile(`${base}.html`, renderCasePage(outcome, meta, neighbours(outcome.result.agent, outcome.result.id)));
    files += 2;
  }
  const results = outcomes.map((o) => o.result);
  const indexJson = path.join(outdir, 'index.json');
  await writeFile(indexJson, toReportJson(buildIndex(results)));
  const indexHtml = path.join(outdir, 'index.html');
  await writeFile(indexHtml, renderIndexPage(results, meta));
  files += 2;
  return { outdir, indexJson, indexHtml, files };
}

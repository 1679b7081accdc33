// Writing a report directory: per-case JSON and HTML, index.json and index.html (docs/reports.md, File names).
// Every file is replaced atomically (report/atomic-file.ts); index.html is written piece by piece.
// Cases whose files were written as they finished (case-files.ts) are only corrected where needed.
import path from 'node:path';
import { readFile, unlink } from 'node:fs/promises';
import type { CaseOutcome } from '../fuzz/result.js';
import { toReportJson } from './json.js';
import { buildIndex } from './index-json.js';
import { agentFileStems, caseFileBase } from './naming.js';
import { caseNeighbours, relinkCasePage, renderCasePage, type CaseNeighbours } from './html-case.js';
import { indexPageParts } from './html-index.js';
import { ensureDirectory, ReportWriteError, writeFileAtomic } from './atomic-file.js';

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
    const { agent, id } = outcome.result;
    const base = caseFileBase(stems.get(agent)!, id);
    const links = neighbours(agent, id);
    if (outcome.filed) {
      await refile(outdir, outcome, base, links);
      names.push(`${base}.json`, `${base}.html`);
      continue;
    }
    await write(`${base}.json`, toReportJson(outcome.result));
    await write(`${base}.html`, renderCasePage(outcome, meta, links));
  }
  await write('index.json', toReportJson(buildIndex(results)));
  await write('index.html', indexPageParts(results, meta), '\n');
  return { outdir, indexJson: path.join(outdir, 'index.json'), indexHtml: path.join(outdir, 'index.html'), files: names.length, names };
}

/**
 * A case whose files were written as it finished (case-files.ts): nothing to do when its page's links
 * are right; else its page gets the right navigation line, and when its agent's file-name stem
 * changed (a later agent's name collided) both files move to the new name.
 */
async function refile(
  outdir: string,
  outcome: CaseOutcome,
  base: string,
  links: CaseNeighbours,
): Promise<void> {
  const filed = outcome.filed!;
  if (filed.stem === links.stem && filed.previous === links.previous && filed.next === links.next) return;
  const oldBase = caseFileBase(filed.stem!, outcome.result.id);
  const read = async (name: string) => {
    try {
      return await readFile(path.join(outdir, name), 'utf8');
    } catch (err) {
      throw new ReportWriteError(`cannot read back ${path.join(outdir, name)}: ${(err as Error).message}`);
    }
  };
  const write = (name: string, content: string) => writeFileAtomic(path.join(outdir, name), content);
  await write(`${base}.html`, relinkCasePage(await read(`${oldBase}.html`), outcome.result.agent, links));
  if (oldBase !== base) {
    await write(`${base}.json`, await read(`${oldBase}.json`));
    await unlink(path.join(outdir, `${oldBase}.json`)).catch(() => undefined);
    await unlink(path.join(outdir, `${oldBase}.html`)).catch(() => undefined);
  }
  outcome.filed = links;
}

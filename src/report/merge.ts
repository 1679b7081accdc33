// wsfuzz merge-reports: one report directory from several (the shards of a CI matrix, or runs
// against different agents). Per-case JSON and HTML files are copied as they are; index.json and
// index.html are written by the same writers a run uses, from the per-case JSON read back.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CaseResult } from '../fuzz/result.js';
import { buildIndex } from './index-json.js';
import { renderIndexPage } from './html-index.js';
import { toReportJson } from './json.js';
import { readReportDir, ReportReadError, type ReportedCase } from './read.js';
import type { ReportMeta, WrittenReport } from './write.js';

export class MergeError extends Error {}

/**
 * The cases of all `dirs`, each (agent, case) once. The same case of the same agent in two
 * directories is an error unless both per-case JSON files are identical; two agents whose report
 * file names coincide (names that differ only in case or punctuation) are an error too.
 */
export async function collectReports(dirs: readonly string[]): Promise<ReportedCase[]> {
  const byCase = new Map<string, ReportedCase>();
  const byFile = new Map<string, ReportedCase>();
  for (const dir of dirs) {
    let cases: ReportedCase[];
    try {
      cases = await readReportDir(dir);
    } catch (err) {
      if (err instanceof ReportReadError) throw new MergeError(err.message);
      throw err;
    }
    for (const c of cases) {
      const key = `${c.result.agent}\u0000${c.result.id}`;
      const seen = byCase.get(key);
      if (seen) {
        if (seen.text === c.text) continue;
        throw new MergeError(
          `case ${c.result.id} of agent ${JSON.stringify(c.result.agent)} is in both ${seen.dir} and ${c.dir} with different results`,
        );
      }
      const clash = byFile.get(c.reportfile);
      if (clash) {
        throw new MergeError(
          `agents ${JSON.stringify(clash.result.agent)} (${clash.dir}) and ${JSON.stringify(c.result.agent)} (${c.dir}) share the report file name ${c.reportfile}`,
        );
      }
      byCase.set(key, c);
      byFile.set(c.reportfile, c);
    }
  }
  return [...byCase.values()];
}

/** Copy the case files into `outdir` and write index.json and index.html there. */
export async function writeMergedReport(outdir: string, cases: readonly ReportedCase[], meta: ReportMeta): Promise<WrittenReport> {
  await mkdir(outdir, { recursive: true });
  let files = 0;
  for (const c of cases) {
    const html = c.reportfile.replace(/\.json$/, '.html');
    for (const name of [c.reportfile, html]) {
      try {
        await copyFile(path.join(c.dir, name), path.join(outdir, name));
      } catch (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        throw new MergeError(missing ? `${c.dir} has no ${name} (index.json names the case)` : `cannot copy ${path.join(c.dir, name)}: ${(err as Error).message}`);
      }
      files++;
    }
  }
  const results: CaseResult[] = cases.map((c) => c.result);
  const indexJson = path.join(outdir, 'index.json');
  await writeFile(indexJson, toReportJson(buildIndex(results)));
  const indexHtml = path.join(outdir, 'index.html');
  await writeFile(indexHtml, renderIndexPage(results, meta));
  return { outdir, indexJson, indexHtml, files: files + 2 };
}

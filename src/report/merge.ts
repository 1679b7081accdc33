// wsfuzz merge-reports: one report directory from several (the shards of a CI matrix, or runs
// against different agents). Per-case JSON and HTML files are copied as they are, under the names
// the merged set of agents gives them (report/naming.ts); index.json and index.html are written by
// the same writers a run uses, from the per-case JSON read back.
import { constants as fsConstants } from 'node:fs';
import { copyFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { CaseResult } from '../fuzz/result.js';
import { buildIndex } from './index-json.js';
import { indexPageParts } from './html-index.js';
import { agentFileStems, caseFileBase } from './naming.js';
import { ensureDirectory, writeFileAtomic } from './atomic-file.js';
import { toReportJson } from './json.js';
import { readReportDir, ReportReadError, type ReportedCase } from './read.js';
import type { ReportMeta, WrittenReport } from './write.js';

export class MergeError extends Error {}

/**
 * The cases of all `dirs`, each (agent, case) once. The same case of the same agent in two
 * directories is an error unless both per-case JSON files are identical. (Agents whose file names
 * coincide in their own directories get distinct names in the merged one.)
 */
export async function collectReports(dirs: readonly string[]): Promise<ReportedCase[]> {
  const byCase = new Map<string, ReportedCase>();
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
      byCase.set(key, c);
    }
  }
  return [...byCase.values()];
}

/** Copy the case files into `outdir` and write index.json and index.html there. */
export async function writeMergedReport(outdir: string, cases: readonly ReportedCase[], meta: ReportMeta): Promise<WrittenReport> {
  await ensureDirectory(outdir);
  const results: CaseResult[] = cases.map((c) => c.result);
  const stems = agentFileStems(results.map((r) => r.agent));
  const names: string[] = [];
  for (const c of cases) {
    const base = caseFileBase(stems.get(c.result.agent)!, c.result.id);
    const html = c.reportfile.replace(/\.json$/, '.html');
    for (const [from, to] of [[c.reportfile, `${base}.json`], [html, `${base}.html`]] as const) {
      // Copied to a hidden temporary name and renamed, as every report file is written.
      const temporary = path.join(outdir, `.${to}.${process.pid}.merge.tmp`);
      try {
        await copyFile(path.join(c.dir, from), temporary, fsConstants.COPYFILE_EXCL);
        await rename(temporary, path.join(outdir, to));
      } catch (err) {
        await unlink(temporary).catch(() => undefined);
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        throw new MergeError(missing ? `${c.dir} has no ${from} (index.json names the case)` : `cannot copy ${path.join(c.dir, from)}: ${(err as Error).message}`);
      }
      names.push(to);
    }
  }
  await writeFileAtomic(path.join(outdir, 'index.json'), toReportJson(buildIndex(results)));
  await writeFileAtomic(path.join(outdir, 'index.html'), indexPageParts(results, meta), '\n');
  names.push('index.json', 'index.html');
  return { outdir, indexJson: path.join(outdir, 'index.json'), indexHtml: path.join(outdir, 'index.html'), files: names.length, names };
}

// wsfuzz merge-reports --outdir OUT DIR...: one report from several runs' report directories
// (README "In CI"), with the same summary, exit status and CI options as a run.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { collectReports, writeMergedReport } from '../report/merge.js';
import { casesText, summarize, summaryLine } from '../report/summary.js';
import { PRODUCT } from '../version.js';
import { CI_RESULT_OPTIONS, finishCiResults, prepareCiResults } from './ci-results.js';
import { ConfigError } from './spec.js';

function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(a) === real(b);
}

export async function mergeReportsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { outdir: { type: 'string' }, ...CI_RESULT_OPTIONS },
    allowPositionals: true,
    strict: true,
  });
  const outdir = values.outdir;
  if (outdir === undefined) throw new ConfigError('merge-reports needs --outdir DIR (where the merged report goes)');
  if (positionals.length === 0) throw new ConfigError('merge-reports needs the report directories to merge: wsfuzz merge-reports --outdir OUT DIR...');
  const input = positionals.find((dir) => samePath(dir, outdir));
  if (input !== undefined) throw new ConfigError(`--outdir ${outdir} is also an input directory; merge into a new directory`);
  const ci = await prepareCiResults(values);
  const cases = await collectReports(positionals);
  const written = await writeMergedReport(outdir, cases, { product: PRODUCT, generatedAt: new Date() });
  const results = cases.map((c) => c.result);
  const summaries = summarize(results);
  const dirs = positionals.length === 1 ? '1 report directory' : `${positionals.length} report directories`;
  console.log(`Merged ${dirs}: ${casesText(results.length)}`);
  console.log(`Report: ${path.resolve(written.indexHtml)} (index.json beside it)`);
  for (const s of summaries) console.log(summaryLine(s));
  const status = summaries.some((s) => s.failures.length > 0) ? 1 : 0;
  return finishCiResults(ci, results, { reportDir: outdir, status });
}

// The programmatic fuzzingclient: `await fuzzingclient({ url, cases })` runs the cases against a
// WebSocket server, writes the report (docs/reports.md) and resolves to index.json's content.
import { runFuzzingClient, type ProgressEvent } from '../modes/fuzzingclient.js';
import { buildIndex, type IndexJson } from '../report/index-json.js';
import { checkWritableDirectory, writeReports } from '../report/write.js';
import { CaseFiler } from '../report/case-files.js';
import { PRODUCT } from '../version.js';
import { resolveFuzzingClient, type FuzzingClientOptions } from './options.js';

export interface FuzzingClientApiOptions extends FuzzingClientOptions {
  /** Told about each case as it finishes, each server as it starts, each failed connection. */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * Run the selected cases against each server and write the report to `outdir` (default
 * ./reports/servers). Resolves to the results as index.json has them: agent => case ID =>
 * { behavior, behaviorClose, remoteCloseCode, duration, reportfile }. A server that cannot be
 * reached has its cases as FAILED "Could not connect" results. Rejects (ConfigError) on bad options.
 */
export async function fuzzingclient(options: FuzzingClientApiOptions): Promise<IndexJson> {
  const { config, outdir } = await resolveFuzzingClient(options);
  await checkWritableDirectory(outdir);
  // Each case's files are written as it finishes; the run keeps only summaries (report/case-files.ts).
  const filer = new CaseFiler(outdir, { product: PRODUCT, generatedAt: new Date() });
  const run = await runFuzzingClient({ ...config, onOutcome: (o, due) => filer.file(o, due) }, options.onProgress);
  await writeReports(outdir, run.outcomes, { product: PRODUCT, generatedAt: new Date() });
  return buildIndex(run.outcomes.map((o) => o.result));
}

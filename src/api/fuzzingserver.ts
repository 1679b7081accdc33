// The programmatic fuzzingserver: `await fuzzingserver({ port: 0 })` listens; clients under test drive
// it at `url` (docs/modes.md); `stop()` writes the report and resolves to index.json's content.
import { startFuzzingServer } from '../modes/fuzzingserver.js';
import { buildIndex, type IndexJson } from '../report/index-json.js';
import { checkWritableDirectory, writeReports } from '../report/write.js';
import { PRODUCT } from '../version.js';
import { resolveFuzzingServer, type FuzzingServerOptions } from './options.js';

export interface FuzzingServerApiOptions extends FuzzingServerOptions {
  /** The server's log lines (connections, skipped cases, report writes); default: none. */
  log?: (line: string) => void;
}

export interface FuzzingServerHandle {
  /** Where clients connect, e.g. ws://127.0.0.1:40123 (the driver's base URL). */
  url: string;
  port: number;
  /** The selected case IDs; /runCase?case=N runs the N-th (1-based). */
  selected: readonly string[];
  /** The results recorded so far, shaped like index.json. */
  results(): IndexJson;
  /** Resolves when a client asks the server to stop (/stopServer, /updateReports?…&shutdownOnComplete=true). */
  stopRequested: Promise<void>;
  /**
   * Stop listening, close open connections, write the report to `outdir` (default ./reports/clients;
   * nothing is written when no case ran) and resolve to the results. Calling it again returns the same.
   */
  stop(): Promise<IndexJson>;
}

/** Start a fuzzing server; `port` defaults to 0 (any free port: read `url`). */
export async function fuzzingserver(options: FuzzingServerApiOptions = {}): Promise<FuzzingServerHandle> {
  const { config, outdir } = await resolveFuzzingServer(options, 0);
  await checkWritableDirectory(outdir);
  const server = await startFuzzingServer({ ...config, ...(options.log ? { log: options.log } : {}) });
  const results = () => buildIndex(server.results().map((o) => o.result));
  let stopped: Promise<IndexJson> | undefined;
  const stop = async (): Promise<IndexJson> => {
    await server.close();
    const outcomes = server.results();
    if (outcomes.length > 0) await writeReports(outdir, outcomes, { product: PRODUCT, generatedAt: new Date() });
    return buildIndex(outcomes.map((o) => o.result));
  };
  return {
    url: server.url,
    port: server.port,
    selected: server.selected,
    results,
    stopRequested: server.stopRequested,
    stop: () => (stopped ??= stop()),
  };
}

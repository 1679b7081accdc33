// Running a client driver (as its own process) against an in-process fuzzingserver.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFuzzingServer, type FuzzingServer, type FuzzingServerConfig } from '../../src/modes/fuzzingserver.js';
import type { CaseOutcome, CaseResult } from '../../src/fuzz/result.js';
import { caseFileBase } from '../../src/report/naming.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `wsfuzz-${prefix}-`));
}

export async function withFuzzingServer<T>(cases: string[], body: (server: FuzzingServer) => Promise<T>): Promise<T> {
  return withConfiguredFuzzingServer({ cases }, body);
}

/** An in-process fuzzingserver on an ephemeral port with a fresh report directory (`outdir`), and `overrides`. */
export async function withConfiguredFuzzingServer<T>(
  overrides: Partial<FuzzingServerConfig>,
  body: (server: FuzzingServer, outdir: string) => Promise<T>,
): Promise<T> {
  const outdir = path.join(tempDir('clients'), 'reports');
  const server = await startFuzzingServer({
    host: '127.0.0.1',
    port: 0,
    cases: ['*'],
    excludeCases: [],
    excludeAgentCases: {},
    options: {},
    outdir,
    product: 'wsfuzz-test',
    ...overrides,
  });
  try {
    return await body(server, overrides.outdir ?? outdir);
  } finally {
    await server.close();
  }
}

/**
 * The server's outcomes with each case's whole result: a finished case is written to its JSON file
 * and only its summary stays in memory (src/report/case-files.ts), so the rest is read back from
 * that file, as a user of the report would.
 */
export function fullResults(server: FuzzingServer, outdir: string): CaseOutcome[] {
  return server.results().map((o) => {
    if (o.filed?.stem === undefined) return o;
    const file = path.join(outdir, `${caseFileBase(o.filed.stem, o.result.id)}.json`);
    const written = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // The statistics are Maps keyed by size in memory and objects with string keys on disk.
    for (const key of ['rxFrameStats', 'rxOctetStats', 'txFrameStats', 'txOctetStats']) {
      written[key] = new Map(Object.entries(written[key] as Record<string, number>).map(([k, v]) => [Number(k), v]));
    }
    return { ...o, result: { ...o.result, ...(written as Partial<CaseResult>) } };
  });
}

/** Run `node <script> <args>` to completion; resolves with its exit code. */
export function runProcess(script: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export function resultsOf(server: FuzzingServer, agent: string): CaseResult[] {
  return server
    .results()
    .map((o) => o.result)
    .filter((r) => r.agent === agent);
}

// Running a client driver (as its own process) against an in-process fuzzingserver.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFuzzingServer, type FuzzingServer, type FuzzingServerConfig } from '../../src/modes/fuzzingserver.js';
import type { CaseResult } from '../../src/fuzz/result.js';

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

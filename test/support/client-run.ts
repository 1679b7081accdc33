// Running a client driver (as its own process) against an in-process fuzzingserver.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFuzzingServer, type FuzzingServer } from '../../src/modes/fuzzingserver.js';
import type { CaseResult } from '../../src/fuzz/result.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `wsfuzz-${prefix}-`));
}

export async function withFuzzingServer<T>(cases: string[], body: (server: FuzzingServer) => Promise<T>): Promise<T> {
  const server = await startFuzzingServer({
    host: '127.0.0.1',
    port: 0,
    cases,
    excludeCases: [],
    excludeAgentCases: {},
    options: {},
    outdir: tempDir('clients'),
    product: 'wsfuzz-test',
  });
  try {
    return await body(server);
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

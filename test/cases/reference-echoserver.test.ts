// wsfuzz's reference echo server (its own process, as `npm start` runs it) must pass every case:
// OK everywhere except the three cases that are INFORMATIONAL for every peer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import { clientCaseSelection, selectionLabel } from '../support/selection.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/wsfuzz.js');
const INFORMATIONAL = new Set(['7.1.6', '7.13.1', '7.13.2']);

test(`the reference echo server passes ${selectionLabel()}`, { timeout: 30 * 60_000 }, async () => {
  const child = spawn(process.execPath, [cli, 'echoserver', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (ws:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`echoserver exited with ${code}`)));
    });
    const run = await runFuzzingClient({
      servers: [{ url, agent: 'reference' }],
      cases: clientCaseSelection(),
      excludeCases: [],
      excludeAgentCases: {},
      options: {},
      userAgent: 'wsfuzz-test',
    });
    const unexpected = run.outcomes
      .map((o) => o.result)
      .filter((r) => (INFORMATIONAL.has(r.id) ? r.behavior !== 'INFORMATIONAL' : r.behavior !== 'OK' || r.behaviorClose !== 'OK'))
      .map((r) => `${r.id}: ${r.behavior}/${r.behaviorClose} (${r.result} | ${r.resultClose})`);
    assert.equal(run.outcomes.length, clientCaseSelection().length === 1 ? 517 : clientCaseSelection().length);
    assert.deepEqual(unexpected, []);
  } finally {
    child.kill('SIGTERM');
  }
});

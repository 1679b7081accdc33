// wsfuzz's reference client driven through every case by fuzzingserver: every verdict must be OK,
// except the three cases that are INFORMATIONAL for every client (7.1.6, 7.13.1, 7.13.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { resultsOf, runProcess, withFuzzingServer } from '../support/client-run.js';
import { clientCaseSelection, selectionLabel } from '../support/selection.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/wsfuzz.js');
const INFORMATIONAL = new Set(['7.1.6', '7.13.1', '7.13.2']);

test(`the reference client passes ${selectionLabel()}`, { timeout: 40 * 60_000 }, async () => {
  await withFuzzingServer(clientCaseSelection(), async (server) => {
    const started = performance.now();
    assert.equal(await runProcess(cli, ['testeeclient', '--quiet', '--url', server.url, '--agent', 'wsfuzz-client']), 0);
    const results = resultsOf(server, 'wsfuzz-client');
    assert.equal(results.length, server.selected.length);
    const unexpected = results
      .filter((r) => (INFORMATIONAL.has(r.id) ? r.behavior !== 'INFORMATIONAL' : r.behavior !== 'OK' || r.behaviorClose !== 'OK'))
      .map((r) => `${r.id}: ${r.behavior}/${r.behaviorClose} (${r.result} | ${r.resultClose})`);
    assert.deepEqual(unexpected, []);
    console.log(`# reference client: ${results.length} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
});

// fuzzingserver: the `ws` client's verdicts must equal the original suite's (test/fixtures/golden/ws-client-index.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { disagreements, loadGolden } from '../support/golden.js';
import { resultsOf, runProcess, withFuzzingServer } from '../support/client-run.js';
import { clientCaseSelection, selectionLabel } from '../support/selection.js';

const golden = loadGolden('ws-client-index.json');
const driver = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'ws-client-driver.js');

test(`fuzzingserver: the ws 8.23.0 client agrees with the original on ${selectionLabel()}`, { timeout: 40 * 60_000 }, async () => {
  await withFuzzingServer(clientCaseSelection(), async (server) => {
    const started = performance.now();
    assert.equal(await runProcess(driver, [server.url, 'ws']), 0);
    const results = resultsOf(server, 'ws');
    assert.equal(results.length, server.selected.length);
    assert.deepEqual(disagreements(results, golden), []);
    console.log(`# ws client: ${results.length}/${results.length} verdicts agree (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  });
});

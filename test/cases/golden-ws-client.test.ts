// fuzzingserver: the `ws` client's verdicts must equal the original suite's (shared/golden/ws-client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { disagreements, loadGolden } from '../support/golden.js';
import { resultsOf, runProcess, withFuzzingServer } from '../support/client-run.js';

const golden = loadGolden('ws-client');
const driver = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'ws-client-driver.js');

test('fuzzingserver: the ws 8.23.0 client agrees with the original on categories 1-7 and 10 (247 cases)', async () => {
  await withFuzzingServer(['1.*', '2.*', '3.*', '4.*', '5.*', '6.*', '7.*', '10.*'], async (server) => {
    assert.equal(await runProcess(driver, [server.url, 'ws']), 0);
    const results = resultsOf(server, 'ws');
    assert.equal(results.length, 247);
    assert.deepEqual(disagreements(results, golden), []);
  });
});

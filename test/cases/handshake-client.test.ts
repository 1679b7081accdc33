// Category 14, client role (docs/cases.md, Category 14): fuzzingserver answers real clients with
// crafted handshake responses, sends a text message right after, and judges whether the client
// took the connection as open (it echoes). Clients: `ws` 8.23.0, wsfuzz's reference client, and a
// client that accepts any response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { modeIds } from '../../src/cases/index.js';
import { selectCases } from '../../src/cases/selection.js';
import { runTesteeClient } from '../../src/modes/testeeclient.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import type { FuzzingServer } from '../../src/modes/fuzzingserver.js';
import { resultsOf, runProcess, withFuzzingServer } from '../support/client-run.js';
import * as acceptsAnyResponse from '../peers/clients/accepts-any-handshake-response.js';
import * as refusesWithClose from '../peers/clients/refuses-response-with-close-frame.js';

const CLIENT_IDS = selectCases(['14.*'], [], modeIds('fuzzingserver'));
const MUST_REFUSE = CLIENT_IDS.filter((id) => id !== '14.8.6' && id !== '14.10.1');
const wsDriver = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'ws-client-driver.js');

/** Run `drive` against a fuzzingserver that selects only category 14; results by case ID. */
async function run(agent: string, drive: (server: FuzzingServer) => Promise<unknown>): Promise<Map<string, CaseResult>> {
  return withFuzzingServer(['14.*'], async (server) => {
    assert.deepEqual(server.selected, CLIENT_IDS);
    await drive(server);
    for (const o of server.results()) assert.ok(!o.notes.some((n) => n.startsWith('wsfuzz internal error')), `${o.result.id}: ${o.notes.join('; ')}`);
    return new Map(resultsOf(server, agent).map((r) => [r.id, r]));
  });
}

function verdicts(results: Map<string, CaseResult>): Record<string, string> {
  return Object.fromEntries(CLIENT_IDS.map((id) => [id, results.has(id) ? `${results.get(id)!.behavior}/${results.get(id)!.behaviorClose}` : 'missing']));
}

const ALL_OK = Object.fromEntries(CLIENT_IDS.map((id) => [id, 'OK/OK']));
const REFUSED = 'The client failed the connection without taking it as open.';

test('category 14 has 11 client-role cases; the default fuzzingserver selection stays the 517', () => {
  assert.equal(CLIENT_IDS.length, 11);
  assert.equal(selectCases(['*'], [], modeIds('fuzzingserver')).length, 517);
  assert.ok(!modeIds('fuzzingserver').includes('14.1.1'));
});

test('ws 8.23.0 as client refuses every response it must and accepts the valid ones', { timeout: 120_000 }, async () => {
  const results = await run('ws', (server) => runProcess(wsDriver, [server.url, 'ws']));
  assert.deepEqual(verdicts(results), ALL_OK);
  for (const id of MUST_REFUSE) assert.equal(results.get(id)!.result, REFUSED, id);
});

test("wsfuzz's reference client refuses every response it must and accepts the valid ones", { timeout: 120_000 }, async () => {
  const results = await run('ref', (server) => runTesteeClient({ url: server.url, agent: 'ref', userAgent: 'wsfuzz-test' }));
  assert.deepEqual(verdicts(results), ALL_OK);
  for (const id of MUST_REFUSE) assert.equal(results.get(id)!.result, REFUSED, id);
});

test('a client that accepts any response fails every case it must refuse', { timeout: 120_000 }, async () => {
  const results = await run('lax', (server) => acceptsAnyResponse.run(server.url, 'all', 'lax'));
  const expected = { ...ALL_OK };
  for (const id of MUST_REFUSE) expected[id] = 'FAILED/OK';
  assert.deepEqual(verdicts(results), expected);
  assert.match(results.get('14.8.1')!.result, /^The client accepted the response: it sent data frames/);
});

test('a client that refuses with a Close frame instead of closing TCP is NON-STRICT', { timeout: 120_000 }, async () => {
  const results = await withFuzzingServer(['14.8.1'], async (server) => {
    await refusesWithClose.run(server.url, [1], 'closer');
    return resultsOf(server, 'closer');
  });
  assert.equal(results.length, 1);
  assert.equal(`${results[0]!.behavior}/${results[0]!.behaviorClose}`, 'NON-STRICT/OK');
  assert.match(results[0]!.result, /^The client refused the response with a Close frame/);
});

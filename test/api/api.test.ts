// The programmatic API (README "Using wsfuzz from code"): fuzzingclient() and fuzzingserver() on real
// peers over real sockets — wsfuzz's reference echo server, the `ws` server and client, a server that
// never echoes — and caseTests() turning results into node:test subtests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzingclient, fuzzingserver, ConfigError, type IndexJson } from '../../src/index.js';
import { startEchoServer, type EchoServer } from '../../src/modes/echoserver.js';
import { PRODUCT } from '../../src/version.js';
import { start as startDoesNotEcho } from '../peers/does-not-echo.js';
import { startPeerProcess, type PeerProcess } from '../support/processes.js';
import { runProcess, tempDir } from '../support/client-run.js';
import { runNode, show } from '../support/cli.js';

const distTest = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** index.json on disk is what the call resolved to, and every reportfile it names exists. */
function assertReportMatches(outdir: string, results: IndexJson): void {
  const onDisk = JSON.parse(readFileSync(path.join(outdir, 'index.json'), 'utf8')) as IndexJson;
  assert.deepEqual(results, onDisk);
  for (const cases of Object.values(results)) {
    for (const entry of Object.values(cases)) assert.ok(existsSync(path.join(outdir, entry.reportfile)), entry.reportfile);
  }
}

describe('fuzzingclient()', () => {
  let echo: EchoServer;
  let ws: PeerProcess;
  before(async () => {
    echo = await startEchoServer({ port: 0 });
    ws = await startPeerProcess('peers/ws-echo-server.js');
  });
  after(async () => {
    await echo.close();
    await ws.stop();
  });

  test("against wsfuzz's echo server: results shaped like index.json, the report written", async () => {
    const outdir = tempDir('api-client');
    const results = await fuzzingclient({ url: echo.url, cases: ['1.1.1', '2.*', '7.1.1'], exclude: '2.1*', outdir });
    assert.deepEqual(Object.keys(results), [PRODUCT], 'filed under the Server header');
    const cases = results[PRODUCT]!;
    assert.deepEqual(Object.keys(cases), ['1.1.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9', '7.1.1']);
    for (const [id, entry] of Object.entries(cases)) {
      assert.equal(entry.behavior, 'OK', id);
      assert.equal(entry.behaviorClose, 'OK', id);
      assert.equal(entry.remoteCloseCode, id === '2.5' ? 1002 : 1000, id); // 2.5: a ping too long is a protocol error
      assert.equal(typeof entry.duration, 'number');
    }
    assertReportMatches(outdir, results);
  });

  test('against the ws server, from a spec object, with an agent and compression cases two at a time', async () => {
    const outdir = tempDir('api-client');
    const results = await fuzzingclient({
      spec: { servers: [{ url: ws.url }], cases: ['1.2.8', '12.1.1', '12.1.2', '13.1.1'] },
      agent: 'ws',
      jobs: 2,
      outdir,
    });
    assert.deepEqual(Object.keys(results.ws!), ['1.2.8', '12.1.1', '12.1.2', '13.1.1']);
    for (const [id, entry] of Object.entries(results.ws!)) assert.equal(entry.behavior, 'OK', id);
    assertReportMatches(outdir, results);
  });

  test('category 14 runs when selected, and a literal ID of the other mode is a one-line error', async () => {
    const outdir = tempDir('api-client');
    const results = await fuzzingclient({ url: ws.url, agent: 'ws', cases: '14.4.*', outdir });
    assert.deepEqual(
      Object.fromEntries(Object.entries(results.ws!).map(([id, e]) => [id, e.behavior])),
      { '14.4.1': 'OK', '14.4.2': 'FAILED', '14.4.3': 'FAILED' },
    );
    assertReportMatches(outdir, results);
    await assert.rejects(fuzzingclient({ url: ws.url, cases: '14.8.1', outdir }), /case 14\.8\.1 tests the client role: it runs in fuzzingserver only/);
  });

  test('a server that does not echo: FAILED results, not an exception', async () => {
    const peer = await startDoesNotEcho();
    try {
      const results = await fuzzingclient({ url: peer.url, agent: 'mute', cases: '1.1.1', outdir: tempDir('api-client') });
      assert.equal(results.mute!['1.1.1']!.behavior, 'FAILED');
    } finally {
      await peer.close();
    }
  });

  test('bad options reject with a ConfigError, before anything connects', async () => {
    await assert.rejects(fuzzingclient({ url: 'http://127.0.0.1:1' }), ConfigError);
    await assert.rejects(fuzzingclient({ url: echo.url, jobs: 0 }), /--jobs/);
    await assert.rejects(fuzzingclient({ url: echo.url, cases: ['1.1.1'], exclude: ['1.*'] }), /no cases selected/);
    await assert.rejects(fuzzingclient({}), /no server to test/);
  });
});

describe('fuzzingserver()', () => {
  test('the ws client drives it; stop() writes the report and resolves to the results', async () => {
    const outdir = tempDir('api-server');
    const server = await fuzzingserver({ cases: ['1.1.1', '2.1', '5.1'], outdir });
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.port, 0);
    assert.deepEqual(server.selected, ['1.1.1', '2.1', '5.1']);
    const status = await runProcess(path.join(distTest, 'peers', 'ws-client-driver.js'), [server.url, 'ws-client']);
    assert.equal(status, 0);
    assert.deepEqual(Object.keys(server.results()['ws-client']!), ['1.1.1', '2.1', '5.1']);
    const results = await server.stop();
    assert.deepEqual(await server.stop(), results, 'stop() twice');
    for (const [id, entry] of Object.entries(results['ws-client']!)) assert.equal(entry.behavior, 'OK', id);
    assertReportMatches(outdir, results);
  });

  test('stopRequested resolves on /stopServer', async () => {
    const server = await fuzzingserver({ cases: '1.1.1', outdir: tempDir('api-server') });
    const { default: WebSocket } = await import('ws');
    const client = new WebSocket(`${server.url}/stopServer`);
    client.on('error', () => undefined);
    await server.stopRequested;
    assert.deepEqual(await server.stop(), {});
  });
});

describe('caseTests()', () => {
  const results: IndexJson = {
    lib: {
      '1.1.1': { behavior: 'OK', behaviorClose: 'OK', duration: 1, remoteCloseCode: 1000, reportfile: 'lib_case_1_1_1.json' },
      '9.3.1': { behavior: 'FAILED', behaviorClose: 'OK', duration: 9, remoteCloseCode: 1000, reportfile: 'lib_case_9_3_1.json' },
      '10.1.1': { behavior: 'NON-STRICT', behaviorClose: 'OK', duration: 1, remoteCloseCode: 1000, reportfile: 'lib_case_10_1_1.json' },
      '2.1': { behavior: 'OK', behaviorClose: 'FAILED', duration: 1, remoteCloseCode: null, reportfile: 'lib_case_2_1.json' },
    },
  };
  const script = path.join(distTest, 'api', 'case-tests-run.js');
  const file = path.join(tempDir('api-node-test'), 'index.json');
  before(() => writeFileSync(file, JSON.stringify(results)));

  /** node --test-reporter=tap on the user-style test file; the TAP lines of the case subtests. */
  async function tap(args: string[]) {
    const r = await runNode('--test-reporter=tap', [script, file, ...args], path.dirname(file));
    const lines = r.stdout.split('\n').filter((l) => /^ {4}(not )?ok \d+ - /.test(l)).map((l) => l.trim());
    return { r, lines };
  }

  test('one subtest per case in case order; a failing case fails its subtest with the verdict and report file', async () => {
    const { r, lines } = await tap([]);
    assert.equal(r.status, 1, show(r));
    assert.deepEqual(lines, ['ok 1 - 1.1.1', 'not ok 2 - 2.1', 'not ok 3 - 9.3.1', 'ok 4 - 10.1.1']);
    assert.match(r.stdout, /case 9\.3\.1: FAILED, closing behavior OK \(close code 1000\); see lib_case_9_3_1\.json/);
    assert.match(r.stdout, /case 2\.1: OK, closing behavior FAILED \(no close code\); see lib_case_2_1\.json/);
  });

  test('known failures are todo: reported, and the run passes', async () => {
    const { r, lines } = await tap(['9.3.*,2.1']);
    assert.equal(r.status, 0, show(r));
    assert.deepEqual(lines, ['ok 1 - 1.1.1', 'not ok 2 - 2.1 # TODO known failure', 'not ok 3 - 9.3.1 # TODO known failure', 'ok 4 - 10.1.1']);
  });
});

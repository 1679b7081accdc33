// fuzzingserver's URL API (docs/modes.md; docs/handshake.md, Checking the client's request) against a real in-process server,
// driven by small raw WebSocket clients (test/peers/clients/base.ts) and raw HTTP requests.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFuzzingServer, type FuzzingServer, type FuzzingServerConfig } from '../../src/modes/fuzzingserver.js';
import { caseById } from '../../src/cases/index.js';
import { Opcode } from '../../src/protocol/frame.js';
import { defaultRequest, runClient, type ClientRun } from '../peers/clients/base.js';
import { tempDir } from '../support/client-run.js';
import { httpGet } from '../support/raw-http.js';

const SELECTION = ['1.1.*', '7.9.1'];
/** 1.1.1 ... 1.1.8, then 7.9.1 as case 9. */
const SELECTED = ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8', '7.9.1'];

interface TestServer extends FuzzingServer {
  outdir: string;
  logLines: string[];
}

async function withServer<T>(overrides: Partial<FuzzingServerConfig>, body: (server: TestServer) => Promise<T>): Promise<T> {
  const outdir = path.join(tempDir('fuzzingserver'), 'reports');
  const logLines: string[] = [];
  const server = await startFuzzingServer({
    host: '127.0.0.1',
    port: 0,
    cases: SELECTION,
    excludeCases: [],
    excludeAgentCases: {},
    options: {},
    outdir,
    product: 'wsfuzz-test',
    log: (line) => logLines.push(line),
    ...overrides,
  });
  try {
    return await body(Object.assign(server, { outdir: overrides.outdir ?? outdir, logLines }));
  } finally {
    await server.close();
  }
}

function texts(run: ClientRun): string[] {
  return run.messages.map((m) => {
    assert.equal(m.binary, false, 'a text message');
    return m.payload.toString('utf8');
  });
}

/** A Close with an empty body, and nothing after it. */
function assertClosedWithoutCode(run: ClientRun): void {
  assert.deepEqual(
    run.closes.map((b) => b.toString('hex')),
    [''],
  );
  assert.equal(run.frames.at(-1)?.opcode, Opcode.CLOSE);
}

/** Promise state without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true), sleep(50).then(() => false)]);
}

function recorded(server: FuzzingServer): string[] {
  return server
    .results()
    .map((o) => `${o.result.agent} ${o.result.id} #${o.result.case}`)
    .sort();
}

describe('fuzzingserver URL API', { concurrency: true, timeout: 30_000 }, () => {
  test('/getCaseCount: the count as a text message, then a Close with no code', async () => {
    await withServer({}, async (server) => {
      assert.deepEqual(server.selected, SELECTED);
      const run = await runClient(`${server.url}/getCaseCount`);
      assert.equal(run.status, 101);
      assert.deepEqual(texts(run), ['9']);
      assert.deepEqual(
        run.frames.map((f) => f.opcode),
        [Opcode.TEXT, Opcode.CLOSE],
      );
      assertClosedWithoutCode(run);
      assert.deepEqual(recorded(server), []);
    });
    await withServer({ cases: ['*'] }, async (server) => {
      assert.deepEqual(texts(await runClient(`${server.url}/getCaseCount`)), ['517']);
    });
  });

  test('/runCase numbering follows the selection: case=9 and casetuple=7.9.1 are 7.9.1, recorded as case 9', async () => {
    await withServer({}, async (server) => {
      const byNumber = await runClient(`${server.url}/runCase?case=9&agent=by-number`);
      // 7.9.1 sends a Close with code 0 (docs/cases.md, 7 Close Handling).
      assert.deepEqual(
        byNumber.closes.map((b) => b.toString('hex')),
        ['0000'],
      );
      await runClient(`${server.url}/runCase?casetuple=7.9.1&agent=by-tuple`);
      await runClient(`${server.url}/runCase?casetuple=%207.9.1+&agent=tuple+trimmed`);
      // case wins over casetuple (docs/modes.md, fuzzingserver URL API).
      await runClient(`${server.url}/runCase?case=1&casetuple=7.9.1&agent=both`);
      assert.deepEqual(recorded(server), ['both 1.1.1 #1', 'by-number 7.9.1 #9', 'by-tuple 7.9.1 #9', 'tuple trimmed 7.9.1 #9']);
      for (const o of server.results()) {
        assert.deepEqual([o.result.agent, o.result.behavior, o.result.behaviorClose], [o.result.agent, 'OK', 'OK']);
      }
    });
  });

  test('/getCaseInfo: exactly {"id": "<id>", "description": "<short text>"}, then a Close with no code', async () => {
    await withServer({}, async (server) => {
      const [first, last] = await Promise.all([
        runClient(`${server.url}/getCaseInfo?case=1`),
        runClient(`${server.url}/getCaseInfo?casetuple=7.9.1`),
      ]);
      for (const [run, id] of [
        [first, '1.1.1'],
        [last, '7.9.1'],
      ] as const) {
        // Short description: cut before the first '<', whitespace runs collapsed, trimmed (docs/modes.md, fuzzingserver URL API).
        const short = caseById(id).description.split('<')[0]!.replace(/\s+/g, ' ').trim();
        assert.ok(short.length > 0, id);
        assert.deepEqual(texts(run), [`{"id": "${id}", "description": ${JSON.stringify(short)}}`]);
        assertClosedWithoutCode(run);
      }
      assert.deepEqual(recorded(server), []);
    });
  });

  test('/getCaseStatus waits for the result, then answers {"behavior": ...} and a Close with no code', async () => {
    await withServer({}, async (server) => {
      const waiting = runClient(`${server.url}/getCaseStatus?case=1&agent=st`);
      const waitingFailed = runClient(`${server.url}/getCaseStatus?case=1&agent=mute`);
      await sleep(300);
      assert.equal(await settled(waiting), false, 'no answer before the case ran');
      await runClient(`${server.url}/runCase?case=1&agent=st`);
      const answer = await waiting;
      assert.deepEqual(texts(answer), ['{"behavior": "OK"}']);
      assertClosedWithoutCode(answer);
      // Once the result exists the answer is immediate.
      const again = await runClient(`${server.url}/getCaseStatus?case=1&agent=st`);
      assert.deepEqual(texts(again), ['{"behavior": "OK"}']);
      assert.ok(again.closeAfterMs! < 500, `answered after ${again.closeAfterMs} ms`);
      // The behavior of the run, not a constant: a client that does not echo fails 1.1.1.
      assert.equal(await settled(waitingFailed), false);
      await runClient(`${server.url}/runCase?case=1&agent=mute`, { onMessage: () => undefined });
      assert.deepEqual(texts(await waitingFailed), ['{"behavior": "FAILED"}']);
      assert.deepEqual(recorded(server), ['mute 1.1.1 #1', 'st 1.1.1 #1']);
    });
  });

  test('missing agent, bad or out-of-range case, repeated parameters => HTTP 500, nothing recorded', async () => {
    await withServer({}, async (server) => {
      const targets = [
        '/runCase?case=1',
        '/runCase?case=1&agent=',
        '/runCase?case=abc&agent=a',
        '/runCase?case=0&agent=a',
        '/runCase?case=10&agent=a',
        '/runCase?agent=a',
        '/runCase?casetuple=2.1&agent=a',
        '/runCase?case=1&agent=a&agent=b',
        '/runCase?case=1&case=2&agent=a',
        '/getCaseInfo?case=10',
        '/getCaseStatus?case=1',
        '/updateReports',
      ];
      const runs = await Promise.all(targets.map((t) => runClient(server.url + t)));
      runs.forEach((run, i) => {
        assert.equal(run.status, 500, targets[i]);
        assert.match(run.response, /^HTTP\/1\.1 500 Internal Server Error\r\n/, targets[i]);
        assert.deepEqual(run.frames, [], targets[i]);
        assert.equal(run.timedOut, false, `${targets[i]}: the server closes the connection`);
      });
      assert.deepEqual(recorded(server), []);
      assert.equal(existsSync(path.join(server.outdir, 'index.json')), false, '/updateReports without agent wrote nothing');
    });
  });

  test('exclude-agent-cases: a Close with no code at once, nothing recorded; other agents and cases run', async () => {
    await withServer({ excludeAgentCases: { 'skip*': ['1.1.*'] } }, async (server) => {
      const skipped = await runClient(`${server.url}/runCase?case=1&agent=skipper`);
      assert.equal(skipped.status, 101);
      // No text frame of 1.1.1 first: the only frame is the Close.
      assert.deepEqual(
        skipped.frames.map((f) => f.opcode),
        [Opcode.CLOSE],
      );
      assertClosedWithoutCode(skipped);
      assert.ok(skipped.closeAfterMs! < 500, `closed after ${skipped.closeAfterMs} ms`);
      assert.deepEqual(recorded(server), []);
      await runClient(`${server.url}/runCase?case=9&agent=skipper`);
      await runClient(`${server.url}/runCase?case=1&agent=other`);
      await runClient(`${server.url}/runCase?case=1&agent=myskip`);
      assert.deepEqual(recorded(server), ['myskip 1.1.1 #1', 'other 1.1.1 #1', 'skipper 7.9.1 #9']);
      assert.ok(server.logLines.some((l) => l.includes('Skipping test case 1.1.1 for agent skipper')), server.logLines.join('\n'));
    });
  });

  test('/updateReports writes index.json and index.html for all agents; the reports are served over HTTP', async () => {
    await withServer({}, async (server) => {
      const port = server.port;
      assert.match(await httpGet(port, '/reports/index.html'), /^HTTP\/1\.1 404 /, 'no report before /updateReports');
      await Promise.all(['a', 'b'].map((agent) => runClient(`${server.url}/runCase?case=1&agent=${agent}`)));
      assert.equal(existsSync(path.join(server.outdir, 'index.json')), false, 'the index is written only on /updateReports');
      const update = await runClient(`${server.url}/updateReports?agent=a`);
      assert.equal(update.status, 101);
      assert.deepEqual(update.messages, []);
      assertClosedWithoutCode(update);
      const index = JSON.parse(await readFile(path.join(server.outdir, 'index.json'), 'utf8')) as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(index), ['a', 'b']);
      for (const agent of ['a', 'b']) {
        assert.deepEqual(Object.keys(index[agent]!), ['1.1.1']);
        assert.deepEqual(index[agent]!['1.1.1'], {
          behavior: 'OK',
          behaviorClose: 'OK',
          duration: (index[agent]!['1.1.1'] as { duration: number }).duration,
          remoteCloseCode: 1000,
          reportfile: `${agent}_case_1_1_1.json`,
        });
        assert.ok(existsSync(path.join(server.outdir, `${agent}_case_1_1_1.json`)), agent);
        assert.ok(existsSync(path.join(server.outdir, `${agent}_case_1_1_1.html`)), agent);
      }
      const html = await readFile(path.join(server.outdir, 'index.html'), 'utf8');
      assert.match(html, /<td class="agent close_flex" colspan="2">a<\/td><td class="agent close_flex" colspan="2">b<\/td>/);
      // Served as written.
      const served = await httpGet(port, '/reports/index.html');
      assert.match(served, /^HTTP\/1\.1 200 /);
      assert.ok(served.endsWith(html), 'body = the index.html file');
      assert.match(await httpGet(port, '/reports/index.json'), /^HTTP\/1\.1 200 [^]*\r\n\r\n\{/);
      // Without shutdownOnComplete the server keeps running.
      assert.equal(await settled(server.stopRequested), false);
    });
  });

  test('/updateReports?shutdownOnComplete=true writes the reports and resolves stopRequested', async () => {
    await withServer({}, async (server) => {
      await runClient(`${server.url}/runCase?case=9&agent=a`);
      assert.equal(await settled(server.stopRequested), false);
      const update = await runClient(`${server.url}/updateReports?agent=a&shutdownOnComplete=true`);
      assertClosedWithoutCode(update);
      assert.equal(await settled(server.stopRequested), true, 'stop requested');
      assert.ok(existsSync(path.join(server.outdir, 'index.json')));
      assert.ok(existsSync(path.join(server.outdir, 'a_case_7_9_1.html')));
    });
  });

  test('/stopServer resolves stopRequested', async () => {
    await withServer({}, async (server) => {
      assert.equal(await settled(server.stopRequested), false);
      await runClient(`${server.url}/stopServer`);
      assert.equal(await settled(server.stopRequested), true, 'stop requested');
      assert.equal(existsSync(path.join(server.outdir, 'index.json')), false, 'no reports on /stopServer');
    });
  });

  test('plain HTTP: / and /test_browser.html are 200 HTML; nothing outside the report directory is served', async () => {
    const root = tempDir('fuzzingserver-http');
    const outdir = path.join(root, 'reports');
    await mkdir(outdir);
    const secret = 'not-for-the-web-3f9a1c';
    await writeFile(path.join(root, 'x'), secret);
    await writeFile(path.join(root, 'x.json'), secret);
    await withServer({ outdir }, async (server) => {
      for (const target of ['/', '/test_browser.html']) {
        const page = await httpGet(server.port, target);
        assert.match(page, /^HTTP\/1\.1 200 /, target);
        assert.match(page, /\r\nContent-Type: text\/html[^\r]*\r\n/i, target);
        assert.match(page, /\r\n\r\n<!DOCTYPE html>/i, target);
      }
      for (const target of [
        '/reports/../x',
        '/reports/..%2fx',
        '/reports/%2e%2e/x',
        '/reports/%2e%2e%2fx.json',
        '/reports/..\\x',
        '/reports//../../x',
      ]) {
        const answer = await httpGet(server.port, target);
        assert.doesNotMatch(answer, /^HTTP\/1\.1 200 /, target);
        assert.ok(!answer.includes(secret), `${target} served a file outside the report directory`);
      }
    });
  });

  test('a Sec-WebSocket-Version other than 13 or 8 gets 400 with Sec-WebSocket-Version: 13,8,0', async () => {
    await withServer({}, async (server) => {
      const withVersion = (v: string) => (parts: Parameters<typeof defaultRequest>[0]) =>
        defaultRequest(parts).replace('Sec-WebSocket-Version: 13', `Sec-WebSocket-Version: ${v}`);
      const bad = await runClient(`${server.url}/getCaseCount`, {}, { request: withVersion('12') });
      assert.equal(bad.status, 400);
      const [statusLine, ...headers] = bad.response.split('\r\n\r\n')[0]!.split('\r\n');
      assert.equal(statusLine, 'HTTP/1.1 400 WebSocket version 12 not supported (supported versions: 13,8,0)');
      assert.ok(headers.includes('Sec-WebSocket-Version: 13,8,0'), headers.join(' | '));
      assert.equal(bad.timedOut, false, 'the server closes the connection after the 400');
      // Version 8 (drafts 10-12) is accepted (docs/handshake.md, Checking the client's request).
      const draft = await runClient(`${server.url}/getCaseCount`, {}, { request: withVersion('8') });
      assert.deepEqual([draft.status, texts(draft)], [101, ['9']]);
    });
  });

  test('a Host header with another port (port mapping) is accepted, with a warning (deliberate deviation)', async () => {
    await withServer({ allowHosts: ['example.org'] }, async (server) => {
      for (const host of ['127.0.0.1:1', 'localhost:9001', 'example.org:9001', 'example.org']) {
        const run = await runClient(`${server.url}/getCaseCount`, {}, {
          request: (parts) => defaultRequest({ ...parts, hostPort: host }),
        });
        assert.deepEqual([host, run.status, texts(run)], [host, 101, ['9']]);
      }
      assert.ok(
        server.logLines.some((l) => l.includes(`port 1 in HTTP Host header '127.0.0.1:1' does not match server listening port ${server.port}`)),
        server.logLines.join('\n'),
      );
    });
  });

  test('direct command mode: ["sendframe", {...}] makes the server send that frame; nothing is recorded', async () => {
    await withServer({}, async (server) => {
      const commands = [
        '["sendframe", {"opcode": 1, "payload": "hello"}]',
        '["sendframes", [{"opcode": 1, "payload": "wor", "fin": false}, {"opcode": 0, "payload": "ld"}]]',
        '["sendframe", {"opcode": 2, "payload": "bin"}]',
      ];
      let next = 0;
      const run = await runClient(`${server.url}/any/other/path`, {
        onOpen: (conn) => conn.send(Opcode.TEXT, Buffer.from(commands[next++]!)),
        onMessage: (conn) => {
          if (next < commands.length) conn.send(Opcode.TEXT, Buffer.from(commands[next++]!));
          else conn.sendClose(1000);
        },
      });
      assert.equal(run.status, 101);
      assert.deepEqual(
        run.messages.map((m) => [m.payload.toString(), m.binary]),
        [
          ['hello', false],
          ['world', false],
          ['bin', true],
        ],
      );
      assert.deepEqual(
        run.frames.map((f) => [f.opcode, f.fin, f.rsv, f.masked, f.length]),
        [
          [1, true, 0, false, 5],
          [1, false, 0, false, 3],
          [0, true, 0, false, 2],
          [2, true, 0, false, 3],
          [8, true, 0, false, 2],
        ],
      );
      // The server answered the client's Close 1000.
      assert.deepEqual(
        run.closes.map((b) => b.toString('hex')),
        ['03e8'],
      );
      assert.deepEqual(recorded(server), []);
    });
  });

  test('/caseResult (plain HTTP): null before a run, waits while the case runs, then the verdicts the page shows', async () => {
    await withServer({}, async (server) => {
      const body = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4);
      const before = await httpGet(server.port, '/caseResult?case=1&agent=w');
      assert.match(before, /^HTTP\/1\.1 200 [^]*\r\nContent-Type: application\/json\r\n/);
      assert.equal(body(before), 'null');
      // Ask while the case runs (its message has arrived, the echo is held back): no answer until it ends.
      let pending: Promise<string> | undefined;
      let echo!: () => void;
      const run = runClient(`${server.url}/runCase?case=1&agent=w`, {
        onMessage(conn, payload, binary) {
          pending = httpGet(server.port, '/caseResult?casetuple=1.1.1&agent=w');
          echo = () => conn.send(binary ? Opcode.BINARY : Opcode.TEXT, payload);
        },
      });
      while (pending === undefined) await sleep(10);
      assert.equal(await settled(pending), false, 'answered while the case was running');
      echo();
      await run;
      assert.deepEqual(JSON.parse(body(await pending)), {
        id: '1.1.1',
        behavior: 'OK',
        behaviorClose: 'OK',
        remoteCloseCode: 1000,
        duration: server.results()[0]!.result.duration,
        cell: 'Pass',
        cellClass: 'case_ok',
        close: '1000',
        closeClass: 'case_ok',
        failing: false,
        page: 'w_case_1_1_1.html',
      });
      // A client that does not echo fails; the answer says so.
      await runClient(`${server.url}/runCase?case=2&agent=w`, { onMessage: () => undefined });
      const failed = JSON.parse(body(await httpGet(server.port, '/caseResult?case=2&agent=w'))) as { behavior: string; cell: string; failing: boolean };
      assert.deepEqual([failed.behavior, failed.cell, failed.failing], ['FAILED', 'Fail', true]);
      // Bad parameters: 400 with the reason, as JSON.
      for (const target of ['/caseResult?case=1', '/caseResult?case=0&agent=w', '/caseResult?casetuple=2.1&agent=w', '/caseResult?case=1&agent=a&agent=b']) {
        const answer = await httpGet(server.port, target);
        assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/, target);
        assert.ok(typeof (JSON.parse(body(answer)) as { error: string }).error === 'string', target);
      }
    });
  });

  test('/caseResult is null for a case skipped by exclude-agent-cases (no waiting)', async () => {
    await withServer({ excludeAgentCases: { 'skip*': ['1.1.*'] } }, async (server) => {
      await runClient(`${server.url}/runCase?case=1&agent=skipper`);
      const answer = await httpGet(server.port, '/caseResult?case=1&agent=skipper');
      assert.ok(answer.endsWith('\r\n\r\nnull'), answer);
    });
  });

  test('per-case pages and JSON are written and served as cases finish, before /updateReports, with neighbour links', async () => {
    await withServer({}, async (server) => {
      await runClient(`${server.url}/runCase?case=2&agent=Live One`);
      await runClient(`${server.url}/runCase?case=9&agent=Live One`);
      // The files are written once the server has the verdict (just after the client saw the end).
      while (!server.results().every((o) => o.filed)) await sleep(10);
      const page = await httpGet(server.port, '/reports/live_one_case_1_1_2.html');
      assert.match(page, /^HTTP\/1\.1 200 [^]*\r\nContent-Type: text\/html/);
      assert.ok(page.includes('Live One - <span style="font-size: 1.3em;"><b>Case 1.1.2</b></span>'));
      // Until the report is written, a page links to the agent's neighbouring selected cases (not run yet)...
      const nav = (next: string) => `<a href="index.html">Index</a><a href="live_one_case_${next.replaceAll('.', '_')}.html" rel="next">Case ${next} &#9654;</a>`;
      assert.ok(page.includes('<a href="live_one_case_1_1_1.html" rel="prev">&#9664; Case 1.1.1</a>' + nav('1.1.3')), page);
      const json = await httpGet(server.port, '/reports/live_one_case_7_9_1.json');
      assert.match(json, /^HTTP\/1\.1 200 [^]*\r\nContent-Type: application\/json\r\n[^]*"id": "7\.9\.1"/);
      assert.match(await httpGet(server.port, '/reports/live_one_case_1_1_3.html'), /^HTTP\/1\.1 404 /, 'a case not run');
      assert.match(await httpGet(server.port, '/reports/index.html'), /^HTTP\/1\.1 404 /, 'the index only after /updateReports');
      // Each case's files are written as it finishes (only its summary stays in memory); the index waits.
      assert.equal(existsSync(path.join(server.outdir, 'live_one_case_1_1_2.html')), true, 'written as the case finished');
      assert.equal(existsSync(path.join(server.outdir, 'index.html')), false, 'no index before /updateReports');
      // ...and /updateReports links it to the cases that have results.
      await runClient(`${server.url}/updateReports?agent=Live One`);
      assert.ok((await readFile(path.join(server.outdir, 'live_one_case_1_1_2.html'), 'utf8')).includes('<span>&#9664; first case</span>' + nav('7.9.1')));
    });
  });
});

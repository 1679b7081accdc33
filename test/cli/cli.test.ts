// The wsfuzz command line as users meet it: bin/wsfuzz.js run as a real child process in a temporary
// directory, checked by exit status, stdout/stderr and the report files it writes (README "Exit status
// and reports"; docs/modes.md, Spec files).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { start as startDoesNotEcho } from '../peers/does-not-echo.js';
import {
  assertOneLineError,
  closedPort,
  errorLines,
  escapeRe,
  freshDir,
  noStackTrace,
  PRODUCT,
  readIndex,
  readReportJson,
  show,
  spawnWsfuzz,
  echoServerForTests,
  VERSION,
  writeJson,
  wsfuzz,
  WSFUZZ_SHELL,
} from '../support/cli.js';

const CASES_1_1_1_AND_2 = ['1.1.1', ...Array.from({ length: 11 }, (_, i) => `2.${i + 1}`)];

describe('usage', { concurrency: true }, () => {
  test('no arguments: usage text on stdout, status 2', async () => {
    const r = await wsfuzz([]);
    assert.equal(r.status, 2, show(r));
    assert.match(r.stdout, /^Usage: wsfuzz <command>/);
    for (const command of ['fuzzingclient', 'fuzzingserver', 'echoserver', 'testeeclient', 'selftest']) {
      assert.match(r.stdout, new RegExp(`^  ${command} `, 'm'), `usage does not list ${command}`);
    }
  });

  test('--help, -h and help: usage text, status 0', async () => {
    for (const r of await Promise.all([wsfuzz(['--help']), wsfuzz(['-h']), wsfuzz(['help'])])) {
      assert.equal(r.status, 0, show(r));
      assert.match(r.stdout, /^Usage: wsfuzz <command>/);
      assert.match(r.stdout, /Exit status: 0 all cases passed, 1 some case failed, 2 /);
      assert.equal(r.stderr, '');
    }
  });

  test('--version prints the package.json version', async () => {
    const r = await wsfuzz(['--version']);
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stdout, `${VERSION}\n`);
  });

  test('an unknown command is a one-line error', async () => {
    assertOneLineError(await wsfuzz(['frobnicate']), /'frobnicate'/);
    // Autobahn's --mode form with a mode wsfuzz does not have
    assertOneLineError(await wsfuzz(['--mode', 'massconnect']), /'massconnect'/);
  });

  test('an unknown option is a one-line error', async () => {
    const results = await Promise.all([
      wsfuzz(['fuzzingclient', '--frobnicate', '--url', 'ws://127.0.0.1:9']),
      wsfuzz(['fuzzingserver', '--frobnicate']),
      wsfuzz(['echoserver', '--frobnicate']),
      wsfuzz(['selftest', '--frobnicate']),
      wsfuzz(['fuzzingclient', 'extra-argument', '--url', 'ws://127.0.0.1:9']),
    ]);
    for (const r of results.slice(0, 4)) assertOneLineError(r, /--frobnicate/);
    assertOneLineError(results[4]!, /extra-argument/);
  });

  test('a missing option value is still a one-line error (parseArgs messages span lines)', async () => {
    assertOneLineError(await wsfuzz(['echoserver', '--port', '-1']), /--port/);
  });
});

describe('fuzzingclient: configuration errors', { concurrency: true }, () => {
  test('a spec file that does not exist', async () => {
    assertOneLineError(await wsfuzz(['fuzzingclient', '--spec', 'no-such-spec.json']), /no-such-spec\.json/);
  });

  test('a spec file that is not JSON (even a multi-line one)', async () => {
    const dir = freshDir();
    // V8 quotes the whole offending text for an unexpected token, newlines included.
    writeFileSync(path.join(dir, 'broken.json'), '{\n  "cases": ["1.*"],\n  "servers": oops\n}\n');
    writeFileSync(path.join(dir, 'empty.json'), '');
    const [broken, empty] = await Promise.all([
      wsfuzz(['fuzzingclient', '--spec', 'broken.json'], dir),
      wsfuzz(['fuzzingclient', '--spec', 'empty.json'], dir),
    ]);
    assertOneLineError(broken, /broken\.json.*JSON/);
    assertOneLineError(empty, /empty\.json.*JSON/);
  });

  test('spec values of the wrong shape', async () => {
    const dir = freshDir();
    const server = { url: 'ws://127.0.0.1:9' };
    const specs: Array<[unknown, RegExp]> = [
      [{ cases: '1.*', servers: [server] }, /"cases" must be a list/],
      [{ cases: ['1.*'], servers: [{ agent: 'x' }] }, /"servers"\[0\]\.url/],
      [{ cases: ['1.*'], servers: [{ url: 'http://127.0.0.1:9' }] }, /"servers"\[0\]\.url.*ws:\/\//],
      [{ cases: ['1.*'], servers: server }, /"servers" must be a list/],
      [{ cases: ['1.*'], servers: [server], 'exclude-agent-cases': { a: '1.*' } }, /exclude-agent-cases/],
      [[server], /JSON object/],
    ];
    const results = await Promise.all(specs.map(([spec], i) => wsfuzz(['fuzzingclient', '--spec', writeJson(dir, `spec${i}.json`, spec)], dir)));
    results.forEach((r, i) => assertOneLineError(r, specs[i]![1]));
  });

  test('--url that is not a ws:// URL', async () => {
    const [http, garbage] = await Promise.all([
      wsfuzz(['fuzzingclient', '--url', 'http://127.0.0.1:9001']),
      wsfuzz(['fuzzingclient', '--url', 'not a url']),
    ]);
    assertOneLineError(http, /--url.*ws:\/\//);
    assertOneLineError(garbage, /--url.*not a url/);
  });

  test('no server given at all', async () => {
    assertOneLineError(await wsfuzz(['fuzzingclient']), /--url/);
  });

  test('an unknown literal case ID is named (in --exclude only a warning, as the original ignores it)', async () => {
    assertOneLineError(await wsfuzz(['fuzzingclient', '--url', 'ws://127.0.0.1:9', '--cases', '1.1.99']), /'1\.1\.99'/);
    const excluded = await wsfuzz(['fuzzingclient', '--list', '--cases', '1.1.1', '--exclude', '42']);
    assert.equal(excluded.status, 0, show(excluded));
    assert.equal(excluded.stderr, "wsfuzz: warning: excluded case ID '42' is not a case; ignored\n");
  });

  test('patterns that select no case are an error, not an empty run', async () => {
    const results = await Promise.all([
      wsfuzz(['fuzzingclient', '--url', 'ws://127.0.0.1:9', '--cases', '99.*']),
      wsfuzz(['fuzzingclient', '--url', 'ws://127.0.0.1:9', '--cases', '1.1.1', '--exclude', '1.*']),
      wsfuzz(['fuzzingclient', '--url', 'ws://127.0.0.1:9', '--cases', '']),
    ]);
    for (const r of results) assertOneLineError(r, /no cases selected/);
  });

  test('an unknown option name in the spec options (global or per server)', async () => {
    const dir = freshDir();
    const global = writeJson(dir, 'global.json', { cases: ['1.1.1'], servers: [{ url: 'ws://127.0.0.1:9' }], options: { frobnicate: 1 } });
    const perServer = writeJson(dir, 'server.json', { cases: ['1.1.1'], servers: [{ url: 'ws://127.0.0.1:9', options: { wobble: true } }] });
    const [a, b] = await Promise.all([wsfuzz(['fuzzingclient', '--spec', global], dir), wsfuzz(['fuzzingclient', '--spec', perServer], dir)]);
    assertOneLineError(a, /frobnicate/);
    assertOneLineError(b, /wobble/);
  });

  test('bad --jobs and --connect-timeout values', async () => {
    const url = 'ws://127.0.0.1:9';
    const [jobs, timeout] = await Promise.all([
      wsfuzz(['fuzzingclient', '--url', url, '--jobs', '0']),
      wsfuzz(['fuzzingclient', '--url', url, '--connect-timeout', 'soon']),
    ]);
    assertOneLineError(jobs, /--jobs/);
    assertOneLineError(timeout, /--connect-timeout/);
  });

  test('an unreachable server: one error line naming it, status 2, a report with the connection failures', async () => {
    const port = await closedPort();
    const dir = freshDir();
    const r = await wsfuzz(['fuzzingclient', '--url', `ws://127.0.0.1:${port}`, '--cases', '1.*', '--outdir', 'out'], dir);
    assert.equal(r.status, 2, show(r));
    noStackTrace(r);
    const errors = errorLines(r);
    assert.equal(errors.length, 1, show(r));
    assert.ok(errors[0]!.startsWith(`wsfuzz: error: cannot connect to ws://127.0.0.1:${port}`), show(r));
    // COMPATIBILITY.md, Running: every case reported as FAILED ("Could not connect: …"), under UnknownServer.
    const index = readIndex(path.join(dir, 'out'));
    assert.deepEqual(Object.keys(index), ['UnknownServer']);
    assert.equal(Object.keys(index.UnknownServer!).length, 16);
    for (const entry of Object.values(index.UnknownServer!)) assert.equal(entry.behavior, 'FAILED');
    const page = readReportJson(path.join(dir, 'out', index.UnknownServer!['1.1.1']!.reportfile)) as { result: string };
    assert.match(page.result, /^Could not connect: .*ECONNREFUSED/);
    assert.match(r.stdout, /^Report: /m);
  });
});

describe('fuzzingclient runs', { concurrency: true }, () => {
  let echoUrl = '';
  echoServerForTests((url) => (echoUrl = url));

  test("--cases '1.1.1,2.*' against the reference echo server: all OK, reports written", async () => {
    const dir = freshDir();
    const r = await wsfuzz(['fuzzingclient', '--url', echoUrl, '--cases', '1.1.1,2.*', '--agent', 'me', '--outdir', 'out'], dir);
    assert.equal(r.status, 0, show(r));
    noStackTrace(r);
    const out = path.join(dir, 'out');
    assert.match(r.stdout, new RegExp(`^Report: ${escapeRe(path.join(out, 'index.html'))}`, 'm'));
    assert.match(r.stdout, /^me: 12 cases: 12 OK; no failures$/m);
    const index = readIndex(out);
    assert.deepEqual(Object.keys(index), ['me']);
    assert.deepEqual(Object.keys(index.me!).sort(), [...CASES_1_1_1_AND_2].sort());
    for (const [id, entry] of Object.entries(index.me!)) {
      assert.equal(entry.behavior, 'OK', id);
      assert.equal(entry.behaviorClose, 'OK', id);
      assert.equal(entry.reportfile, `me_case_${id.replaceAll('.', '_')}.json`);
      assert.ok(existsSync(path.join(out, entry.reportfile)), entry.reportfile);
      assert.ok(existsSync(path.join(out, entry.reportfile.replace(/\.json$/, '.html'))), `${id} html`);
    }
    assert.ok(existsSync(path.join(out, 'index.html')));
    const caseJson = readReportJson(path.join(out, 'me_case_1_1_1.json')) as Record<string, unknown>;
    assert.equal(caseJson.agent, 'me');
    assert.equal(caseJson.id, '1.1.1');
    assert.equal(caseJson.behavior, 'OK');
    assert.match(readFileSync(path.join(out, 'me_case_1_1_1.html'), 'utf8'), /<html/i);
  });

  test('a spec with two servers and exclude-agent-cases', async () => {
    const dir = freshDir();
    writeJson(dir, 'two.json', {
      outdir: './reports/two',
      servers: [
        { url: echoUrl, agent: 'a' },
        { url: echoUrl, agent: 'b' },
      ],
      cases: ['1.1.1', '2.*'],
      'exclude-cases': [],
      'exclude-agent-cases': { b: ['2.*'] },
      webport: 8080,
    });
    const r = await wsfuzz(['fuzzingclient', '--spec', 'two.json'], dir);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stderr, /spec key 'webport' is not used/);
    const out = path.join(dir, 'reports', 'two');
    const index = readIndex(out);
    assert.deepEqual(Object.keys(index), ['a', 'b']);
    assert.deepEqual(Object.keys(index.a!).sort(), [...CASES_1_1_1_AND_2].sort());
    assert.deepEqual(Object.keys(index.b!), ['1.1.1']);
    assert.ok(existsSync(path.join(out, 'b_case_1_1_1.json')));
    assert.ok(!existsSync(path.join(out, 'b_case_2_1.json')), 'an excluded case has a report page');
    assert.match(r.stdout, /^a: 12 cases: 12 OK; no failures$/m);
    assert.match(r.stdout, /^b: 1 case: 1 OK; no failures$/m);
  });

  test('the Autobahn invocation --mode fuzzingclient --spec file, and the implicit spec file', async () => {
    const dir = freshDir();
    writeJson(dir, 'fuzzingclient.json', { outdir: './reports/servers', servers: [{ url: echoUrl, agent: 'auto' }], cases: ['1.1.1', '1.1.2'] });
    const [explicit, implicit] = await Promise.all([
      wsfuzz(['--mode', 'fuzzingclient', '--spec', path.join(dir, 'fuzzingclient.json')], freshDir()),
      wsfuzz(['-m', 'fuzzingclient'], dir),
    ]);
    for (const r of [explicit, implicit]) {
      assert.equal(r.status, 0, show(r));
      assert.match(r.stdout, /^auto: 2 cases: 2 OK; no failures$/m);
    }
    assert.match(implicit.stderr, /Using implicit spec file '.*fuzzingclient\.json'/);
    assert.deepEqual(Object.keys(readIndex(path.join(dir, 'reports', 'servers')).auto!), ['1.1.1', '1.1.2']);
  });

  test('--agent overrides the agents of the spec servers; --url replaces them', async () => {
    const dir = freshDir();
    writeJson(dir, 'spec.json', { servers: [{ url: `ws://127.0.0.1:${await closedPort()}`, agent: 'never' }], cases: ['9.*'] });
    const r = await wsfuzz(['fuzzingclient', '--spec', 'spec.json', '--url', echoUrl, '--agent', 'override', '--cases', '1.1.3', '--outdir', 'o'], dir);
    assert.equal(r.status, 0, show(r));
    const index = readIndex(path.join(dir, 'o'));
    assert.deepEqual(Object.keys(index), ['override']);
    assert.deepEqual(Object.keys(index.override!), ['1.1.3']);
    assert.equal(index.override!['1.1.3']!.behavior, 'OK');
  });

  test('a server that never echoes: the case fails, status 1, the report is still written', async () => {
    const peer = await startDoesNotEcho();
    try {
      const dir = freshDir();
      const r = await wsfuzz(['fuzzingclient', '--url', peer.url, '--cases', '1.1.1', '--agent', 'broken', '--outdir', 'out'], dir);
      assert.equal(r.status, 1, show(r));
      noStackTrace(r);
      assert.deepEqual(errorLines(r), []);
      assert.match(r.stdout, /^broken: 1 case: .*FAILED.*1 failing \(1\.1\.1\)$/m);
      assert.equal(readIndex(path.join(dir, 'out')).broken!['1.1.1']!.behavior, 'FAILED');
    } finally {
      await peer.close();
    }
  });

  test('one of two servers unreachable: its error line, status 2, both reported', async () => {
    const port = await closedPort();
    const dir = freshDir();
    writeJson(dir, 'spec.json', {
      servers: [
        { url: echoUrl, agent: 'up' },
        { url: `ws://127.0.0.1:${port}`, agent: 'down' },
      ],
      cases: ['1.1.1'],
      outdir: 'out',
    });
    const r = await wsfuzz(['fuzzingclient', '--spec', 'spec.json'], dir);
    assert.equal(r.status, 2, show(r));
    noStackTrace(r);
    const errors = errorLines(r);
    assert.equal(errors.length, 1, show(r));
    assert.ok(errors[0]!.startsWith(`wsfuzz: error: cannot connect to ws://127.0.0.1:${port}`), show(r));
    // COMPATIBILITY.md: the unreachable server's cases are reported as FAILED ("Could not connect: …").
    const index = readIndex(path.join(dir, 'out'));
    assert.deepEqual(Object.keys(index), ['down', 'up']);
    assert.equal(index.up!['1.1.1']!.behavior, 'OK');
    assert.equal(index.down!['1.1.1']!.behavior, 'FAILED');
    const page = readReportJson(path.join(dir, 'out', index.down!['1.1.1']!.reportfile)) as { result: string };
    assert.match(page.result, /^Could not connect/);
  });
});

describe('fuzzingserver', { concurrency: true }, () => {
  test('--run with the reference client: status 0, report for agent ref', async () => {
    const dir = freshDir();
    const r = await wsfuzz(
      ['fuzzingserver', '--port', '0', '--cases', '1.1.1,1.1.2', '--outdir', 'out', '--run', `${WSFUZZ_SHELL} testeeclient --url {url} --agent ref`],
      dir,
    );
    assert.equal(r.status, 0, show(r));
    noStackTrace(r);
    assert.match(r.stdout, /^Running: .* testeeclient --url ws:\/\/127\.0\.0\.1:\d+ --agent ref$/m);
    assert.match(r.stdout, /^ref: 2 cases: 2 OK; no failures$/m);
    const out = path.join(dir, 'out');
    const index = readIndex(out);
    assert.deepEqual(Object.keys(index), ['ref']);
    assert.deepEqual(Object.keys(index.ref!), ['1.1.1', '1.1.2']);
    for (const entry of Object.values(index.ref!)) {
      assert.equal(entry.behavior, 'OK');
      assert.equal(entry.behaviorClose, 'OK');
      assert.ok(existsSync(path.join(out, entry.reportfile)));
    }
    assert.ok(existsSync(path.join(out, 'index.html')));
  });

  test('--run: $WSFUZZ_URL holds the URL too', async () => {
    const dir = freshDir();
    const r = await wsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.3', '--outdir', 'out', '--run', `${WSFUZZ_SHELL} testeeclient --url "$WSFUZZ_URL" --agent env`], dir);
    assert.equal(r.status, 0, show(r));
    assert.deepEqual(Object.keys(readIndex(path.join(dir, 'out')).env!), ['1.1.3']);
  });

  test('--run command that exits 3: status 2 and a message naming the status', async () => {
    const dir = freshDir();
    const [nothing, afterClient] = await Promise.all([
      wsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.1', '--outdir', 'out', '--run', 'exit 3'], dir),
      wsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.1', '--outdir', 'out2', '--run', `${WSFUZZ_SHELL} testeeclient --url {url} --agent late; exit 3`], dir),
    ]);
    for (const r of [nothing, afterClient]) {
      assert.equal(r.status, 2, show(r));
      noStackTrace(r);
      const errors = errorLines(r);
      assert.equal(errors.length, 1, show(r));
      assert.match(errors[0]!, /status 3\b/);
    }
    // The report directory is created (and probed) at start; no report is written into it.
    assert.deepEqual(readdirSync(path.join(dir, 'out')), [], 'a report was written although no case ran');
    // The results the client did produce are still reported.
    assert.deepEqual(Object.keys(readIndex(path.join(dir, 'out2'))), ['late']);
  });

  test('--run command that does nothing: "No results were recorded", no report, status 1 (the driver ran 0 of 1)', async () => {
    const dir = freshDir();
    const r = await wsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.1', '--outdir', 'out', '--run', `"${process.execPath}" -e ""`], dir);
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /No results were recorded/);
    assert.deepEqual(errorLines(r), []);
    assert.match(r.stderr, /^wsfuzz: incomplete run: the client driver ran 0 of 1 selected case$/m);
    // The report directory is created (and probed) at start; no report is written into it.
    assert.deepEqual(readdirSync(path.join(dir, 'out')), [], 'a report was written although no case ran');
  });

  test('without --run: SIGTERM after a client ran one case writes the report it has and exits 0', async () => {
    const dir = freshDir();
    const server = spawnWsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.1,1.1.2', '--outdir', 'out'], dir);
    try {
      const url = (await server.waitFor(/fuzzing server on (ws:\/\/[^\s]+?): 2 cases/))[1]!;
      // A minimal client: case 1 only, echoing what it receives, and no /updateReports.
      const ws = new WebSocket(`${url}/runCase?case=1&agent=sig`, { perMessageDeflate: false });
      ws.on('message', (data: Buffer, isBinary: boolean) => ws.send(data, { binary: isBinary }));
      const code = await new Promise<number>((resolve, reject) => {
        ws.once('close', (c: number) => resolve(c));
        ws.once('error', reject);
      });
      assert.equal(code, 1000);
      assert.ok(!existsSync(path.join(dir, 'out', 'index.json')), 'report written before /updateReports or a signal');
      server.child.kill('SIGTERM');
      const r = await server.exited;
      assert.equal(r.status, 0, show(r));
      noStackTrace(r);
      assert.match(r.stdout, /^sig: 1 case: 1 OK; no failures$/m);
      const index = readIndex(path.join(dir, 'out'));
      assert.deepEqual(Object.keys(index), ['sig']);
      assert.deepEqual(Object.keys(index.sig!), ['1.1.1']);
      assert.equal(index.sig!['1.1.1']!.behavior, 'OK');
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  test('configuration errors: wss:// spec url, bad JSON, bad --port, unknown case ID', async () => {
    const dir = freshDir();
    writeJson(dir, 'tls.json', { url: 'wss://127.0.0.1:9001', outdir: './reports/clients', cases: ['*'] });
    writeJson(dir, 'query.json', { url: 'ws://127.0.0.1:9001/?x=1' });
    writeFileSync(path.join(dir, 'bad.json'), '{"url": "ws://127.0.0.1:9001",\n}\n');
    const [tls, query, bad, port, empty, unknown] = await Promise.all([
      wsfuzz(['fuzzingserver', '--spec', 'tls.json'], dir),
      wsfuzz(['fuzzingserver', '--spec', 'query.json'], dir),
      wsfuzz(['fuzzingserver', '--spec', 'bad.json'], dir),
      wsfuzz(['fuzzingserver', '--port', '70000'], dir),
      wsfuzz(['fuzzingserver', '--port', '', '--run', 'exit 0'], dir),
      wsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.99', '--run', 'exit 0'], dir),
    ]);
    assertOneLineError(tls, /TLS/);
    assertOneLineError(query, /query/);
    assertOneLineError(bad, /bad\.json.*JSON/);
    assertOneLineError(port, /--port/);
    assertOneLineError(empty, /--port/);
    assertOneLineError(unknown, /'1\.1\.99'/);
  });
});

describe('echoserver', { concurrency: true }, () => {
  test('--port 70000 and --port "" are one-line errors', async () => {
    const [big, empty] = await Promise.all([wsfuzz(['echoserver', '--port', '70000']), wsfuzz(['echoserver', '--port', ''], freshDir(), 10_000)]);
    assertOneLineError(big, /--port/);
    assertOneLineError(empty, /--port/);
  });

  test('a port that is in use is a one-line error (echoserver and fuzzingserver)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const [echo, fuzz] = await Promise.all([
        wsfuzz(['echoserver', '--port', String(port)], freshDir(), 10_000),
        wsfuzz(['fuzzingserver', '--port', String(port)], freshDir(), 10_000),
      ]);
      assertOneLineError(echo, new RegExp(`${port}.*EADDRINUSE|EADDRINUSE.*${port}`));
      assertOneLineError(fuzz, new RegExp(`${port}.*EADDRINUSE|EADDRINUSE.*${port}`));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  test('--port 0 echoes and exits 0 on SIGTERM', async () => {
    const server = spawnWsfuzz(['echoserver', '--port', '0'], freshDir(), 10_000);
    const url = (await server.waitFor(/listening on (ws:\/\/\S+)/))[1]!;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const echoed = new Promise<string>((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString())));
    ws.send('hello');
    assert.equal(await echoed, 'hello');
    ws.close();
    server.child.kill('SIGTERM');
    const r = await server.exited;
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, new RegExp(`^${escapeRe(PRODUCT)} echo server listening on ws://127\\.0\\.0\\.1:\\d+/?$`, 'm'));
  });
});

describe('selftest', () => {
  test("--cases '1.1.*' --outdir DIR: status 0 and a summary line for the wsfuzz agent", async () => {
    const dir = freshDir();
    const r = await wsfuzz(['selftest', '--cases', '1.1.*', '--outdir', 'out'], dir);
    assert.equal(r.status, 0, show(r));
    noStackTrace(r);
    assert.match(r.stdout, new RegExp(`^${escapeRe(PRODUCT)}: 8 cases: 8 OK; no failures$`, 'm'));
    const index = readIndex(path.join(dir, 'out'));
    assert.deepEqual(Object.keys(index), [PRODUCT]);
    assert.deepEqual(Object.keys(index[PRODUCT]!), ['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8']);
  });

  test('a selection of nothing is a one-line error before the echo server starts', async () => {
    assertOneLineError(await wsfuzz(['selftest', '--cases', '99.*']), /no cases selected/);
  });
});

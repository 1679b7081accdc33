// The results-for-CI options as users meet them (README "In CI"): --list, --shard and merge-reports,
// --expect / --update-expect / --accept-non-strict, --junit, and what a run says about its outcome
// (incomplete driver, every case failing at the opening handshake, two servers with one agent name,
// unknown excluded IDs). Real peers: wsfuzz's echo server, the `ws` package, a plain HTTP server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { start as startDoesNotEcho } from '../peers/does-not-echo.js';
import { startPeerProcess, type PeerProcess } from '../support/processes.js';
import { elements, parseXml } from '../support/xml.js';
import { errorLines, freshDir, noStackTrace, readIndex, ROOT, show, echoServerForTests, writeJson, wsfuzz, WSFUZZ_SHELL } from '../support/cli.js';

const GOLDEN_INDEX = path.join(ROOT, 'test', 'fixtures', 'golden', 'ws-server-index.json');

let echoUrl = '';
echoServerForTests((url) => (echoUrl = url));

function stdoutLines(r: { stdout: string }): string[] {
  return r.stdout.split('\n').filter((l) => l !== '');
}

describe('--list and --shard', { concurrency: true }, () => {
  test('--list prints the selected IDs with titles and connects to nothing (no --url needed)', async () => {
    const r = await wsfuzz(['fuzzingclient', '--list', '--cases', '1.1.*,2.1,12.1.1', '--exclude', '1.1.3,1.1.4,1.1.5,1.1.6,1.1.7']);
    assert.equal(r.status, 0, show(r));
    assert.deepEqual(stdoutLines(r), [
      '1.1.1   Framing / Text Messages',
      '1.1.2   Framing / Text Messages',
      '1.1.8   Framing / Text Messages',
      '2.1     Pings/Pongs',
      '12.1.1  WebSocket Compression (different payloads) / Large JSON data file (utf8, 194056 bytes)',
    ]);
    assert.equal(r.stderr, '');
  });

  test('fuzzingserver --list with a spec file does not listen (the spec port may be taken)', async () => {
    const dir = freshDir();
    writeJson(dir, 'fuzzingserver.json', { url: 'ws://127.0.0.1:1', cases: ['2.*'], 'exclude-cases': ['2.1'] });
    const r = await wsfuzz(['fuzzingserver', '--spec', 'fuzzingserver.json', '--list'], dir);
    assert.equal(r.status, 0, show(r));
    assert.deepEqual(stdoutLines(r).map((l) => l.split(' ')[0]), ['2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9', '2.10', '2.11']);
  });

  test('--shard I/N: the slices partition the selection; bad values and empty shards are one-line errors', async () => {
    const args = ['fuzzingclient', '--list', '--cases', '1.*,2.*,12.1.*'];
    const shards = await Promise.all([1, 2, 3].map((i) => wsfuzz([...args, '--shard', `${i}/3`])));
    const whole = await wsfuzz(args);
    const ids = (r: { stdout: string }) => stdoutLines(r).map((l) => l.split(' ')[0]!);
    const all = shards.flatMap(ids);
    assert.deepEqual([...all].sort(), [...ids(whole)].sort());
    assert.equal(new Set(all).size, all.length, 'a case in two shards');
    // 12.1.1-12.1.18 (6 per shard on average) are dealt out by cost, not in one contiguous block
    for (const s of shards) assert.ok(Math.abs(ids(s).filter((id) => id.startsWith('12.')).length - 6) <= 2, show(s));
    const [bad, empty] = await Promise.all([wsfuzz([...args, '--shard', '4/3']), wsfuzz(['fuzzingclient', '--list', '--cases', '1.1.1', '--shard', '2/2'])]);
    assert.equal(bad.status, 2);
    assert.deepEqual(errorLines(bad), [`wsfuzz: error: --shard '4/3' must be I/N with 1 <= I <= N (e.g. 1/4)`]);
    assert.deepEqual(errorLines(empty), ['wsfuzz: error: shard 2/2 has no cases: the selection has only 1 case']);
  });

  test('an unknown ID in --exclude is a warning (the run goes on); in --cases it stays an error', async () => {
    const r = await wsfuzz(['fuzzingclient', '--url', echoUrl, '--cases', '1.1.1,1.1.2', '--exclude', '1.1.2,99.1', '--outdir', 'out', '--quiet']);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stderr, /^wsfuzz: warning: excluded case ID '99\.1' is not a case; ignored$/m);
    assert.match(r.stdout, /: 1 case: 1 OK; no failures$/m);
    const bad = await wsfuzz(['fuzzingclient', '--list', '--cases', '1.1.1,99.1']);
    assert.equal(bad.status, 2);
    assert.deepEqual(errorLines(bad), ["wsfuzz: error: unknown case ID '99.1'"]);
  });
});

describe('--shard runs and merge-reports', () => {
  test('two shards against the echo server, merged: the unsharded run\'s verdicts, one index, every case page', async () => {
    const dir = freshDir();
    const common = ['fuzzingclient', '--url', echoUrl, '--agent', 'echo', '--cases', '1.1.*,2.1,12.1.1', '--quiet'];
    const runs = await Promise.all([
      wsfuzz([...common, '--shard', '1/2', '--outdir', 'shard1'], dir),
      wsfuzz([...common, '--shard', '2/2', '--outdir', 'shard2'], dir),
      wsfuzz([...common, '--outdir', 'whole', '--update-expect', 'expect.json'], dir),
    ]);
    for (const r of runs) assert.equal(r.status, 0, show(r));
    const merge = await wsfuzz(['merge-reports', '--outdir', 'merged', 'shard1', 'shard2', '--expect', 'expect.json', '--junit', 'merged/junit.xml'], dir);
    assert.equal(merge.status, 0, show(merge));
    assert.match(merge.stdout, /^Merged 2 report directories: 10 cases$/m);
    assert.match(merge.stdout, /^echo: 10 cases: 10 OK; no failures$/m);
    assert.match(merge.stdout, /^Expected results \(expect\.json\): 10 cases compared, no differences$/m);
    const merged = readIndex(path.join(dir, 'merged'));
    const whole = readIndex(path.join(dir, 'whole'));
    const verdicts = (index: typeof merged) =>
      Object.fromEntries(Object.entries(index.echo!).map(([id, e]) => [id, [e.behavior, e.behaviorClose, e.remoteCloseCode, e.reportfile]]));
    assert.deepEqual(verdicts(merged), verdicts(whole));
    for (const e of Object.values(merged.echo!)) {
      assert.ok(existsSync(path.join(dir, 'merged', e.reportfile)));
      assert.ok(existsSync(path.join(dir, 'merged', e.reportfile.replace(/json$/, 'html'))));
    }
    assert.equal(elements(parseXml(readFileSync(path.join(dir, 'merged', 'junit.xml'), 'utf8')), 'testcase').length, 10);
    // the same case with different results in two directories; the output among the inputs
    const [conflict, intoInput] = await Promise.all([
      wsfuzz(['merge-reports', '--outdir', 'm2', 'shard1', 'whole'], dir),
      wsfuzz(['merge-reports', '--outdir', 'shard1', 'shard1', 'shard2'], dir),
    ]);
    assert.equal(conflict.status, 2, show(conflict));
    noStackTrace(conflict);
    assert.match(errorLines(conflict).join('\n'), /^wsfuzz: error: case [\d.]+ of agent "echo" is in both shard1 and whole with different results$/);
    assert.deepEqual(errorLines(intoInput), ['wsfuzz: error: --outdir shard1 is also an input directory; merge into a new directory']);
  });
});

describe('--expect, --update-expect, --junit', { concurrency: true }, () => {
  let wsPeer: PeerProcess;
  before(async () => {
    wsPeer = await startPeerProcess('peers/ws-echo-server.js');
  });
  after(() => wsPeer.stop());

  test('--update-expect writes the documented format; --expect: status 0 when nothing differs, 1 for a missing case', async () => {
    const dir = freshDir();
    const update = await wsfuzz(['fuzzingclient', '--url', echoUrl, '--agent', 'echo', '--cases', '1.1.1,2.1', '--outdir', 'o', '--update-expect', 'exp.json', '--quiet'], dir);
    assert.equal(update.status, 0, show(update));
    assert.match(update.stdout, /^Updated exp\.json with 2 cases$/m);
    assert.equal(
      readFileSync(path.join(dir, 'exp.json'), 'utf8'),
      '{\n  "echo": {\n    "1.1.1": {"behavior": "OK", "behaviorClose": "OK", "remoteCloseCode": 1000},\n    "2.1": {"behavior": "OK", "behaviorClose": "OK", "remoteCloseCode": 1000}\n  }\n}\n',
    );
    const [same, more] = await Promise.all([
      wsfuzz(['fuzzingclient', '--url', echoUrl, '--agent', 'echo', '--cases', '2.1', '--outdir', 'o1', '--expect', 'exp.json', '--quiet'], dir),
      wsfuzz(['fuzzingclient', '--url', echoUrl, '--agent', 'echo', '--cases', '1.1.1,1.1.2', '--outdir', 'o2', '--expect', 'exp.json', '--quiet'], dir),
    ]);
    assert.equal(same.status, 0, show(same));
    assert.match(same.stdout, /^Expected results \(exp\.json\): 1 case compared, no differences$/m);
    assert.equal(more.status, 1, show(more));
    assert.match(more.stdout, /^Expected results \(exp\.json\): 2 cases compared, 1 difference: 1 missing$/m);
    assert.match(more.stdout, /^ {2}missing {5}1\.1\.2 \(echo\): not in exp\.json → OK \/ OK \/ 1000$/m);
  });

  test('a regression against a server that stops echoing: status 1, one line expected → got', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'exp.json'), '{"broken": {"1.1.1": {"behavior": "OK", "behaviorClose": "OK", "remoteCloseCode": 1000}}}');
    const peer = await startDoesNotEcho();
    try {
      const r = await wsfuzz(['fuzzingclient', '--url', peer.url, '--agent', 'broken', '--cases', '1.1.1', '--outdir', 'o', '--expect', 'exp.json', '--quiet'], dir);
      assert.equal(r.status, 1, show(r));
      assert.match(r.stdout, /^Expected results \(exp\.json\): 1 case compared, 1 difference: 1 regression$/m);
      assert.match(r.stdout, /^ {2}regression {2}1\.1\.1 \(broken\): OK \/ OK \/ 1000 → FAILED \/ .+$/m);
    } finally {
      await peer.close();
    }
  });

  test("an Autobahn index.json (the original's, agent ws): the ws package matches it; wsfuzz's echo server differs by an improvement unless --accept-non-strict", async () => {
    const dir = freshDir();
    const args = ['--cases', '1.1.1,6.4.3', '--expect', GOLDEN_INDEX, '--quiet'];
    const [ws, ours, lenient] = await Promise.all([
      wsfuzz(['fuzzingclient', '--url', wsPeer.url, '--agent', 'ws', '--outdir', 'a', ...args], dir),
      wsfuzz(['fuzzingclient', '--url', echoUrl, '--outdir', 'b', ...args], dir),
      wsfuzz(['fuzzingclient', '--url', echoUrl, '--outdir', 'c', ...args, '--accept-non-strict'], dir),
    ]);
    assert.equal(ws.status, 0, show(ws));
    assert.match(ws.stdout, /2 cases compared, no differences$/m);
    assert.equal(ours.status, 1, show(ours));
    assert.match(ours.stdout, /^Comparing agent wsfuzz\/\S+ with .*ws-server-index\.json's only agent ws$/m);
    assert.match(ours.stdout, /^ {2}improvement 6\.4\.3 \(wsfuzz\/\S+\): NON-STRICT \/ OK \/ 1007 → OK \/ OK \/ 1007$/m);
    assert.equal(lenient.status, 0, show(lenient));
    assert.match(lenient.stdout, /, OK = NON-STRICT\): 2 cases compared, no differences$/m);
  });

  test('--expect problems are one-line errors before anything runs', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'bad.json'), '{"a": {"1.1.1": {"behavior": "OK"}}}');
    const two = writeJson(dir, 'two.json', { a: {}, b: {} });
    const [missing, bad, lenientAlone, noAgent] = await Promise.all([
      wsfuzz(['fuzzingclient', '--url', 'ws://127.0.0.1:1', '--expect', 'nope.json'], dir),
      wsfuzz(['fuzzingclient', '--url', 'ws://127.0.0.1:1', '--expect', 'bad.json'], dir),
      wsfuzz(['fuzzingclient', '--url', 'ws://127.0.0.1:1', '--accept-non-strict'], dir),
      wsfuzz(['fuzzingclient', '--url', echoUrl, '--agent', 'c', '--cases', '1.1.1', '--outdir', 'o', '--expect', two, '--quiet'], dir),
    ]);
    assert.deepEqual(errorLines(missing), ['wsfuzz: error: cannot read nope.json: no such file']);
    assert.deepEqual(errorLines(bad), ['wsfuzz: error: bad.json: "a" case "1.1.1" needs string "behavior" and "behaviorClose"']);
    assert.deepEqual(errorLines(lenientAlone), ['wsfuzz: error: --accept-non-strict needs --expect FILE']);
    for (const r of [missing, bad, lenientAlone]) assert.equal(r.status, 2, show(r));
    assert.equal(noAgent.status, 2, show(noAgent));
    assert.match(errorLines(noAgent)[0]!, /two\.json has no results for agent "c" \(it has agents "a", "b"\)/);
  });

  test('--junit: well-formed, one failure per failing case with its texts and case page, hostile agent name escaped', async () => {
    const dir = freshDir();
    const peer = await startDoesNotEcho();
    const agent = 'x<y>&"z\'';
    try {
      const r = await wsfuzz(['fuzzingclient', '--url', peer.url, '--agent', agent, '--cases', '1.1.1,2.1', '--outdir', 'out', '--junit', 'ci/junit.xml', '--quiet'], dir);
      assert.equal(r.status, 1, show(r));
      const root = parseXml(readFileSync(path.join(dir, 'ci', 'junit.xml'), 'utf8'));
      assert.equal(root.attrs.tests, '2');
      assert.equal(root.attrs.failures, '1');
      const suites = elements(root, 'testsuite');
      assert.deepEqual(suites.map((s) => s.attrs.name), [`1 Framing (${agent})`, `2 Pings/Pongs (${agent})`]);
      const [framing] = elements(suites[0]!, 'testcase');
      assert.equal(framing!.attrs.classname, `wsfuzz.${agent}.1`);
      assert.equal(framing!.attrs.name, '1.1.1 Framing / Text Messages');
      const failure = elements(framing!, 'failure')[0]!;
      assert.match(failure.text, /^Result: FAILED: /m);
      assert.match(failure.text, /^Close: /m);
      const page = /^Case page: (.*)$/m.exec(failure.text)![1]!;
      assert.ok(existsSync(path.join(dir, page)), `case page ${page}`);
      assert.deepEqual(elements(elements(suites[1]!, 'testcase')[0]!, 'failure'), [], '2.1 passes: pongs are not echoes');
    } finally {
      await peer.close();
    }
  });
});

describe('run outcomes', { concurrency: true }, () => {
  test('fuzzingserver --run: a driver that runs 2 of 8 selected cases fails the run (status 1) and says so', async () => {
    const dir = freshDir();
    const wsModule = JSON.stringify(path.join(ROOT, 'node_modules', 'ws', 'index.js'));
    writeFileSync(
      path.join(dir, 'driver.cjs'),
      `const WebSocket = require(${wsModule});
const url = process.argv[2];
function run(n) {
  if (n > 2) { const u = new WebSocket(url + '/updateReports?agent=half'); u.on('close', () => process.exit(0)); u.on('error', () => {}); return; }
  const ws = new WebSocket(url + '/runCase?case=' + n + '&agent=half');
  ws.on('message', (data, binary) => ws.send(data, { binary }));
  ws.on('close', () => run(n + 1));
  ws.on('error', () => {});
}
run(1);
`,
    );
    const r = await wsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.*', '--outdir', 'out', '--quiet', '--junit', 'junit.xml', '--run', `"${process.execPath}" driver.cjs {url}`], dir);
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /^half: 2 cases: 2 OK; no failures$/m);
    assert.match(r.stderr, /^wsfuzz: incomplete run: the client driver ran 2 of 8 selected cases \(agent half\)$/m);
    assert.deepEqual(Object.keys(readIndex(path.join(dir, 'out')).half!), ['1.1.1', '1.1.2']);
    assert.equal(parseXml(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).attrs.tests, '2');
  });

  test('fuzzingserver --run with a spec, --shard and --expect: the driver runs the shard; missing and present cases compared', async () => {
    const dir = freshDir();
    writeJson(dir, 'fuzzingserver.json', { url: 'ws://127.0.0.1:9001', outdir: './reports/clients', cases: ['1.1.*', '2.1'] });
    writeJson(dir, 'exp.json', { ref: Object.fromEntries(['1.1.1', '1.1.2', '1.1.3', '1.1.4', '1.1.5', '1.1.6', '1.1.7', '1.1.8', '2.1'].map((id) => [id, { behavior: 'OK', behaviorClose: 'OK', remoteCloseCode: 1000 }])) });
    const list = await wsfuzz(['fuzzingserver', '--spec', 'fuzzingserver.json', '--shard', '2/2', '--list'], dir);
    const shard = stdoutLines(list).map((l) => l.split(' ')[0]!);
    const r = await wsfuzz(['fuzzingserver', '--spec', 'fuzzingserver.json', '--port', '0', '--shard', '2/2', '--expect', 'exp.json', '--quiet', '--run', `${WSFUZZ_SHELL} testeeclient --url {url} --agent ref`], dir);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, new RegExp(`: ${shard.length} cases for any client`));
    assert.match(r.stdout, new RegExp(`^Expected results \\(exp\\.json\\): ${shard.length} cases compared, no differences$`, 'm'));
    assert.deepEqual(Object.keys(readIndex(path.join(dir, 'reports', 'clients')).ref!).sort(), [...shard].sort());
  });

  test('every case failing at the opening handshake (a plain HTTP server): the reason is named', async () => {
    const server = http.createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const r = await wsfuzz(['fuzzingclient', '--url', `ws://127.0.0.1:${port}`, '--cases', '1.1.1,1.1.2,2.1', '--outdir', 'out', '--quiet']);
      assert.equal(r.status, 1, show(r));
      assert.match(r.stderr, /^wsfuzz: all 3 cases of agent UnknownServer failed at the opening handshake: WebSocket connection upgrade failed \(200 - OK\)$/m);
    } finally {
      server.close();
    }
  });

  test('two servers with one agent name: the second is filed as "NAME (2)" with a warning', async () => {
    const dir = freshDir();
    writeJson(dir, 'spec.json', { servers: [{ url: echoUrl }, { url: echoUrl }, { url: echoUrl, agent: 'named' }, { url: echoUrl, agent: 'named' }], cases: ['1.1.1'], outdir: 'out' });
    const r = await wsfuzz(['fuzzingclient', '--spec', 'spec.json', '--quiet'], dir);
    assert.equal(r.status, 0, show(r));
    const agents = Object.keys(readIndex(path.join(dir, 'out')));
    const product = agents.find((a) => a.startsWith('wsfuzz/') && !a.endsWith(')'))!;
    assert.deepEqual(agents, ['named', 'named (2)', product, `${product} (2)`]);
    assert.match(r.stderr, new RegExp(`^wsfuzz: warning: ${echoUrl.replace(/[./]/g, '\\$&')}/? has the agent name named of an earlier server; its results are filed as named \\(2\\)$`, 'm'));
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('wsfuzz: warning:')).length, 2);
  });
});

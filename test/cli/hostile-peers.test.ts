// The command line against hostile peers: partial reports on SIGINT/SIGTERM, a bad report
// directory found before any case runs, nothing a peer sends reaching the terminal unescaped, a
// total time bound, and testeeclient against a server that is not a fuzzing server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as correctEcho from '../peers/correct-echo.js';
import * as serverHeaderEscapes from '../peers/server-header-escapes.js';
import * as silentAfterHandshake from '../peers/silent-after-handshake.js';
import * as agentWithControlCharacters from '../peers/clients/agent-with-control-characters.js';
import { withPeer } from '../peers/base.js';
import { assertOneLineError, freshDir, readIndex, show, spawnWsfuzz, wsfuzz, type RunResult } from '../support/cli.js';

/** No control character a peer sent made it to the output; no line starts with a peer's text. */
function assertNothingRaw(r: RunResult): void {
  for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    assert.doesNotMatch(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, `${name} has a raw control character:\n${show(r)}`);
    for (const line of text.split('\n')) {
      assert.ok(!line.startsWith('::') && !line.startsWith('ws: 517'), `${name}: a line a peer started: ${JSON.stringify(line)}`);
    }
  }
}

describe('interrupted runs', { concurrency: true }, () => {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${signal}: the cases finished so far are written as a partial report; exit ${status}`, async () => {
      await withPeer(silentAfterHandshake.start, async (peer) => {
        const dir = freshDir();
        // Each case against this peer runs into its timers (a second or more): the run is long.
        const run = spawnWsfuzz(['fuzzingclient', '--url', peer.url, '--agent', 'slow', '--cases', '1.*', '--outdir', 'out', '--verbose'], dir);
        await run.waitForStderr(/slow 1\.1\.1 /);
        run.child.kill(signal);
        const r = await run.exited;
        assert.equal(r.status, status, show(r));
        assert.match(r.stderr, new RegExp(`wsfuzz: ${signal}: the run was interrupted; writing a partial report`));
        assert.match(r.stderr, /the report is partial/);
        const index = readIndex(path.join(dir, 'out'));
        const done = Object.keys(index['slow']!);
        assert.ok(done.includes('1.1.1') && done.length < 16, `finished cases: ${done.join(', ')}`);
        assert.ok(readFileSync(path.join(dir, 'out', 'index.html'), 'utf8').endsWith('</html>\n'));
      });
    });
  }
});

describe('report directory', { concurrency: true }, () => {
  test('an outdir on a pseudo file system is an error before any case runs (no endless mkdir)', { skip: existsSync('/proc/self') ? false : 'no /proc' }, async () => {
    await withPeer(correctEcho.start, async (peer) => {
      assertOneLineError(await wsfuzz(['fuzzingclient', '--url', peer.url, '--outdir', '/proc/wsfuzz/reports']), /cannot create the report directory \/proc\/wsfuzz: ENOENT/);
      assertOneLineError(await wsfuzz(['fuzzingclient', '--url', peer.url, '--outdir', '/proc']), /cannot write reports to \/proc: /);
    });
    assertOneLineError(await wsfuzz(['fuzzingserver', '--port', '0', '--outdir', '/proc/wsfuzz']), /cannot create the report directory \/proc\/wsfuzz/);
  });
});

describe('console and CI-log injection', { concurrency: true }, () => {
  test('server-header-escapes: the Server header reaches the console escaped', async () => {
    await withPeer(serverHeaderEscapes.start, async (peer) => {
      const r = await wsfuzz(['fuzzingclient', '--url', peer.url, '--cases', '1.1.1', '--outdir', 'out', '--verbose']);
      assert.equal(r.status, 0, show(r));
      assertNothingRaw(r);
      assert.ok(r.stdout.includes('evil\\x1b[2J\\x1b[31m\\r::error file=x.js::forged\\rws: 517 cases: 517 OK; no failures\\x07: 1 case: 1 OK'), show(r));
    });
  });

  test('agent-with-control-characters: agent= names reach the console escaped', async () => {
    const dir = freshDir();
    const server = spawnWsfuzz(['fuzzingserver', '--port', '0', '--cases', '1.1.1', '--outdir', 'out'], dir);
    const [, url] = await server.waitFor(/fuzzing server on (ws:\/\/\S+):/);
    await agentWithControlCharacters.run(url!, [1]);
    server.child.kill('SIGINT');
    const r = await server.exited;
    assert.equal(r.status, 0, show(r));
    assertNothingRaw(r);
    assert.ok(r.stdout.includes('evil\\n::error file=x.js::forged\\nws: 517 cases: 517 OK; no failures\\x1b[2J\\x9b31m: 1 case: 1 OK'), show(r));
  });
});

describe('bounds', { concurrency: true }, () => {
  test('silent-after-handshake with --max-time: the report is written, the cases left are not run', async () => {
    await withPeer(silentAfterHandshake.start, async (peer) => {
      const dir = freshDir();
      // One case at a time: the first case uses up the time, the other two are not run.
      const r = await wsfuzz(['fuzzingclient', '--url', peer.url, '--agent', 'slow', '--cases', '1.1.1,1.1.2,1.1.3', '--outdir', 'out', '--max-time', '0.5', '--jobs', '1'], dir);
      assert.equal(r.status, 1, show(r));
      assert.match(r.stderr, /wsfuzz: the run's time limit was reached: 2 cases not run \(reported as failed\)/);
      const index = readIndex(path.join(dir, 'out'));
      assert.deepEqual(Object.keys(index['slow']!), ['1.1.1', '1.1.2', '1.1.3']);
      const page = JSON.parse(readFileSync(path.join(dir, 'out', index['slow']!['1.1.3']!.reportfile), 'utf8')) as { result: string };
      assert.equal(page.result, "Not run: the run's time limit of 0.5 s (--max-time) was reached.");
    });
  });

  test('timeouts beyond what timers can hold are errors, not 1 ms', async () => {
    await withPeer(correctEcho.start, async (peer) => {
      assertOneLineError(await wsfuzz(['fuzzingclient', '--url', peer.url, '--connect-timeout', '3000000']), /--connect-timeout must be a positive number of seconds \(at most 2147483\)/);
      assertOneLineError(await wsfuzz(['fuzzingclient', '--url', peer.url, '--max-time', '0']), /--max-time must be a positive number of seconds/);
    });
  });

  test('testeeclient against an echo server (not a fuzzing server) ends with a clear error', async () => {
    await withPeer(correctEcho.start, async (peer) => {
      const r = await wsfuzz(['testeeclient', '--url', peer.url], freshDir(), 60_000);
      assertOneLineError(r, /cannot get the case count from .*: the server did not close the connection within 10 s \(is it a wsfuzz or Autobahn fuzzing server\?\)/);
    });
  });
});

// How the commands are invoked: `wsfuzz COMMAND --help`, Autobahn's `--mode`/`-m`/`--mode=` forms,
// `-s`, `-d`, and the `wstest` bin taking the original's command line (README "Switching from
// wstest"). Real child processes against wsfuzz's reference echo server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEchoServer, type EchoServer } from '../../src/modes/echoserver.js';
import { parseInvocation } from '../../src/cli/commands.js';
import { runNode, show, startProcess, type RunResult } from '../support/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WSFUZZ = path.join(ROOT, 'bin', 'wsfuzz.js');
const WSTEST = path.join(ROOT, 'bin', 'wstest.js');
const COMMANDS = ['fuzzingclient', 'fuzzingserver', 'echoserver', 'testeeclient', 'selftest'];

const TMP = mkdtempSync(path.join(tmpdir(), 'wsfuzz-invocation-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const freshDir = () => mkdtempSync(path.join(TMP, 'run-'));

const wsfuzz = (args: string[], cwd = freshDir()) => runNode(WSFUZZ, args, cwd);
const wstest = (args: string[], cwd = freshDir()) => runNode(WSTEST, args, cwd);

function assertOneLineError(r: RunResult, program: string, mention: RegExp): void {
  assert.equal(r.status, 2, show(r));
  assert.equal(r.stdout, '', show(r));
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, show(r));
  assert.match(lines[0]!, new RegExp(`^${program}: error: `));
  assert.match(lines[0]!, mention);
}

function agentsOf(dir: string): Record<string, Record<string, { behavior: string }>> {
  const file = path.join(dir, 'index.json');
  assert.ok(existsSync(file), `${file} was not written`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, { behavior: string }>>;
}

describe('parseInvocation', () => {
  test('the command as first word, or named by --mode, --mode=, -m and -mX anywhere', () => {
    assert.deepEqual(parseInvocation(['fuzzingclient', '--url', 'u']), { command: 'fuzzingclient', byMode: false, args: ['--url', 'u'] });
    for (const argv of [
      ['--mode', 'fuzzingserver', '-s', 'f.json'],
      ['--mode=fuzzingserver', '-s', 'f.json'],
      ['-s', 'f.json', '-m', 'fuzzingserver'],
      ['-mfuzzingserver', '-s', 'f.json'],
      ['fuzzingserver', '--mode', 'fuzzingserver', '-s', 'f.json'],
    ]) {
      const inv = parseInvocation(argv);
      assert.equal(inv.command, 'fuzzingserver', argv.join(' '));
      assert.equal(inv.byMode, true);
      assert.deepEqual([...inv.args].sort(), ['-s', 'f.json'], argv.join(' '));
    }
  });

  test('no command: options first, or nothing; after -- nothing is an option', () => {
    assert.equal(parseInvocation(['--spec', 'x']).command, undefined);
    assert.equal(parseInvocation([]).command, undefined);
    assert.equal(parseInvocation(['fuzzingclient', '--', '-m', 'echoserver']).command, 'fuzzingclient');
    assert.throws(() => parseInvocation(['-m']), /-m needs a mode/);
    assert.throws(() => parseInvocation(['--mode', '--spec', 'x']), /--mode needs a mode/);
  });
});

describe('wsfuzz COMMAND --help', { concurrency: true }, () => {
  for (const command of COMMANDS) {
    test(`${command} --help and -h print its usage, status 0`, async () => {
      const runs = await Promise.all([wsfuzz([command, '--help']), wsfuzz([command, '-h']), wsfuzz(['--mode', command, '-h']), wsfuzz(['help', command])]);
      for (const r of runs) {
        assert.equal(r.status, 0, show(r));
        assert.equal(r.stderr, '');
        assert.match(r.stdout, new RegExp(`^Usage: wsfuzz ${command} `));
        assert.match(r.stdout, /^ {2}-h, --help {2,}show this help$/m);
      }
    });
  }

  test('--help wins over other options, even ones that would be errors', async () => {
    const r = await wsfuzz(['fuzzingclient', '--frobnicate', '--url', 'not a url', '--help']);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^Usage: wsfuzz fuzzingclient /);
  });

  test('the overview lists each command and how to get its help', async () => {
    const r = await wsfuzz(['--help']);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /wsfuzz <command> --help/);
    for (const command of COMMANDS) assert.match(r.stdout, new RegExp(`^ {2}${command} `, 'm'));
  });

  test('no command before the options, an unknown --mode: one-line errors, status 2', async () => {
    const [noCommand, unknownMode, missingMode] = await Promise.all([wsfuzz(['--spec', 'x.json']), wsfuzz(['--mode=massconnect']), wsfuzz(['-m'])]);
    assertOneLineError(noCommand, 'wsfuzz', /no command given/);
    assertOneLineError(unknownMode, 'wsfuzz', /unknown mode 'massconnect'/);
    assertOneLineError(missingMode, 'wsfuzz', /-m needs a mode/);
  });
});

describe('Autobahn-style runs against the reference echo server', { concurrency: true }, () => {
  let echo: EchoServer;
  let specDir: string;
  before(async () => {
    echo = await startEchoServer({ port: 0 });
    specDir = freshDir();
    writeFileSync(
      path.join(specDir, 'fuzzingclient.json'),
      JSON.stringify({ outdir: './out', servers: [{ url: echo.url, agent: 'ref' }], cases: ['1.1.1', '2.1'] }),
    );
  });
  after(() => echo.close());

  test('wsfuzz --mode=fuzzingclient --url … -d: debug is verbose (one line per case)', async () => {
    const dir = freshDir();
    const r = await wsfuzz(['--mode=fuzzingclient', '--url', echo.url, '--agent', 'eq', '--cases', '1.1.1', '-d', '--outdir', 'o'], dir);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stderr, /^ {2}eq 1\.1\.1 +OK \/ OK/m);
    assert.deepEqual(Object.keys(agentsOf(path.join(dir, 'o')).eq!), ['1.1.1']);
  });

  test('wstest -m fuzzingclient -s spec.json -d', async () => {
    const r = await wstest(['-m', 'fuzzingclient', '-s', 'fuzzingclient.json', '-d'], specDir);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^ref: 2 cases: 2 OK; no failures$/m);
    assert.deepEqual(Object.keys(agentsOf(path.join(specDir, 'out')).ref!), ['1.1.1', '2.1']);
  });

  test('wstest -m fuzzingserver -s spec.json, driven by wstest -m testeeclient -w URL -i AGENT', async () => {
    const dir = freshDir();
    writeFileSync(path.join(dir, 'fuzzingserver.json'), JSON.stringify({ url: 'ws://127.0.0.1:0', outdir: './clients', cases: ['1.1.1', '2.1'] }));
    const driver = `"${process.execPath}" "${WSTEST}" -m testeeclient -w {url} -i drop-in --quiet`;
    const r = await wstest(['-m', 'fuzzingserver', '-s', 'fuzzingserver.json', '--run', driver, '-d'], dir);
    assert.equal(r.status, 0, show(r));
    const index = agentsOf(path.join(dir, 'clients'));
    assert.deepEqual(Object.keys(index['drop-in']!), ['1.1.1', '2.1']);
  });

  test('wstest -m echoserver -w ws://127.0.0.1:0 listens there and passes a case', async () => {
    const server = startProcess(process.execPath, [WSTEST, '-m', 'echoserver', '-w', 'ws://127.0.0.1:0', '-d'], freshDir());
    try {
      const [, url] = await server.waitFor(/listening on (ws:\/\/127\.0\.0\.1:\d+\/)/);
      assert.notEqual(url, 'ws://127.0.0.1:0/');
      const dir = freshDir();
      const r = await wstest(['-m', 'fuzzingclient', '-w', url!, '--cases', '1.1.1', '--outdir', 'o'], dir);
      assert.equal(r.status, 0, show(r));
      assert.equal(agentsOf(path.join(dir, 'o'))[`wsfuzz/${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`]!['1.1.1']!.behavior, 'OK');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});

describe('wstest', { concurrency: true }, () => {
  test('--help and -m MODE --help, -a: status 0', async () => {
    const [help, modeHelp, version] = await Promise.all([wstest(['--help']), wstest(['-m', 'fuzzingclient', '--help']), wstest(['-a'])]);
    for (const r of [help, modeHelp, version]) assert.equal(r.status, 0, show(r));
    assert.match(help.stdout, /^Usage: wstest -m MODE/);
    assert.match(modeHelp.stdout, /^Usage: wsfuzz fuzzingclient /);
    assert.match(version.stdout, /^wsfuzz \d+\.\d+\.\d+ \(wstest-compatible\)$/m);
  });

  test('an unknown or unprovided mode, or none: one-line error, status 2', async () => {
    const [unknown, notProvided, none] = await Promise.all([wstest(['-m', 'frobnicate']), wstest(['--mode', 'massconnect']), wstest(['-s', 'spec.json'])]);
    assertOneLineError(unknown, 'wstest', /mode 'frobnicate' is not a wstest mode/);
    assertOneLineError(notProvided, 'wstest', /mode 'massconnect' is not provided by wsfuzz/);
    assertOneLineError(none, 'wstest', /wstest needs a mode/);
  });
});

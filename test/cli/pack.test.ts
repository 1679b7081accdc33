// The package as users get it: `npm pack`, the tarball installed into an empty project (offline: wsfuzz
// has no runtime dependencies), then `npx wsfuzz` and `npx wstest` there, a real run against the
// installed reference echo server, and the API and its types imported by the package name. This is
// what catches a file missing from package.json's `files` or `exports` (README "Adding wsfuzz to a project").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { show, startProcess, type RunningProcess, type RunResult } from '../support/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const TMP = mkdtempSync(path.join(tmpdir(), 'wsfuzz-pack-'));
const PROJECT = path.join(TMP, 'consumer');
after(() => rmSync(TMP, { recursive: true, force: true }));

/** No registry: nothing here may need the network (a registry on a closed port fails at once instead of hanging). */
const OFFLINE = { npm_config_registry: 'http://127.0.0.1:9/' };

/** npm's environment without what an enclosing `npm test` sets for its own package. */
function npmEnv(): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_'))), ...OFFLINE };
}

function npm(args: string[], cwd: string): string {
  return execFileSync(NPM, args, { cwd, env: npmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

/** `npx --offline BIN args` in the consumer project: the bin must come from its node_modules. */
function npx(bin: string, args: string[], timeoutMs?: number): RunningProcess {
  return startProcess(NPX, ['--offline', bin, ...args], PROJECT, timeoutMs, npmEnv());
}

const run = (bin: string, args: string[]): Promise<RunResult> => npx(bin, args).exited;

interface PackedFile {
  path: string;
}

describe('the packed package, installed into an empty project', () => {
  let files: string[];
  let echo: RunningProcess;
  let echoUrl: string;
  before(async () => {
    // --ignore-scripts: `npm test` has just built dist/; `prepare` would rebuild it under running tests.
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', TMP], ROOT)) as Array<{ filename: string; files: PackedFile[] }>;
    files = packed[0]!.files.map((f) => f.path);
    mkdirSync(PROJECT);
    writeFileSync(path.join(PROJECT, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    npm(['install', '--offline', '--no-audit', '--no-fund', '--save-dev', path.join(TMP, packed[0]!.filename)], PROJECT);
    // The installed reference echo server, run as the installed bin itself (npx would put a shell
    // between it and the kill).
    echo = startProcess(path.join(PROJECT, 'node_modules', '.bin', 'wsfuzz'), ['echoserver', '--port', '0'], PROJECT, 120_000, npmEnv());
    echoUrl = (await echo.waitFor(/listening on (ws:\/\/\S+)/))[1]!;
  });
  after(async () => {
    echo?.child.kill('SIGTERM');
    await echo?.exited;
  });

  test('the tarball has the docs, the license, the types and both bins, and no tests or source maps', () => {
    for (const f of ['README.md', 'COMPATIBILITY.md', 'LICENSE', 'package.json', 'bin/wsfuzz.js', 'bin/wstest.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/api/node-test.d.ts', 'docs/README.md', 'docs/verdicts.md']) {
      assert.ok(files.includes(f), `${f} is not in the tarball`);
    }
    assert.deepEqual(files.filter((f) => f.startsWith('dist/test/') || f.endsWith('.map') || f.startsWith('src/')), []);
  });

  test('npx wsfuzz --version, --help, fuzzingclient --help; npx wstest --help', async () => {
    const [version, help, commandHelp, wstestHelp] = await Promise.all([
      run('wsfuzz', ['--version']),
      run('wsfuzz', ['--help']),
      run('wsfuzz', ['fuzzingclient', '--help']),
      run('wstest', ['--help']),
    ]);
    for (const r of [version, help, commandHelp, wstestHelp]) assert.equal(r.status, 0, show(r));
    assert.equal(version.stdout, `${VERSION}\n`);
    assert.match(help.stdout, /^Usage: wsfuzz <command>/);
    assert.match(commandHelp.stdout, /^Usage: wsfuzz fuzzingclient /);
    assert.match(wstestHelp.stdout, /^Usage: wstest -m MODE/);
  });

  test("npx wsfuzz fuzzingclient and npx wstest -m fuzzingclient against the installed package's echo server", async () => {
    const [client, wstest] = await Promise.all([
      run('wsfuzz', ['fuzzingclient', '--url', echoUrl, '--cases', '1.1.1,2.1,7.1.1', '--outdir', 'reports/wsfuzz']),
      run('wstest', ['-m', 'fuzzingclient', '-w', echoUrl, '--cases', '1.1.1', '--outdir', 'reports/wstest']),
    ]);
    for (const r of [client, wstest]) {
      assert.equal(r.status, 0, show(r));
      assert.match(r.stdout, new RegExp(`^wsfuzz/${VERSION.replaceAll('.', '\\.')}: \\d+ cases?: \\d+ OK; no failures$`, 'm'));
    }
    const index = JSON.parse(readFileSync(path.join(PROJECT, 'reports', 'wsfuzz', 'index.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(index[`wsfuzz/${VERSION}`]!), ['1.1.1', '2.1', '7.1.1']);
    assert.ok(existsSync(path.join(PROJECT, 'reports', 'wsfuzz', 'index.html')));
    assert.ok(existsSync(path.join(PROJECT, 'reports', 'wstest', 'index.json')));
  });

  test("the API by the package's name: import 'wsfuzz' and 'wsfuzz/node-test', typed", async () => {
    writeFileSync(
      path.join(PROJECT, 'conformance.test.ts'),
      `import test from 'node:test';
import { fuzzingclient, fuzzingserver, type IndexJson } from 'wsfuzz';
import { caseTests } from 'wsfuzz/node-test';

test('the reference echo server', async (t) => {
  const results: IndexJson = await fuzzingclient({ url: process.env.ECHO_URL!, cases: ['1.1.1', '2.1'], outdir: 'reports/api' });
  await caseTests(t, results);
});

test('a fuzzing server starts and stops', async () => {
  const server = await fuzzingserver({ cases: '1.1.1', outdir: 'reports/api-server' });
  if (!server.url.startsWith('ws://127.0.0.1:')) throw new Error(server.url);
  const results = await server.stop();
  if (Object.keys(results).length !== 0) throw new Error('results without a client');
});
`,
    );
    // The consumer's TypeScript sees the package's declarations through `exports`.
    writeFileSync(
      path.join(PROJECT, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, skipLibCheck: true, typeRoots: [path.join(ROOT, 'node_modules', '@types')], types: ['node'] },
        include: ['conformance.test.ts'],
      }),
    );
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: PROJECT, encoding: 'utf8' });
    const r = await startProcess(process.execPath, ['--test-reporter=tap', 'conformance.test.js'], PROJECT, 30_000, { ...npmEnv(), ECHO_URL: echoUrl }).exited;
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^ {4}ok 1 - 1\.1\.1$/m);
    assert.match(r.stdout, /^ {4}ok 2 - 2\.1$/m);
    assert.ok(existsSync(path.join(PROJECT, 'reports', 'api', 'index.json')));
  });
});

// Running the wsfuzz command line as users meet it: bin/wsfuzz.js as a real child process in a
// temporary directory, checked by exit status, stdout/stderr and the report files it writes.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { show, startProcess, type RunResult, type RunningProcess } from './process.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/support/cli.js -> the project root
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'bin', 'wsfuzz.js');
export const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const PRODUCT = `wsfuzz/${VERSION}`;
/** A shell command line that runs wsfuzz (for --run, which goes through the shell). */
export const WSFUZZ_SHELL = `"${process.execPath}" "${BIN}"`;

export const TMP = mkdtempSync(path.join(tmpdir(), 'wsfuzz-cli-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** A fresh empty directory (also used as the cwd, so no fuzzingclient.json is picked up implicitly). */
export function freshDir(): string {
  return mkdtempSync(path.join(TMP, 'run-'));
}

export { runNode, show, startProcess, type RunResult, type RunningProcess } from './process.js';

export function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A running wsfuzz process; `exited` resolves when it ends (killed after `timeoutMs`, so nothing can hang). */
export type WsfuzzProcess = RunningProcess;

export function spawnWsfuzz(args: string[], cwd: string, timeoutMs = 30_000): WsfuzzProcess {
  return startProcess(process.execPath, [BIN, ...args], cwd, timeoutMs);
}

/** Run wsfuzz to completion in `cwd` (default: a fresh directory). */
export function wsfuzz(args: string[], cwd: string = freshDir(), timeoutMs?: number): Promise<RunResult> {
  return spawnWsfuzz(args, cwd, timeoutMs).exited;
}

export function noStackTrace(r: RunResult): void {
  assert.ok(!r.stderr.includes('    at ') && !r.stdout.includes('    at '), `stack trace printed:\n${show(r)}`);
  assert.ok(!r.stderr.includes('internal error'), `reported as an internal error:\n${show(r)}`);
}

/** Status 2, nothing on stdout, and exactly one stderr line: `wsfuzz: error: …` matching `mention`. */
export function assertOneLineError(r: RunResult, mention: RegExp): void {
  assert.equal(r.status, 2, show(r));
  noStackTrace(r);
  assert.equal(r.stdout, '', show(r));
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one line on stderr:\n${show(r)}`);
  assert.match(lines[0]!, /^wsfuzz: error: \S/);
  assert.match(lines[0]!, mention);
}

/** The `wsfuzz: error:` lines of stderr. */
export function errorLines(r: RunResult): string[] {
  return r.stderr.split('\n').filter((l) => l.startsWith('wsfuzz: error:'));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

export type IndexJson = Record<string, Record<string, { behavior: string; behaviorClose: string; duration: number; remoteCloseCode: number | null; reportfile: string }>>;

/** Read a report JSON file, checking Autobahn's layout: no trailing newline, 3-space indent, sorted keys, ASCII. */
export function readReportJson(file: string): unknown {
  assert.ok(existsSync(file), `${file} was not written`);
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.endsWith('\n'), `${file} ends with a newline`);
  assert.match(text, /^\{\n {3}"/, `${file} is not indented by 3 spaces`);
  for (const line of text.split('\n')) {
    assert.equal(/^ */.exec(line)![0].length % 3, 0, `${file}: indentation not a multiple of 3: ${JSON.stringify(line)}`);
  }
  assert.match(text, /^[\x00-\x7f]*$/, `${file} has non-ASCII characters (they should be \\u-escaped)`);
  const value = JSON.parse(text) as Record<string, unknown>;
  const keys = Object.keys(value);
  assert.deepEqual(keys, [...keys].sort(), `${file}: top-level keys not sorted`);
  return value;
}

export function readIndex(dir: string): IndexJson {
  const file = path.join(dir, 'index.json');
  const index = readReportJson(file) as IndexJson;
  // index.json has only strings and integers, so it must be exactly JSON.stringify(…, null, 3).
  assert.equal(readFileSync(file, 'utf8'), JSON.stringify(index, null, 3));
  for (const cases of Object.values(index)) {
    const ids = Object.keys(cases);
    assert.deepEqual(ids, [...ids].sort(), 'case IDs in index.json not in sorted-key order');
  }
  return index;
}

/** A port nobody listens on: bound and released a moment ago. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `wsfuzz echoserver --port 0` as its own process; `stop` ends it. */
export async function startEchoServerProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const echo = spawnWsfuzz(['echoserver', '--port', '0'], freshDir(), 120_000);
  const url = (await echo.waitFor(/listening on (ws:\/\/\S+)/))[1]!;
  return {
    url,
    stop: async () => {
      echo.child.kill('SIGTERM');
      await echo.exited;
    },
  };
}

/** Run the echo server for the enclosing suite (or file): started before its tests, stopped after. */
export function echoServerForTests(onUrl: (url: string) => void): void {
  let echo: Awaited<ReturnType<typeof startEchoServerProcess>>;
  before(async () => {
    echo = await startEchoServerProcess();
    onUrl(echo.url);
  });
  after(() => echo.stop());
}

// npm run bench:memory: peak memory of wsfuzz commands against hostile and ordinary peers, each
// command in a fresh process (the real command line, reports written), the peers outside it:
//   flood-client  fuzzingclient against a server that sends 110,000 empty pongs per case (target ≤ 250 MiB)
//   data-flood    fuzzingclient against a server flooding pongs and 64 KiB messages (target ≤ 250 MiB)
//   flood-server  fuzzingserver driven by a client that sends 110,000 empty pongs per case (target ≤ 250 MiB)
//   ws            fuzzingclient, all 517 cases against the `ws` echo server (target ≤ 200 MiB)
// Usage: node dist/bench/memory.js [flood-client|data-flood|flood-server|ws ...] [--cases LIST] [--wsfuzz PATH]
// (default: the three hostile runs over categories 1 and 2; add `ws` for the full suite, ~5 minutes).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ALL_IDS } from '../src/cases/index.js';
import { selectCases } from '../src/cases/selection.js';
import * as pongFloodServer from '../test/peers/pong-flood.js';
import * as dataFloodServer from '../test/peers/flood.js';

const here = path.dirname(fileURLToPath(import.meta.url));

const RSS_REPORTER = path.join(here, 'rss-on-exit.js');
const MiB = 1024 * 1024;

interface Measured {
  peakMiB: number;
  status: number | null;
  reportMiB: number;
  largestFileMiB: number;
  files: number;
  seconds: number;
}

/** Run a wsfuzz command with the peak-memory reporter preloaded; its report goes to `outdir`. */
async function measure(args: string[], outdir: string): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', RSS_REPORTER, WSFUZZ, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const peak = /wsfuzz-peak-rss-kib (\d+)/.exec(stderr);
  if (!peak) throw new Error(`no peak memory reported (status ${status}):\n${stderr.slice(-2000)}`);
  let reportBytes = 0;
  let largest = 0;
  const names = await readdir(outdir).catch(() => [] as string[]);
  for (const name of names) {
    const size = (await stat(path.join(outdir, name))).size;
    reportBytes += size;
    largest = Math.max(largest, size);
  }
  return {
    peakMiB: Number(peak[1]) / 1024,
    status,
    reportMiB: reportBytes / MiB,
    largestFileMiB: largest / MiB,
    files: names.length,
    seconds: (performance.now() - started) / 1000,
  };
}

function print(name: string, what: string, m: Measured, targetMiB: number): void {
  const verdict = m.peakMiB <= targetMiB ? 'within' : 'OVER';
  console.log(`\n## ${name}: ${what}`);
  console.log(`wsfuzz peak RSS   ${m.peakMiB.toFixed(0).padStart(6)} MiB  (target ≤ ${targetMiB} MiB: ${verdict})`);
  console.log(`report            ${m.reportMiB.toFixed(1).padStart(6)} MiB in ${m.files} files, largest ${m.largestFileMiB.toFixed(1)} MiB`);
  console.log(`wall time         ${m.seconds.toFixed(1).padStart(6)} s   (exit status ${m.status})`);
}

/** A peer started by a test module in this process. */
async function withPeer<T>(start: () => Promise<{ url: string; close(): Promise<void> }>, fn: (url: string) => Promise<T>): Promise<T> {
  const peer = await start();
  try {
    return await fn(peer.url);
  } finally {
    await peer.close();
  }
}

/** The `ws` echo server (bench/peer.ts) in a process of its own. */
async function withWsPeer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [path.join(here, 'peer.js'), 'ws'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ws peer exited (${code}) before listening`)));
    const poll = setInterval(() => {
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 20);
  });
  try {
    return await fn(`ws://127.0.0.1:${port}`);
  } finally {
    child.removeAllListeners('exit');
    child.kill('SIGTERM');
  }
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { cases: { type: 'string' }, wsfuzz: { type: 'string' } } });
/** --wsfuzz PATH: measure another build's bin/wsfuzz.js (e.g. the main branch, for a before/after figure). */
const WSFUZZ = values.wsfuzz ?? path.join(here, '..', '..', 'bin', 'wsfuzz.js');
const cases = values.cases ?? '1.*,2.*';
const runs = positionals.length > 0 ? positionals : ['flood-client', 'data-flood', 'flood-server'];
console.log(`wsfuzz memory benchmark on Node ${process.version}; hostile runs over cases ${cases}`);
for (const run of runs) {
  const outdir = await mkdtemp(path.join(os.tmpdir(), `wsfuzz-bench-memory-${run}-`));
  try {
    if (run === 'flood-client' || run === 'data-flood') {
      const peer = run === 'flood-client' ? pongFloodServer : dataFloodServer;
      const m = await withPeer(peer.start, (url) => measure(['fuzzingclient', '--url', url, '--agent', run, '--cases', cases, '--outdir', outdir, '--quiet'], outdir));
      const what = run === 'flood-client' ? '110,000 empty pongs per case' : 'pongs and 64 KiB messages without pause';
      print(run, `fuzzingclient, cases ${cases}, a server sending ${what}`, m, 250);
    } else if (run === 'flood-server') {
      const numbers = selectCases(cases.split(','), [], ALL_IDS).map((_, i) => i + 1);
      const client = ['node', path.join(here, '..', 'test', 'peers', 'clients', 'as-process.js'), 'pong-flood', '{url}', 'pong-flood', ...numbers].join(' ');
      const m = await measure(['fuzzingserver', '--port', '0', '--cases', cases, '--outdir', outdir, '--quiet', '--run', client], outdir);
      print(run, `fuzzingserver, cases ${cases}, a client sending 110,000 empty pongs per case`, m, 250);
    } else if (run === 'ws') {
      const m = await withWsPeer((url) => measure(['fuzzingclient', '--url', url, '--agent', 'ws', '--outdir', outdir, '--quiet'], outdir));
      print(run, 'fuzzingclient, all 517 cases against the ws 8.23.0 echo server', m, 200);
    } else {
      throw new Error(`unknown run '${run}' (flood-client, data-flood, flood-server, ws)`);
    }
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

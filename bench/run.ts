// npm run bench: the suite against the `ws` echo server (permessage-deflate on) and against wsfuzz's
// own echo server, each peer in its own process, with the default options (one case per core).
// For each peer: wall time, the CPU time of wsfuzz and of the peer, the peak memory of both, the
// floor of this machine (max(longest single case, (peer CPU + wsfuzz CPU) / cores): no schedule
// can be faster), the verdicts against the original's (ws) and wsfuzz CPU / peer CPU per category.
// Each benchmark runs in a fresh process so that peak memory is its own.
//
// Usage: node dist/bench/run.js [ws|wsfuzz ...] [--cases LIST] [--jobs N] [--jobs-curve 1,2,4]
//   --jobs-curve: wall time for each --jobs value (first peer only), against the floor.
import { fork, spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzzingClient, type ProgressEvent } from '../src/modes/fuzzingclient.js';
import { defaultJobs } from '../src/modes/schedule.js';
import { categoryOf } from '../src/cases/ids.js';
import { CATEGORY_TITLES } from '../src/cases/titles.js';
import { summarize, summaryLine } from '../src/report/summary.js';
import type { PeerUsage } from './peer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '../..');

interface PeerHandle {
  url: string;
  usage(): Promise<PeerUsage>;
  stop(): Promise<void>;
}

function startPeer(kind: string): Promise<PeerHandle> {
  const child = fork(path.join(here, 'peer.js'), [kind], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`peer ${kind} exited (${code}) before listening`)));
    const poll = setInterval(() => {
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      clearInterval(poll);
      child.removeAllListeners('exit');
      resolve({
        url: `ws://127.0.0.1:${m[1]}`,
        usage: () =>
          new Promise((done) => {
            child.once('message', (u) => done(u as PeerUsage));
            child.send('usage');
          }),
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    }, 20);
  });
}

/** What one benchmark run prints last, for the --jobs curve. */
interface BenchLine {
  jobs: number;
  wallMs: number;
  ownMs: number;
  peerMs: number;
  floorMs: number;
}

const s = (ms: number) => (ms / 1000).toFixed(1).padStart(8) + ' s';
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-').padStart(6);

/** The original's verdicts against ws (test/fixtures/golden): how many of the run's agree. */
function agreeWithGolden(results: Array<{ id: string; behavior: string; behaviorClose: string; remoteCloseCode: number | null }>): string {
  const file = path.join(projectRoot, 'test/fixtures/golden/ws-server-index.json');
  const index = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, { behavior: string; behaviorClose: string; remoteCloseCode: number | null }>>;
  const golden = Object.values(index)[0]!;
  const differ = results.filter((r) => {
    const g = golden[r.id];
    return !g || g.behavior !== r.behavior || g.behaviorClose !== r.behaviorClose || g.remoteCloseCode !== r.remoteCloseCode;
  });
  return `${results.length - differ.length}/${results.length} equal to the original's${differ.length ? ` (differ: ${differ.map((r) => r.id).join(', ')})` : ''}`;
}

async function bench(kind: string, cases: string[], jobs: number): Promise<BenchLine> {
  const peer = await startPeer(kind);
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  // CPU per category: both processes are sampled whenever the (catalogue-ordered) progress moves to
  // another category. Categories that overlap (the waiting and queued-write cases run early) blur
  // the small ones; 12.x and 13.x, which hold almost all of the time, are exact.
  const perCategory = new Map<string, { wallMs: number; ownMs: number; peerMs: number }>();
  let current: string | null = null;
  let mark = { t: performance.now(), own: 0, peer: 0 };
  const sample = async (): Promise<typeof mark> => {
    const u = await peer.usage();
    const c = process.cpuUsage();
    return { t: performance.now(), own: (c.user + c.system) / 1000, peer: (u.userUs + u.systemUs) / 1000 };
  };
  let sampling: Promise<void> = Promise.resolve();
  const close = (cat: string) => {
    sampling = sampling.then(async () => {
      const now = await sample();
      const e = perCategory.get(cat) ?? { wallMs: 0, ownMs: 0, peerMs: 0 };
      e.wallMs += now.t - mark.t;
      e.ownMs += now.own - mark.own;
      e.peerMs += now.peer - mark.peer;
      perCategory.set(cat, e);
      mark = now;
    });
  };
  const onProgress = (e: ProgressEvent) => {
    if (e.kind !== 'case-done') return;
    const cat = categoryOf(e.outcome.result.id);
    if (current !== null && cat !== current) close(current);
    current = cat;
  };
  mark = await sample();
  const start = mark;
  const run = await runFuzzingClient(
    { servers: [{ url: peer.url, agent: kind }], cases, excludeCases: [], excludeAgentCases: {}, options: {}, userAgent: 'wsfuzz-bench', jobs },
    onProgress,
  );
  if (current !== null) close(current);
  await sampling;
  const end = mark;
  const peerUsage = await peer.usage();
  await peer.stop();
  const wallMs = end.t - start.t;
  const ownMs = end.own - start.own;
  const peerMs = end.peer - start.peer;
  const results = run.outcomes.map((o) => o.result);
  const longest = results.reduce((m, r) => (r.duration > m.duration ? r : m), results[0]!);
  const cores = availableParallelism();
  const floorMs = Math.max(longest.duration, (ownMs + peerMs) / cores);
  console.log(`\n## peer: ${kind === 'ws' ? 'ws 8.23.0 echo server (perMessageDeflate on)' : 'wsfuzz reference echo server'}, --jobs ${jobs}`);
  console.log(`load average at start: ${load}`);
  console.log(summaryLine(summarize(results)[0]!));
  if (kind === 'ws') console.log(`verdicts           ${agreeWithGolden(results)}`);
  console.log(`wall time          ${s(wallMs)}`);
  console.log(`wsfuzz CPU         ${s(ownMs)}`);
  console.log(`peer CPU           ${s(peerMs)}`);
  console.log(`wsfuzz CPU / peer  ${ratio(ownMs, peerMs)}`);
  console.log(`peak RSS           wsfuzz ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB, peer ${(peerUsage.maxRssKiB / 1024).toFixed(0)} MiB`);
  console.log(`floor              ${s(floorMs)}  = max(longest case ${longest.id} ${s(longest.duration).trim()}, CPU ${s(ownMs + peerMs).trim()} / ${cores} cores); wall / floor ${ratio(wallMs, floorMs).trim()}`);
  console.log('per category (in catalogue order of completion)      wall    wsfuzz CPU   peer CPU  wsfuzz/peer');
  for (const [cat, e] of [...perCategory.entries()].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    console.log(`  ${cat.padStart(2)} ${(CATEGORY_TITLES[cat] ?? '').padEnd(46)} ${s(e.wallMs)} ${s(e.ownMs)} ${s(e.peerMs)}  ${ratio(e.ownMs, e.peerMs)}`);
  }
  return { jobs, wallMs, ownMs, peerMs, floorMs };
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cases: { type: 'string' }, jobs: { type: 'string' }, 'jobs-curve': { type: 'string' }, one: { type: 'string' } },
});
const cases = values.cases ? values.cases.split(',') : ['*'];
const jobs = values.jobs !== undefined ? Number(values.jobs) : defaultJobs();
if (values.one !== undefined) {
  const line = await bench(values.one, cases, jobs);
  console.log(`BENCH ${JSON.stringify(line)}`);
} else {
  const runOne = (kind: string, n: number): Promise<BenchLine | null> => {
    const args = [fileURLToPath(import.meta.url), '--one', kind, '--cases', cases.join(','), '--jobs', String(n)];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let last: BenchLine | null = null;
    let buffered = '';
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('BENCH ')) last = JSON.parse(l.slice(6)) as BenchLine;
        else console.log(l);
      }
    });
    return new Promise((resolve) => child.on('exit', () => resolve(last)));
  };
  const kinds = positionals.length > 0 ? positionals : ['ws', 'wsfuzz'];
  console.log(`wsfuzz benchmark: cases ${cases.join(',')} on Node ${process.version}, ${availableParallelism()} cores`);
  if (values['jobs-curve'] !== undefined) {
    const curve: BenchLine[] = [];
    for (const n of values['jobs-curve'].split(',').map(Number)) {
      const line = await runOne(kinds[0]!, n);
      if (line) curve.push(line);
    }
    console.log(`\n## --jobs curve against ${kinds[0]}\n  jobs       wall      floor  wall/floor`);
    for (const l of curve) console.log(`  ${String(l.jobs).padStart(4)} ${s(l.wallMs)} ${s(l.floorMs)}  ${ratio(l.wallMs, l.floorMs)}`);
  } else {
    for (const kind of kinds) await runOne(kind, jobs);
  }
}

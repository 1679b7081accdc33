// npm run bench: the full suite against the `ws` echo server (permessage-deflate on) and against
// wsfuzz's own echo server, each peer in its own process. Prints wall time, wsfuzz's CPU time and
// peak memory, the peer's CPU time, and wall time per category. Each benchmark runs in a fresh
// process so that peak memory is its own.
// Usage: node dist/bench/run.js [ws|wsfuzz ...] [--cases LIST] [--jobs N]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzzingClient, type ProgressEvent } from '../src/modes/fuzzingclient.js';
import { categoryOf } from '../src/cases/ids.js';
import { CATEGORY_TITLES } from '../src/cases/titles.js';
import { summarize, summaryLine } from '../src/report/summary.js';

const here = path.dirname(fileURLToPath(import.meta.url));

interface PeerHandle {
  url: string;
  stop(): Promise<{ userMs: number; systemMs: number; maxRssMiB: number }>;
}

function startPeer(kind: string): Promise<PeerHandle> {
  const child = spawn(process.execPath, [path.join(here, 'peer.js'), kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`peer ${kind} exited (${code}) before listening`)));
    const poll = setInterval(() => {
      const m = /listening (\d+)/.exec(out);
      if (!m) return;
      clearInterval(poll);
      child.removeAllListeners('exit');
      resolve({
        url: `ws://127.0.0.1:${m[1]}`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => {
              const cpu = /cpu (\d+) (\d+) (\d+)/.exec(out);
              done({
                userMs: cpu ? Number(cpu[1]) / 1000 : NaN,
                systemMs: cpu ? Number(cpu[2]) / 1000 : NaN,
                maxRssMiB: cpu ? Number(cpu[3]) / 1024 : NaN,
              });
            });
            child.kill('SIGTERM');
          }),
      });
    }, 20);
  });
}

function fmt(ms: number): string {
  return (ms / 1000).toFixed(1).padStart(8) + ' s';
}

async function bench(kind: string, cases: string[], jobs: number): Promise<void> {
  const peer = await startPeer(kind);
  const categoryWall = new Map<string, number>();
  let last = performance.now();
  const onProgress = (e: ProgressEvent) => {
    if (e.kind !== 'case-done') return;
    const now = performance.now();
    const cat = categoryOf(e.outcome.result.id);
    categoryWall.set(cat, (categoryWall.get(cat) ?? 0) + (now - last));
    last = now;
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  last = t0;
  const run = await runFuzzingClient(
    { servers: [{ url: peer.url, agent: kind }], cases, excludeCases: [], excludeAgentCases: {}, options: {}, userAgent: 'wsfuzz-bench', jobs },
    onProgress,
  );
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peerCpu = await peer.stop();
  const ownMs = (cpu.user + cpu.system) / 1000;
  const peerMs = peerCpu.userMs + peerCpu.systemMs;
  console.log(`\n## peer: ${kind === 'ws' ? 'ws 8.23.0 echo server (perMessageDeflate on)' : 'wsfuzz reference echo server'}${jobs > 1 ? `, --jobs ${jobs}` : ''}`);
  console.log(summaryLine(summarize(run.outcomes.map((o) => o.result))[0]!));
  console.log(`wall time          ${fmt(wall)}`);
  console.log(`wsfuzz CPU         ${fmt(ownMs)}  (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s)`);
  console.log(`peer CPU           ${fmt(peerMs)}  (user ${(peerCpu.userMs / 1000).toFixed(1)} s, system ${(peerCpu.systemMs / 1000).toFixed(1)} s)`);
  console.log(`wsfuzz CPU / peer  ${(ownMs / peerMs).toFixed(2).padStart(8)}`);
  console.log(`wsfuzz peak RSS    ${(process.resourceUsage().maxRSS / 1024).toFixed(0).padStart(8)} MiB  (peer ${peerCpu.maxRssMiB.toFixed(0)} MiB)`);
  console.log('wall time per category:');
  for (const [cat, ms] of [...categoryWall.entries()].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    console.log(`  ${cat.padStart(2)} ${(CATEGORY_TITLES[cat] ?? '').padEnd(46)} ${fmt(ms)}`);
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cases: { type: 'string' }, jobs: { type: 'string' }, one: { type: 'string' } },
});
const cases = values.cases ? values.cases.split(',') : ['*'];
const jobs = Number(values.jobs ?? 1);
if (values.one !== undefined) {
  await bench(values.one, cases, jobs);
} else {
  console.log(`wsfuzz benchmark: cases ${cases.join(',')} on Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`);
  for (const kind of positionals.length > 0 ? positionals : ['ws', 'wsfuzz']) {
    const args = [fileURLToPath(import.meta.url), '--one', kind, '--cases', cases.join(','), '--jobs', String(jobs)];
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    await new Promise((resolve) => child.on('exit', resolve));
  }
}

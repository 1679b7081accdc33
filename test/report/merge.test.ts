// merge-reports: report directories written by real runs (wsfuzz's echo server over real sockets)
// read back and merged; the index writers must give what the runs themselves wrote.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEchoServer, type EchoServer } from '../../src/modes/echoserver.js';
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import { shardCases } from '../../src/cases/shard.js';
import { selectCases } from '../../src/cases/selection.js';
import { ALL_IDS } from '../../src/cases/index.js';
import { writeReports, type ReportMeta } from '../../src/report/write.js';
import { renderIndexPage } from '../../src/report/html-index.js';
import { readReportDir } from '../../src/report/read.js';
import { collectReports, MergeError, writeMergedReport } from '../../src/report/merge.js';

const META: ReportMeta = { product: 'wsfuzz/test', generatedAt: new Date('2026-01-02T03:04:05Z') };
/** Small, but with a reportTime case (9.7.1) and a compression-ratio case (12.1.1). */
const SELECTION = selectCases(['1.1.*', '2.1', '9.7.1', '12.1.1'], [], ALL_IDS);

const TMP = mkdtempSync(path.join(tmpdir(), 'wsfuzz-merge-'));
let echo: EchoServer;
before(async () => {
  echo = await startEchoServer({ port: 0 });
});
after(async () => {
  await echo.close();
  rmSync(TMP, { recursive: true, force: true });
});

async function runInto(dir: string, cases: string[], agent = 'echo'): Promise<void> {
  const run = await runFuzzingClient({ servers: [{ url: echo.url, agent }], cases, excludeCases: [], excludeAgentCases: {}, options: {}, userAgent: 'wsfuzz-test' });
  await writeReports(dir, run.outcomes, META);
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), 'utf8');
}

function verdicts(dir: string): Record<string, Record<string, [string, string, number | null]>> {
  const index = JSON.parse(read(dir, 'index.json')) as Record<string, Record<string, { behavior: string; behaviorClose: string; remoteCloseCode: number | null }>>;
  return Object.fromEntries(
    Object.entries(index).map(([agent, cases]) => [agent, Object.fromEntries(Object.entries(cases).map(([id, e]) => [id, [e.behavior, e.behaviorClose, e.remoteCloseCode]]))]),
  );
}

test('per-case JSON read back gives the same index.json and index.html as the run wrote', async () => {
  const dir = path.join(TMP, 'single');
  await runInto(dir, SELECTION);
  const cases = await readReportDir(dir);
  assert.equal(cases.length, SELECTION.length);
  const results = cases.map((c) => c.result);
  assert.ok(results.some((r) => r.reportTime) && results.some((r) => r.reportCompressionRatio && r.trafficStats !== null));
  assert.equal(renderIndexPage(results, META), read(dir, 'index.html'));
  const out = path.join(TMP, 'single-merged');
  await writeMergedReport(out, cases, META);
  assert.equal(read(out, 'index.json'), read(dir, 'index.json'));
  assert.equal(read(out, 'index.html'), read(dir, 'index.html'));
  assert.deepEqual(readdirSync(out).sort(), readdirSync(dir).sort());
  for (const file of readdirSync(dir)) assert.equal(read(out, file), read(dir, file), file);
});

test('two shards merged: every case once, the same verdicts as the unsharded run, plus another agent', async () => {
  const [a, b, whole, other] = ['shard1', 'shard2', 'whole', 'other'].map((d) => path.join(TMP, d)) as [string, string, string, string];
  await runInto(a, shardCases(SELECTION, { index: 1, count: 2 }));
  await runInto(b, shardCases(SELECTION, { index: 2, count: 2 }));
  await runInto(whole, SELECTION);
  await runInto(other, ['1.1.1'], 'second agent');
  const cases = await collectReports([a, b, other]);
  const out = path.join(TMP, 'merged');
  const written = await writeMergedReport(out, cases, META);
  assert.equal(written.files, 2 * (SELECTION.length + 1) + 2);
  const merged = verdicts(out);
  assert.deepEqual(merged.echo, verdicts(whole).echo);
  assert.deepEqual(Object.keys(merged), ['echo', 'second agent']);
  assert.deepEqual(Object.keys(merged.echo!).sort(), [...SELECTION].sort());
  assert.equal(read(out, 'index.html'), renderIndexPage((await readReportDir(out)).map((c) => c.result), META));
  assert.match(read(out, 'index.html'), /second agent/);
});

test('the same case of one agent twice: fine when identical, a one-line MergeError when not', async () => {
  const [a, b] = ['dup1', 'dup2'].map((d) => path.join(TMP, d)) as [string, string];
  await runInto(a, ['1.1.1', '1.1.2']);
  await runInto(b, ['1.1.2']);
  assert.equal((await collectReports([a, a])).length, 2);
  await assert.rejects(collectReports([a, b]), (err: Error) => err instanceof MergeError && /^case 1\.1\.2 of agent "echo" is in both .*dup1 and .*dup2 with different results$/.test(err.message));
});

test('unreadable inputs are MergeErrors naming the file', async () => {
  const empty = mkdtempSync(path.join(TMP, 'empty-'));
  await assert.rejects(collectReports([empty]), (err: Error) => err instanceof MergeError && /cannot read .*index\.json: no such file/.test(err.message));
  const broken = mkdtempSync(path.join(TMP, 'broken-'));
  writeFileSync(path.join(broken, 'index.json'), JSON.stringify({ x: { '1.1.1': { reportfile: '../../etc/passwd' } } }));
  await assert.rejects(collectReports([broken]), /has no valid "reportfile"/);
  writeFileSync(path.join(broken, 'index.json'), JSON.stringify({ x: { '1.1.1': { reportfile: 'x_case_1_1_1.json' } } }));
  writeFileSync(path.join(broken, 'x_case_1_1_1.json'), JSON.stringify({ agent: 'y', id: '1.1.1', behavior: 'OK', behaviorClose: 'OK', result: '', resultClose: '', duration: 1, remoteCloseCode: 1000 }));
  await assert.rejects(collectReports([broken]), /is case 1\.1\.1 of agent "y", but index\.json files it as 1\.1\.1 of "x"/);
  writeFileSync(path.join(broken, 'x_case_1_1_1.json'), JSON.stringify({ agent: 'x', id: '1.1.1', behavior: 'OK', behaviorClose: 'OK', result: '', resultClose: '', duration: 1, remoteCloseCode: 1000 }));
  const cases = await collectReports([broken]);
  await assert.rejects(writeMergedReport(path.join(TMP, 'nohtml'), cases, META), (err: Error) => err instanceof MergeError && /broken-\w+ has no x_case_1_1_1\.html/.test(err.message));
});

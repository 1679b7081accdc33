// Report writing a peer cannot break (src/report/write.ts, atomic-file.ts): atomic replacement,
// planted links replaced rather than followed, the report directory checked before anything runs,
// and index.html for thousands of agents written in pieces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { lstat, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkWritableDirectory, ensureDirectory, ReportWriteError, writeFileAtomic } from '../../src/report/atomic-file.js';
import { indexPageParts } from '../../src/report/html-index.js';
import { writeReports, type ReportMeta } from '../../src/report/write.js';
import { CaseFiler } from '../../src/report/case-files.js';
import { minimalResult } from '../support/minimal-result.js';

const META: ReportMeta = { product: 'wsfuzz/0.1.0', generatedAt: new Date('2025-01-02T03:04:05.678Z') };

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wsfuzz-write-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a failed write leaves the previous file intact and no temporary file behind', async () => {
  await withDir(async (dir) => {
    const file = path.join(dir, 'index.json');
    await writeFileAtomic(file, '{"valid": true}\n');
    function* failing(): Generator<string> {
      yield '{"half": ';
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    }
    await assert.rejects(writeFileAtomic(file, failing()), (err: unknown) => err instanceof ReportWriteError && /ENOSPC/.test(err.message));
    assert.equal(await readFile(file, 'utf8'), '{"valid": true}\n');
    assert.deepEqual(await readdir(dir), ['index.json']);
  });
});

test('report writes replace a planted symbolic link instead of writing through it', async () => {
  await withDir(async (dir) => {
    const outdir = path.join(dir, 'reports');
    await ensureDirectory(outdir);
    const victim = path.join(dir, 'victim.txt');
    await writeFile(victim, 'precious');
    await symlink(victim, path.join(outdir, 'index.html'));
    await symlink(victim, path.join(outdir, 'a_case_1_1_1.json'));
    const written = await writeReports(outdir, [{ result: minimalResult('a', '1.1.1'), notes: [] }], META);
    assert.equal(await readFile(victim, 'utf8'), 'precious');
    for (const name of ['index.html', 'a_case_1_1_1.json']) assert.ok((await lstat(path.join(outdir, name))).isFile(), name);
    assert.deepEqual(written.names.sort(), ['a_case_1_1_1.html', 'a_case_1_1_1.json', 'index.html', 'index.json']);
  });
});

test('index.json names the files actually written, for colliding and long agent names', async () => {
  await withDir(async (dir) => {
    const agents = ['AbC', 'abc', 'x'.repeat(300)];
    await writeReports(dir, agents.map((agent) => ({ result: minimalResult(agent, '2.1'), notes: [] })), META);
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as Record<string, Record<string, { reportfile: string }>>;
    assert.deepEqual(Object.keys(index).sort(), [...agents].sort());
    const files = agents.map((agent) => index[agent]!['2.1']!.reportfile);
    assert.equal(new Set(files).size, 3);
    for (const [i, file] of files.entries()) {
      assert.equal((JSON.parse(await readFile(path.join(dir, file), 'utf8')) as { agent: string }).agent, agents[i]);
      const html = await readFile(path.join(dir, 'index.html'), 'utf8');
      assert.ok(html.includes(`<a href="${file.replace('.json', '.html')}">Pass</a>`), file);
    }
  });
});

test('the report directory is created and probed; a pseudo file system gives an error, not a loop', { skip: existsSync('/proc/self') ? false : 'no /proc' }, async () => {
  await withDir(async (dir) => {
    const nested = path.join(dir, 'a', 'b', 'c');
    await checkWritableDirectory(nested);
    assert.deepEqual(await readdir(nested), [], 'the probe file is removed');
    await writeFile(path.join(dir, 'file'), '');
    await assert.rejects(checkWritableDirectory(path.join(dir, 'file', 'x')), /cannot create the report directory .*ENOTDIR/);
    await assert.rejects(checkWritableDirectory(path.join(dir, 'file')), /exists and is not a directory/);
  });
  await assert.rejects(checkWritableDirectory('/proc/wsfuzz-test/reports'), (err: unknown) => err instanceof ReportWriteError && /ENOENT/.test(err.message));
  await assert.rejects(checkWritableDirectory('/proc'), /cannot write reports to \/proc/);
});

test('index.html for 16,000 agents is produced in pieces, although it is larger than any string', () => {
  const results = Array.from({ length: 16_000 }, (_, i) => minimalResult(`agent-${i}`, '1.1.1'));
  let total = 0;
  let largest = 0;
  for (const piece of indexPageParts(results, META)) {
    total += piece.length + 1;
    largest = Math.max(largest, piece.length);
  }
  assert.ok(total > bufferConstants.MAX_STRING_LENGTH, `${total} characters: more than one string can hold (${bufferConstants.MAX_STRING_LENGTH})`);
  // The largest pieces hold a line per agent (summary table) or a cell per agent (a matrix row).
  assert.ok(largest < results.length * 400, `largest piece ${largest} characters`);
});

test('case files written as cases finish end up byte-identical to a report written at the end, also when neighbours and stems change', async () => {
  await withDir(async (dir) => {
    const atEnd = path.join(dir, 'at-end');
    const streamed = path.join(dir, 'streamed');
    const outcomes = () => [
      { result: minimalResult('Chrome/120', '1.1.1', { wirelog: [['KL', 1]] }), notes: ['a note'] },
      { result: minimalResult('Chrome/120', '1.1.3'), notes: [] },
      { result: minimalResult('chrome 120', '1.1.2'), notes: [] },
    ];
    await writeReports(atEnd, outcomes(), META);
    // Filed one by one: 1.1.1 expects 1.1.2 next (it never finishes for that agent), and a later
    // agent's name collides with the first one's, so both get hashed file names.
    const filer = new CaseFiler(streamed, META);
    const filed = outcomes();
    for (const outcome of filed) await filer.file(outcome, ['1.1.1', '1.1.2', '1.1.3']);
    assert.ok(existsSync(path.join(streamed, 'chrome_120_case_1_1_1.html')));
    assert.deepEqual(filed.map((o) => o.result.wirelog.length), [0, 0, 0]);
    await writeReports(streamed, filed, META);
    const names = (await readdir(atEnd)).sort();
    assert.deepEqual((await readdir(streamed)).sort(), names);
    for (const name of names) assert.equal(await readFile(path.join(streamed, name), 'utf8'), await readFile(path.join(atEnd, name), 'utf8'), name);
  });
});

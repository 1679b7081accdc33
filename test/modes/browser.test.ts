// A real browser as the client under test: headless Chromium (Debian's /usr/bin/chromium) opens
// the driver page fuzzingserver serves and runs every case. Skipped, with the reason, when
// Chromium is not installed (.ci/run installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startFuzzingServer } from '../../src/modes/fuzzingserver.js';
import { tempDir } from '../support/client-run.js';
import { clientCaseSelection, selectionLabel } from '../support/selection.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium); browser test skipped`;
if (skip) console.log(`# ${skip}`);

test(`Chromium runs ${selectionLabel()} from the page fuzzingserver serves`, { skip, timeout: 40 * 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const outdir = tempDir('browser');
  const server = await startFuzzingServer({
    host: '127.0.0.1',
    port: 0,
    cases: clientCaseSelection(),
    excludeCases: [],
    excludeAgentCases: {},
    options: {},
    outdir,
    product: 'wsfuzz-test',
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const started = performance.now();
    await page.goto(`${server.url.replace('ws:', 'http:')}/test_browser.html?autorun`);
    await page.waitForFunction(() => (window as unknown as { wsfuzzDone?: unknown }).wsfuzzDone, null, { timeout: 35 * 60_000, polling: 1000 });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const agent = await page.evaluate(() => (document.getElementById('agent') as HTMLInputElement).value);
    assert.match(agent, /^Chrome\//);
    // The page ran the driver loop to the end, including /updateReports: the report is on disk.
    const index = JSON.parse(await readFile(path.join(outdir, 'index.json'), 'utf8')) as Record<string, Record<string, { behavior: string }>>;
    const verdicts = index[agent]!;
    assert.deepEqual(Object.keys(verdicts).sort(), [...server.selected].sort(), 'a verdict for every case');
    const counts = new Map<string, number>();
    for (const v of Object.values(verdicts)) counts.set(v.behavior, (counts.get(v.behavior) ?? 0) + 1);
    console.log(`# ${agent}: ${server.selected.length} cases in ${seconds} s: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  } finally {
    await browser.close();
    await server.close();
  }
});

// A real browser as the client under test: headless Chromium (Debian's /usr/bin/chromium) opens
// the driver page fuzzingserver serves and runs every case. Skipped, with the reason, when
// Chromium is not installed (.ci/run installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startFuzzingServer, type FuzzingServer } from '../../src/modes/fuzzingserver.js';
import type { AgentExclusions } from '../../src/cases/selection.js';
import { tempDir } from '../support/client-run.js';
import { clientCaseSelection, selectionLabel } from '../support/selection.js';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH = {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium); browser test skipped`;
if (skip) console.log(`# ${skip}`);

function startServer(outdir: string, cases: string[], excludeAgentCases: AgentExclusions = {}): Promise<FuzzingServer> {
  return startFuzzingServer({ host: '127.0.0.1', port: 0, cases, excludeCases: [], excludeAgentCases, options: {}, outdir, product: 'wsfuzz-test' });
}

test(`Chromium runs ${selectionLabel()} from the page fuzzingserver serves`, { skip, timeout: 40 * 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const outdir = tempDir('browser');
  const server = await startServer(outdir, clientCaseSelection());
  const browser = await chromium.launch(LAUNCH);
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
    // The page's own counts add up to the selection and reached "done".
    const shown = await page.evaluate(() => (window as unknown as { wsfuzzDone: { counts: Record<string, number> } }).wsfuzzDone.counts);
    const { Failing: _failing, ...byCell } = shown;
    assert.equal(Object.values(byCell).reduce((a, b) => a + b, 0), server.selected.length, JSON.stringify(shown));
    assert.equal(await page.getAttribute('body', 'data-state'), 'done');
  } finally {
    await browser.close();
    await server.close();
  }
});

test('the browser page: progress, live counts, failing cases as links while it runs, a "done" state with the report link', { skip, timeout: 5 * 60_000 }, async () => {
  const { chromium } = await import('playwright-core');
  const outdir = tempDir('browser-page');
  // Five cases; case 2 (1.1.2) is made to fail: the page's echo is corrupted on its way to the server,
  // which judges it as it would any client's wrong echo.
  const server = await startServer(outdir, ['1.1.1', '1.1.2', '2.1', '3.1', '7.1.1'], { 'page-test': ['3.1'] });
  const browser = await chromium.launch(LAUNCH);
  try {
    const page = await browser.newPage();
    await page.routeWebSocket(/\/runCase\?case=2&/, (ws) => {
      const toServer = ws.connectToServer();
      ws.onMessage((message) => toServer.send(typeof message === 'string' ? message + ' (corrupted)' : message));
    });
    const http = server.url.replace('ws:', 'http:');
    await page.goto(`${http}/test_browser.html?agent=page-test`);
    assert.equal(await page.getAttribute('body', 'data-state'), 'ready');
    assert.equal(await page.isVisible('#run_view'), false, 'no progress view before a run');
    await page.click('#run');
    // The failing case appears as a link while the run goes on (or at the latest when it is done).
    const failingLink = page.locator('#failures a');
    await failingLink.first().waitFor({ timeout: 60_000 });
    assert.equal(await failingLink.count(), 1);
    assert.equal(await failingLink.textContent(), 'Case 1.1.2');
    await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 4 * 60_000, polling: 200 });
    // Done: progress full, counts per verdict, the report link.
    assert.equal(await page.getAttribute('#bar', 'value'), '5');
    assert.equal(await page.getAttribute('#bar', 'max'), '5');
    assert.match((await page.textContent('#progress_text'))!, /^5 of 5 cases · \d+:\d\d elapsed$/);
    const count = async (label: string) => Number(await page.textContent(`[data-count="${label}"]`));
    assert.deepEqual(
      { pass: await count('Pass'), fail: await count('Fail'), skipped: await count('Skipped'), failing: await count('Failing') },
      { pass: 3, fail: 1, skipped: 1, failing: 1 },
    );
    assert.match((await page.textContent('#done_box'))!, /^Done: 5 cases in \d+:\d\d, 1 failing\. Open the report$/);
    assert.equal(await page.getAttribute('#report_link', 'href'), '/reports/index.html');
    assert.equal(await page.getAttribute('#failures a', 'href'), '/reports/page_test_case_1_1_2.html');
    // The links work: the failing case's page and the report (written by /updateReports).
    const casePage = await page.request.get(`${http}/reports/page_test_case_1_1_2.html`);
    assert.equal(casePage.status(), 200);
    assert.match(await casePage.text(), /page-test - <span style="font-size: 1.3em;"><b>Case 1.1.2<\/b><\/span> : Fail/);
    assert.equal((await page.request.get(`${http}/reports/index.html`)).status(), 200);
    const index = JSON.parse(await readFile(path.join(outdir, 'index.json'), 'utf8')) as Record<string, Record<string, { behavior: string }>>;
    assert.deepEqual(
      Object.entries(index['page-test']!).map(([id, v]) => `${id} ${v.behavior}`).sort(),
      ['1.1.1 OK', '1.1.2 FAILED', '2.1 OK', '7.1.1 OK'],
    );
    await page.screenshot({ path: path.join(outdir, 'test_browser-done.png'), fullPage: true });
  } finally {
    await browser.close();
    await server.close();
  }
});

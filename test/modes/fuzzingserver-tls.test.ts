// fuzzingserver over TLS (wss://, and https for its pages) with a certificate the test makes:
// the `ws` client, wsfuzz's testeeclient, the command line with an Autobahn wss spec, and Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import type { FuzzingServer, FuzzingServerConfig } from '../../src/modes/fuzzingserver.js';
import { runTesteeClient } from '../../src/modes/testeeclient.js';
import { withConfiguredFuzzingServer } from '../support/client-run.js';
import { makeTestCertificate, OPENSSL } from '../support/tls-cert.js';
import { freshDir, show, spawnWsfuzz, writeJson, WSFUZZ_SHELL } from '../support/cli.js';

const certificate = makeTestCertificate();
const skip = certificate === null ? `openssl is not installed at ${OPENSSL}; TLS tests skipped` : false;

function withTlsServer<T>(overrides: Partial<FuzzingServerConfig>, body: (server: FuzzingServer, outdir: string) => Promise<T>): Promise<T> {
  return withConfiguredFuzzingServer({ cases: ['1.1.1', '1.1.2', '2.1'], tls: { key: certificate!.key, cert: certificate!.cert }, ...overrides }, body);
}

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

test('wss://: the ws client and wsfuzz testeeclient run cases; pages and reports over https', { skip }, async () => {
  await withTlsServer({}, async (server, outdir) => {
    assert.match(server.url, /^wss:\/\/127\.0\.0\.1:\d+$/);
    const count = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${server.url}/getCaseCount`, { rejectUnauthorized: false });
      ws.on('message', (data) => resolve(String(data)));
      ws.on('error', reject);
    });
    assert.equal(count, '3');
    assert.equal(await runTesteeClient({ url: server.url, agent: 'tls-client', userAgent: 'wsfuzz-test' }), 3);
    const index = JSON.parse(readFileSync(path.join(outdir, 'index.json'), 'utf8')) as Record<string, Record<string, { behavior: string }>>;
    assert.deepEqual(Object.keys(index['tls-client']!).sort(), ['1.1.1', '1.1.2', '2.1']);
    const r = server.results().map((o) => o.result);
    assert.ok(r.every((x) => x.behavior === 'OK' && x.behaviorClose === 'OK'), JSON.stringify(r.map((x) => [x.id, x.behavior, x.behaviorClose])));
    const page = await httpsGet(`${server.url.replace('wss:', 'https:')}/reports/index.json`);
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('"tls-client"'));
  });
});

test('wsfuzz fuzzingserver with an Autobahn wss spec (url, key, cert) and --run testeeclient', { skip }, async () => {
  const dir = freshDir();
  writeJson(dir, 'fuzzingserver_wss.json', { url: 'wss://127.0.0.1:0', key: certificate!.keyFile, cert: certificate!.certFile, outdir: './out', cases: ['1.1.1', '2.1'] });
  const run = spawnWsfuzz(['fuzzingserver', '--spec', 'fuzzingserver_wss.json', '--run', `${WSFUZZ_SHELL} testeeclient --url {url} --agent over-tls`], dir, 60_000);
  const r = await run.exited;
  assert.equal(r.status, 0, show(r));
  assert.match(r.stdout, /fuzzing server on wss:\/\/127\.0\.0\.1:\d+/);
  assert.match(r.stdout, /over-tls: 2 cases: 2 OK/);
  assert.ok(existsSync(path.join(dir, 'out', 'index.html')));
});

const CHROMIUM = '/usr/bin/chromium';
const noBrowser = skip || (existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}; browser test skipped`);

test('Chromium runs the cases from the page fuzzingserver serves over https (wss://)', { skip: noBrowser, timeout: 180_000 }, async () => {
  const { chromium } = await import('playwright-core');
  await withTlsServer({}, async (server, outdir) => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--ignore-certificate-errors'],
    });
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await page.goto(`${server.url.replace('wss:', 'https:')}/test_browser.html?autorun`);
      await page.waitForFunction(() => (window as unknown as { wsfuzzDone?: unknown }).wsfuzzDone, null, { timeout: 150_000, polling: 500 });
      const agent = await page.evaluate(() => (document.getElementById('agent') as HTMLInputElement).value);
      const index = JSON.parse(readFileSync(path.join(outdir, 'index.json'), 'utf8')) as Record<string, Record<string, { behavior: string }>>;
      assert.deepEqual(Object.keys(index[agent]!).sort(), ['1.1.1', '1.1.2', '2.1']);
    } finally {
      await browser.close();
    }
  });
});

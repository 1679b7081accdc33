// fuzzingserver trusts no web page (src/modes/web-guard.ts): real HTTP and WebSocket requests with
// foreign Origin and Host headers, /stopServer from a non-loopback address, report serving limited
// to the files the server wrote, and a page of another origin in Chromium.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { mkdir, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FuzzingServer, FuzzingServerConfig } from '../../src/modes/fuzzingserver.js';
import { runClient } from '../peers/clients/base.js';
import * as foreignOrigin from '../peers/clients/foreign-origin.js';
import * as rebindingHost from '../peers/clients/rebinding-host.js';
import * as stopsServerFromAfar from '../peers/clients/stops-server-from-afar.js';
import { withConfiguredFuzzingServer } from '../support/client-run.js';
import { httpGet } from '../support/raw-http.js';

function withServer<T>(overrides: Partial<FuzzingServerConfig>, body: (server: FuzzingServer, outdir: string) => Promise<T>): Promise<T> {
  return withConfiguredFuzzingServer({ cases: ['1.1.1'], ...overrides }, body);
}

function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
}

describe('fuzzingserver refuses foreign web pages', () => {
  test('foreign-origin: /runCase, /updateReports and /stopServer from another origin get 403; nothing is recorded', async () => {
    await withServer({}, async (server) => {
      for (const resource of ['/runCase?case=1&agent=victim', '/updateReports?agent=x', '/stopServer', '/getCaseCount']) {
        const run = await foreignOrigin.run(`${server.url}${resource}`);
        assert.equal(run.status, 403, resource);
        assert.match(run.response, /^HTTP\/1\.1 403 WebSocket connection denied: origin 'http:\/\/evil\.example' not allowed\r\n/);
      }
      assert.deepEqual(server.results(), []);
      assert.equal(await settled(server.stopRequested), false, 'still running');
    });
  });

  test('a page of the server itself (same origin), and clients without Origin, are accepted', async () => {
    await withServer({}, async (server) => {
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`, `http://127.0.0.1:${server.port}`)).status, 101);
      assert.equal((await runClient(`${server.url}/getCaseCount`)).status, 101);
      // Same host, another port: another origin.
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`, `http://127.0.0.1:${server.port + 1}`)).status, 403);
    });
  });

  test('Origin "null" (file:// pages, sandboxed frames of any site) is refused unless allowed', async () => {
    await withServer({}, async (server) => {
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`, 'null')).status, 403);
    });
    await withServer({ allowOrigins: ['null'] }, async (server) => {
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`, 'null')).status, 101);
    });
  });

  test("the spec's allowedOrigins patterns and --allow-origin add origins", async () => {
    await withServer({ options: { allowedOrigins: ['http://*.example.com'] }, allowOrigins: ['http://localhost:8080'] }, async (server) => {
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`, 'http://app.example.com')).status, 101);
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`, 'http://localhost:8080')).status, 101);
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`, 'http://example.org')).status, 403);
    });
    await withServer({ options: { allowedOrigins: ['*'] } }, async (server) => {
      assert.equal((await foreignOrigin.run(`${server.url}/getCaseCount`)).status, 101);
    });
    await assert.rejects(withServer({ options: { allowedOrigins: 'http://x' } }, async () => undefined), /option 'allowedOrigins' must be a list of strings/);
  });

  test('plain HTTP with a foreign Origin gets 403', async () => {
    await withServer({}, async (server) => {
      assert.match(await httpGet(server.port, '/reports/index.json', [`Origin: ${foreignOrigin.FOREIGN_ORIGIN}`]), /^HTTP\/1\.1 403 Forbidden\r\n/);
      assert.match(await httpGet(server.port, '/', [`Origin: http://127.0.0.1:${server.port}`]), /^HTTP\/1\.1 200 OK\r\n/);
    });
  });

  test('rebinding-host: a foreign host name in Host is refused (WebSocket and HTTP) unless given with --allow-host', async () => {
    await withServer({}, async (server) => {
      const run = await rebindingHost.run(`${server.url}/runCase?case=1&agent=victim`);
      assert.equal(run.status, 403);
      assert.match(run.response, /Host 'rebind\.evil\.example:\d+' not allowed/);
      const page = await rebindingHost.runHttp(server.port, '/reports/index.json');
      assert.match(page, /^HTTP\/1\.1 403 Forbidden\r\n/);
      assert.deepEqual(server.results(), []);
      for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, `127.0.0.2:${server.port}`]) {
        assert.equal((await runClient(`${server.url}/getCaseCount`, {}, { request: (p) => `GET ${p.resource} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${p.key}\r\nSec-WebSocket-Version: 13\r\n\r\n` })).status, 101, host);
      }
    });
    await withServer({ allowHosts: [rebindingHost.FOREIGN_HOST] }, async (server) => {
      assert.equal((await rebindingHost.run(`${server.url}/getCaseCount`)).status, 101);
    });
  });

  const address = stopsServerFromAfar.nonLoopbackAddress();
  test('stops-server-from-afar: /stopServer from a non-loopback address is refused; from loopback it stops', { skip: address === null ? 'no non-loopback IPv4 address on this machine' : false }, async () => {
    await withServer({ host: '0.0.0.0' }, async (server) => {
      const run = await stopsServerFromAfar.run(address!, server.port);
      assert.equal(run.status, 403);
      assert.match(run.response, /^HTTP\/1\.1 403 \/stopServer is accepted from loopback addresses only/);
      assert.equal(await settled(server.stopRequested), false, 'still running');
      await runClient(`ws://127.0.0.1:${server.port}/stopServer`);
      await server.stopRequested;
    });
  });
});

describe('fuzzingserver serves only the report files it wrote', () => {
  test('dotfiles, other files and links in the outdir get 404; links planted over a written file too', async () => {
    await withServer({}, async (server, outdir) => {
      await mkdir(outdir, { recursive: true });
      const secret = path.join(path.dirname(outdir), 'secret.txt');
      await writeFile(secret, 'secret');
      await writeFile(path.join(outdir, '.env'), 'TOKEN=1');
      await writeFile(path.join(outdir, 'notes.html'), 'mine');
      await symlink(secret, path.join(outdir, 'link.html'));
      await runClient(`${server.url}/runCase?case=1&agent=a`);
      await runClient(`${server.url}/updateReports?agent=a`);
      assert.match(await httpGet(server.port, '/reports/index.json'), /^HTTP\/1\.1 200 OK\r\n/);
      assert.match(await httpGet(server.port, '/reports/a_case_1_1_1.html'), /^HTTP\/1\.1 200 OK\r\n/);
      for (const file of ['.env', 'notes.html', 'link.html', '..%2Fsecret.txt', '.index.json.tmp']) {
        const answer = await httpGet(server.port, `/reports/${file}`);
        assert.match(answer, /^HTTP\/1\.1 404 /, file);
        assert.ok(!answer.includes('secret') && !answer.includes('TOKEN') && !answer.includes('mine'), file);
      }
      // A link planted over a file the server wrote is not followed.
      await unlink(path.join(outdir, 'index.json'));
      await symlink(secret, path.join(outdir, 'index.json'));
      const answer = await httpGet(server.port, '/reports/index.json');
      assert.match(answer, /^HTTP\/1\.1 404 /);
      assert.ok(!answer.includes('secret'));
      // The next report replaces the link instead of writing through it.
      await runClient(`${server.url}/updateReports?agent=a`);
      assert.match(await httpGet(server.port, '/reports/index.json'), /^HTTP\/1\.1 200 OK\r\n[^]*"a": \{/);
      assert.equal(existsSync(secret) && (await import('node:fs')).readFileSync(secret, 'utf8'), 'secret');
    });
  });
});

const CHROMIUM = '/usr/bin/chromium';
const noChromium = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}; browser test skipped`;

test('Chromium: a page of another origin cannot run cases, add agents or stop the server', { skip: noChromium, timeout: 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  await withServer({}, async (server) => {
    // The attacker's page: served by a second local HTTP server, on another port (another origin).
    const attack = `<!DOCTYPE html><script>
      const results = [];
      function visit(path) {
        return new Promise((resolve) => {
          const ws = new WebSocket('${server.url}' + path);
          ws.onopen = () => results.push('open ' + path);
          ws.onmessage = (e) => ws.send(e.data);
          ws.onclose = () => resolve();
          ws.onerror = () => results.push('error ' + path);
        });
      }
      (async () => {
        await visit('/runCase?case=1&agent=victim');
        await visit('/updateReports?agent=victim');
        await visit('/stopServer');
        window.done = results;
      })();
    </script>`;
    const page = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(attack));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${(page.address() as { port: number }).port}/`);
      const results = (await tab.waitForFunction(() => (window as unknown as { done?: string[] }).done, null, { timeout: 60_000 })).jsonValue();
      assert.deepEqual(await results, ['error /runCase?case=1&agent=victim', 'error /updateReports?agent=victim', 'error /stopServer']);
      assert.deepEqual(server.results(), []);
      assert.equal(await settled(server.stopRequested), false, 'still running');
      // The server's own page still works in the same browser.
      await tab.goto(`${server.url.replace('ws:', 'http:')}/test_browser.html`);
      const opened = await tab.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url + '/getCaseCount');
            ws.onmessage = (e) => resolve(String(e.data));
            ws.onerror = () => resolve('error');
          }),
        server.url,
      );
      assert.equal(opened, '1');
    } finally {
      await browser.close();
      page.close();
    }
  });
});

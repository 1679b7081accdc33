// fuzzingserver against hostile clients (test/peers/clients, one defect each): every report stays
// valid and complete, agents cannot overwrite each other, and no request holds or fills the server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FuzzingServer, FuzzingServerConfig } from '../../src/modes/fuzzingserver.js';
import { runClient } from '../peers/clients/base.js';
import * as longAgentName from '../peers/clients/long-agent-name.js';
import * as collidingAgentNames from '../peers/clients/colliding-agent-names.js';
import * as tooManyAgents from '../peers/clients/too-many-agents.js';
import * as waitsForUnrunCaseStatus from '../peers/clients/waits-for-unrun-case-status.js';
import * as hugePayloadLen from '../peers/clients/huge-payload-len.js';
import * as holdsManyConnections from '../peers/clients/holds-many-connections.js';
import * as pongFlood from '../peers/clients/pong-flood.js';
import * as neverReads from '../peers/clients/never-reads.js';
import { PONGS } from '../peers/pong-flood.js';
import { WIRELOG_MAX_BYTES } from '../../src/fuzz/wirelog.js';
import { withConfiguredFuzzingServer } from '../support/client-run.js';

interface IndexEntry {
  behavior: string;
  reportfile: string;
}
type Index = Record<string, Record<string, IndexEntry>>;

function withServer<T>(overrides: Partial<FuzzingServerConfig>, body: (server: FuzzingServer, outdir: string) => Promise<T>): Promise<T> {
  return withConfiguredFuzzingServer({ cases: ['1.1.1', '1.1.2'], ...overrides }, body);
}

/** index.json parsed, every reportfile present and valid JSON naming its agent, index.html written. */
async function validReport(outdir: string): Promise<Index> {
  const index = JSON.parse(await readFile(path.join(outdir, 'index.json'), 'utf8')) as Index;
  for (const [agent, cases] of Object.entries(index)) {
    for (const [id, entry] of Object.entries(cases)) {
      const page = JSON.parse(await readFile(path.join(outdir, entry.reportfile), 'utf8')) as { agent: string; id: string };
      assert.deepEqual([page.agent, page.id], [agent, id], `${entry.reportfile} holds ${agent} ${id}`);
      const html = await readFile(path.join(outdir, entry.reportfile.replace(/\.json$/, '.html')), 'utf8');
      assert.ok(html.includes(`<b>Case ${id}</b>`), `${entry.reportfile}: its HTML page`);
    }
  }
  assert.ok((await readFile(path.join(outdir, 'index.html'), 'utf8')).endsWith('</html>\n'));
  return index;
}

describe('fuzzingserver against hostile clients', () => {
  test('long-agent-name: a 300-character agent gets its report; index.json keeps the real name', async () => {
    await withServer({}, async (server, outdir) => {
      await longAgentName.run(server.url, [1, 2]);
      const index = await validReport(outdir);
      assert.deepEqual(Object.keys(index), [longAgentName.AGENT]);
      for (const entry of Object.values(index[longAgentName.AGENT]!)) {
        assert.ok(entry.reportfile.length <= 64 + '_case_1_1_1.json'.length, entry.reportfile);
        assert.match(entry.reportfile, /^very_long_agent_x+-[0-9a-f]{8}_case_1_1_\d\.json$/);
      }
    });
  });

  test('colliding-agent-names: Chrome/120, chrome 120, AbC and abc keep four sets of pages', async () => {
    await withServer({}, async (server, outdir) => {
      await collidingAgentNames.run(server.url, [1, 2]);
      const index = await validReport(outdir);
      assert.deepEqual(Object.keys(index).sort(), [...collidingAgentNames.AGENTS].sort());
      const files = Object.values(index).flatMap((cases) => Object.values(cases).map((e) => e.reportfile));
      assert.equal(new Set(files).size, 8, `eight distinct case files: ${files.join(', ')}`);
      // Hidden temporary files never stay behind.
      assert.deepEqual((await readdir(outdir)).filter((f) => f.startsWith('.')), []);
    });
  });

  test('too-many-agents: agents beyond --max-agents are refused with 403; the others still get reports', async () => {
    await withServer({ maxAgents: 3 }, async (server, outdir) => {
      assert.deepEqual(await tooManyAgents.run(server.url, 5), [101, 101, 101, 403, 403]);
      const refused = await runClient(`${server.url}/runCase?case=2&agent=agent-4`);
      assert.match(refused.response, /^HTTP\/1\.1 403 agent limit reached: this server keeps results for at most 3 agents/);
      // A known agent still runs cases, and reports are still updated.
      assert.equal((await runClient(`${server.url}/runCase?case=2&agent=agent-1`)).status, 101);
      assert.equal((await runClient(`${server.url}/updateReports?agent=agent-1`)).status, 101);
      const index = await validReport(outdir);
      assert.deepEqual(Object.keys(index).sort(), ['agent-1', 'agent-2', 'agent-3']);
      assert.deepEqual(Object.keys(index['agent-1']!).sort(), ['1.1.1', '1.1.2']);
    });
  });

  test('waits-for-unrun-case-status: /getCaseStatus for a case nobody runs is closed after the wait bound', async () => {
    await withServer({ statusWaitSeconds: 1 }, async (server) => {
      const run = await waitsForUnrunCaseStatus.run(server.url, 'nobody');
      assert.equal(run.status, 101);
      assert.equal(run.timedOut, false, 'the server closed the connection');
      assert.deepEqual(run.messages, []);
      assert.equal(run.closes[0]?.subarray(2).toString('utf8'), 'no result for this case within 1 s');
    });
  });

  test('waits-for-unrun-case-status: a waiter replaced by a newer one is closed, not left open', async () => {
    await withServer({}, async (server) => {
      let firstOpen!: () => void;
      const firstOpened = new Promise<void>((resolve) => (firstOpen = resolve));
      const first = waitsForUnrunCaseStatus.run(server.url, 'a', firstOpen);
      await firstOpened;
      const second = waitsForUnrunCaseStatus.run(server.url, 'a');
      const replaced = await first;
      assert.equal(replaced.closes[0]?.subarray(2).toString('utf8'), 'replaced by a newer /getCaseStatus request');
      // The second one gets the answer once the case ran.
      assert.equal((await runClient(`${server.url}/runCase?case=1&agent=a`)).status, 101);
      const answered = await second;
      assert.deepEqual(answered.messages.map((m) => m.payload.toString('utf8')), ['{"behavior": "OK"}']);
    });
  });

  test('huge-payload-len: direct commands asking for more than 16 MiB are answered with Close 1008, nothing is sent', async () => {
    await withServer({}, async (server) => {
      for (const command of hugePayloadLen.COMMANDS) {
        const run = await hugePayloadLen.run(server.url, command);
        assert.equal(run.status, 101);
        assert.deepEqual(run.messages, [], command.slice(0, 60));
        const close = run.closes[0]!;
        assert.equal(close.readUInt16BE(0), 1008, command.slice(0, 60));
        assert.match(close.subarray(2).toString('utf8'), /^direct command mode: (payload_len must be an integer 0\.\.16777216|asks for \d+ (payload octets|writes))/);
      }
      // The largest size a case uses still works.
      const run = await hugePayloadLen.run(server.url, '["echo", {"payload": "ab", "payload_len": 16777216}]');
      assert.deepEqual(run.messages.map((m) => m.payload.length), [16 * 1024 * 1024]);
    });
  });

  test('pong-flood: the wire log is cut by size (the page says so), statistics are complete, memory keeps only summaries', async () => {
    await withServer({}, async (server, outdir) => {
      await pongFlood.run(server.url, [1, 2], 'flooder');
      const index = await validReport(outdir);
      assert.deepEqual(Object.keys(index.flooder!), ['1.1.1', '1.1.2']);
      for (const entry of Object.values(index.flooder!)) {
        const json = path.join(outdir, entry.reportfile);
        const page = JSON.parse(await readFile(json, 'utf8')) as { wirelog: unknown[]; rxFrameStats: Record<string, number> };
        assert.ok(page.rxFrameStats['10']! >= PONGS, `${entry.reportfile}: every pong counted (${page.rxFrameStats['10']})`);
        assert.ok(page.wirelog.length < PONGS / 4, `${entry.reportfile}: ${page.wirelog.length} wire-log entries kept`);
        // The wire log's share is bounded by WIRELOG_MAX_BYTES, the observed events by count (10,000): each
        // file stays within 2 MiB (an uncut log made some 15 MB per file).
        for (const file of [json, json.replace(/\.json$/, '.html')]) {
          const size = (await stat(file)).size;
          assert.ok(size < 4 * WIRELOG_MAX_BYTES, `${path.basename(file)}: ${size} octets`);
        }
        const html = await readFile(json.replace(/\.json$/, '.html'), 'utf8');
        assert.match(html, /<b>wsfuzz notes<\/b><br\/><br\/>The wire log was cut at 512 KiB of report text \(after \d+ entries\); \d+ more were not kept \(statistics are complete\)\./);
      }
      // Finished cases were written out as they finished; the server holds only their summaries.
      for (const outcome of server.results()) {
        assert.ok(outcome.filed, `${outcome.result.id} filed`);
        assert.deepEqual([outcome.result.wirelog.length, outcome.result.received.length, outcome.result.httpRequest], [0, 0, '']);
      }
    });
  });

  test('never-reads: connections that never read are dropped once the write backlog of all is over its bound', async () => {
    // 9.1.6 sends one 16 MiB message; eight connections that never read would hold 128 MiB.
    await withServer({ cases: ['9.1.6'] }, async (server, outdir) => {
      const sockets = await Promise.all(Array.from({ length: 8 }, (_, i) => neverReads.open(server.url, 1, `reader-${i}`)));
      try {
        const dropped = () => server.results().filter((o) => /^peer did not read: write backlog/.test(o.result.wasNotCleanReason ?? ''));
        while (dropped().length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
        assert.match(dropped()[0]!.result.wasNotCleanReason!, /^peer did not read: write backlog of all connections over 64 MiB; dropped by wsfuzz$/);
      } finally {
        for (const socket of sockets) socket.destroy();
      }
      while (server.results().length < 8) await new Promise((resolve) => setTimeout(resolve, 50));
      await server.writeReports();
      const index = await validReport(outdir);
      assert.equal(Object.keys(index).length, 8);
    });
  });

  test('holds-many-connections: connections beyond maxConnections get 503 at once; the server keeps serving', async () => {
    await withServer({ maxConnections: 3 }, async (server) => {
      const held = await holdsManyConnections.run(server.port, 5);
      try {
        assert.match(await held.answers[3]!, /^HTTP\/1\.1 503 maximum number of connections reached\r\n/);
        assert.match(await held.answers[4]!, /^HTTP\/1\.1 503 /);
      } finally {
        held.release();
      }
      await Promise.all(held.answers);
      // Once the server has seen the held connections close, it accepts connections again.
      let status: number | null = null;
      for (let attempt = 0; attempt < 100 && status !== 101; attempt++) {
        status = (await runClient(`${server.url}/getCaseCount`)).status;
        if (status !== 101) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(status, 101);
    });
    await assert.rejects(withServer({ options: { maxConnections: -1 } }, async () => undefined), /option 'maxConnections' must be a non-negative integer/);
  });
});

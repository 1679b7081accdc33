// Categories 12 and 13 can fail: UNIMPLEMENTED without the extension, FAILED for corrupted echoes,
// misplaced RSV1 bits and deflate responses the offer does not allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzingClient } from '../../src/modes/fuzzingclient.js';
import { ALL_IDS } from '../../src/cases/index.js';
import { startPeerProcess } from '../support/processes.js';
import type { CaseResult } from '../../src/fuzz/result.js';
import { start as corruptsOneEcho } from '../peers/corrupts-one-echo.js';
import { start as rsv1OnContinuation } from '../peers/rsv1-on-continuation.js';
import { start as responseNotAllowed } from '../peers/deflate-response-not-allowed.js';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { FrameDecoder, Opcode } from '../../src/protocol/frame.js';
import { resultsOf, runProcess, withFuzzingServer } from '../support/client-run.js';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

async function run(url: string, cases: string[]): Promise<CaseResult[]> {
  const result = await runFuzzingClient({
    servers: [{ url, agent: 'peer' }],
    cases,
    excludeCases: [],
    excludeAgentCases: {},
    options: {},
    userAgent: 'wsfuzz-test',
  });
  return result.outcomes.map((o) => o.result);
}

test('a server without permessage-deflate gets UNIMPLEMENTED for every 12.x and 13.x case', async () => {
  const peer = await startPeerProcess('peers/ws-echo-server.js', ['--no-deflate']);
  try {
    const results = await run(peer.url, ['12.*', '13.*']);
    assert.equal(results.length, ALL_IDS.filter((id) => /^1[23]\./.test(id)).length);
    assert.equal(results.length, 216);
    for (const r of results) {
      assert.equal(r.behavior, 'UNIMPLEMENTED', r.id);
      assert.equal(r.behaviorClose, 'OK', r.id);
      assert.equal(r.remoteCloseCode, 1000, r.id);
      assert.equal(r.createWirelog, false, r.id);
      assert.equal(r.trafficStats, null, r.id);
      assert.equal(r.result, 'Actual events differ from any expected.', r.id);
    }
  } finally {
    await peer.stop();
  }
});

test('a corrupted echo fails the case with the SHA-1 of what came back', async () => {
  const peer = await corruptsOneEcho();
  try {
    const [r] = await run(peer.url, ['12.1.3']);
    assert.equal(r!.behavior, 'FAILED');
    assert.match(r!.result, /^Echo'ed message contents differs from what I sent \(got SHA1 [0-9a-f]{40}, expected SHA1 [0-9a-f]{40}\)\.$/);
    assert.equal(r!.behaviorClose, 'OK');
    assert.equal(r!.localCloseCode, 1000);
    assert.equal(r!.trafficStats, null);
  } finally {
    await peer.close();
  }
});

test('RSV1 on a continuation frame fails the connection (1002) and the case', async () => {
  const peer = await rsv1OnContinuation();
  try {
    const [r] = await run(peer.url, ['12.1.1']);
    assert.equal(r!.behavior, 'FAILED');
    assert.equal(r!.failedByMe, true);
    assert.equal(r!.localCloseCode, 1002);
    assert.equal(r!.localCloseReason, 'received continuation data frame with compress bit set [permessage-deflate]');
  } finally {
    await peer.close();
  }
});

test('a deflate response with parameters the offer does not allow fails the handshake', async () => {
  for (const extensions of ['permessage-deflate; server_max_window_bits=16', 'permessage-deflate; client_no_context_takeover; x_unknown=1']) {
    const peer = await responseNotAllowed(extensions);
    try {
      const [r] = await run(peer.url, ['13.3.1']);
      assert.equal(r!.behavior, 'FAILED', extensions);
      assert.equal(r!.behaviorClose, 'FAILED', extensions);
      assert.equal(r!.resultClose, 'The WebSocket opening handshake was never completed!', extensions);
      assert.equal(r!.wasNotCleanReason, 'WebSocket permessage-compress extension response from server denied by client', extensions);
    } finally {
      await peer.close();
    }
  }
});

test('the echo of a correct peer passes, compressed as negotiated', async () => {
  const peer = await startPeerProcess('peers/ws-echo-server.js');
  try {
    const results = await run(peer.url, ['12.2.1', '12.4.3', '13.5.2', '13.7.11']);
    for (const r of results) {
      assert.equal(r.behavior, 'OK', `${r.id}: ${r.result}`);
      assert.equal(r.behaviorClose, 'OK', r.id);
      assert.ok(r.trafficStats, r.id);
      assert.equal(r.trafficStats!.outgoingWebSocketMessages, 1000, r.id);
      assert.ok(r.trafficStats!.outgoingCompressionRatio!.value < 1.2, r.id);
    }
  } finally {
    await peer.stop();
  }
});

test('rows that differ only in fragmentation put the same compressed messages on the wire (compressed once, shared)', async () => {
  // A `ws` echo server whose raw input is tapped: per connection, each message's compressed payload.
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: true });
  const received: Buffer[][] = [];
  wss.on('connection', (ws, req) => {
    const messages: Buffer[] = [];
    received.push(messages);
    const decoder = new FrameDecoder();
    let opcode = 0;
    let fin = true;
    let parts: Buffer[] = [];
    // Ahead of ws's own listener, which unmasks the received chunks in place.
    req.socket.prependListener('data', (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) {
        if (ev.type === 'header') {
          if (ev.header.opcode !== Opcode.CONTINUATION) opcode = ev.header.opcode;
          fin = ev.header.fin;
        } else if (ev.type === 'payload') {
          if (opcode === Opcode.TEXT || opcode === Opcode.BINARY) parts.push(Buffer.from(ev.data));
        } else if ((opcode === Opcode.TEXT || opcode === Opcode.BINARY) && fin) {
          messages.push(Buffer.concat(parts));
          parts = [];
        }
      }
    });
    ws.on('message', (data, binary) => ws.send(data, { binary }));
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  try {
    const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    // 12.1.6: 1000 JSON messages of 8192 octets, unfragmented; 12.1.11: the same, in 256-octet frames.
    const results = await run(url, ['12.1.6', '12.1.11']);
    for (const r of results) assert.equal(r.behavior, 'OK', `${r.id}: ${r.result}`);
    const [a, b] = received;
    assert.equal(a!.length, 1000);
    assert.equal(b!.length, 1000);
    const differ = a!.findIndex((m, k) => !m.equals(b![k]!));
    assert.equal(differ, -1, `message ${differ}: ${a![differ]?.length} vs ${b![differ]?.length} octets`);
  } finally {
    await new Promise((resolve) => wss.close(resolve));
  }
});

test('fuzzingserver: the ws client passes rows that share their compressed messages', async () => {
  const driver = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'ws-client-driver.js');
  await withFuzzingServer(['12.3.6', '12.3.11', '13.2.7', '13.2.12'], async (server) => {
    assert.equal(await runProcess(driver, [server.url, 'ws']), 0);
    const results = resultsOf(server, 'ws');
    assert.equal(results.length, 4);
    for (const r of results) assert.equal(r.behavior, 'OK', `${r.id}: ${r.result}`);
  });
});

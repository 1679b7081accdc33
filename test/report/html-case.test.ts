// The per-case HTML page (docs/reports.md, Per-case HTML and Wire-log rendering) and the report writer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CaseOutcome, CaseResult } from '../../src/fuzz/result.js';
import type { CloseVerdict } from '../../src/fuzz/verdicts.js';
import { payloadText, WireLog, type WireLogEntry } from '../../src/fuzz/wirelog.js';
import { CLOSING_BEHAVIOR_ROWS, caseNeighbours, caseTitleStyle, renderCasePage, wireLogLines } from '../../src/report/html-case.js';
import { writeReports, type ReportMeta } from '../../src/report/write.js';

const META: ReportMeta = { product: 'wsfuzz/0.1.0', generatedAt: new Date('2026-01-11T08:01:00.000Z') };

const REQUEST =
  'GET /runCase?case=29&agent=wspp HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: Rt2kcGZfqj6jRBnxJLKJng==\r\nSec-WebSocket-Version: 13\r\n\r\n';
const RESPONSE =
  'HTTP/1.1 101 Switching Protocols\r\nServer: wsfuzz/0.1.0\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Accept: ccb/6LMk1U4pOSshL+9zPYVgldk=\r\n\r\n';

/** A server-role 3.2 result shaped like one of the seed reports. */
function makeResult(overrides: Partial<CaseResult> = {}): CaseResult {
  const log = new WireLog();
  log.rxOctets(Buffer.from(REQUEST, 'latin1'));
  log.txOctets(Buffer.from(RESPONSE, 'latin1'), false);
  log.txFrame(Buffer.from('Hello, world!'), 1, true, 0, null, null, null, false);
  log.txOctets(Buffer.from('810d48656c6c6f2c20776f726c6421', 'hex'), false);
  log.marker(['KL', 1]);
  log.rxOctets(Buffer.from('818d8d0079e1c565158de22c5996e2721585ac88829e5150e09dbb', 'hex'));
  log.rxFrame(13, Buffer.from('Hello, world!'), 1, true, 0, true, Buffer.from('8d0079e1', 'hex'));
  return {
    agent: 'wspp',
    behavior: 'OK',
    behaviorClose: 'OK',
    case: 29,
    closedByMe: false,
    createStats: true,
    createWirelog: true,
    description: 'Send small text message, then send again with <b>RSV = 2</b>, then send Ping.',
    expectation: 'Echo for first message is received, but then connection is failed immediately.<br><br>The Pong is not received.',
    droppedByMe: true,
    duration: 1,
    expected: { OK: [['message', payloadText(Buffer.from('Hello, world!')), false]], 'NON-STRICT': [] },
    expectedClose: { closedByMe: false, closeCode: [1002], requireClean: false },
    failedByMe: false,
    httpRequest: REQUEST,
    httpResponse: RESPONSE,
    id: '3.2',
    isServer: true,
    localCloseCode: 1000,
    localCloseReason: null,
    received: [['message', payloadText(Buffer.from('Hello, world!')), false]],
    remoteCloseCode: 1002,
    remoteCloseReason: null,
    reportCompressionRatio: false,
    reportTime: false,
    result: 'Actual events match at least one expected.',
    resultClose: 'Connection was properly closed',
    rxFrameStats: log.rxFrameStats,
    rxOctetStats: log.rxOctetStats,
    started: '2026-01-11T08:00:39.867Z',
    trafficStats: null,
    txFrameStats: log.txFrameStats,
    txOctetStats: log.txOctetStats,
    wasClean: true,
    wasCloseHandshakeTimeout: false,
    wasNotCleanReason: null,
    wasOpenHandshakeTimeout: false,
    wasServerConnectionDropTimeout: false,
    wirelog: log.entries,
    ...overrides,
  };
}

function page(overrides: Partial<CaseResult> = {}, notes: string[] = []): string {
  return renderCasePage({ result: makeResult(overrides), notes }, META);
}

function indexOfAll(haystack: string, needles: readonly string[]): number[] {
  return needles.map((n) => {
    const i = haystack.indexOf(n);
    assert.ok(i >= 0, `missing: ${n}`);
    return i;
  });
}

test('document frame: doctype, charset, two stylesheets, top anchor, trailing newline', () => {
  const html = page();
  assert.ok(html.startsWith('<!DOCTYPE html>\n'));
  assert.ok(html.includes('<meta charset="utf-8" />'));
  assert.equal(html.match(/<style lang="css">/g)?.length, 2);
  assert.ok(html.includes('<a name="top"></a>'));
  assert.ok(html.includes('wsfuzz WebSocket conformance report'));
  assert.ok(!html.includes('autobahn.ws'));
  assert.ok(html.endsWith('</body>\n</html>\n'));
});

test('title line: AGENT - Case X : Result - N ms @ TIMESTAMP, well-formed', () => {
  const html = page();
  assert.ok(
    html.includes(
      '<p class="case case_ok">wspp - <span style="font-size: 1.3em;"><b>Case 3.2</b></span> : Pass - ' +
        '<span style="font-size: 0.9em;"><b>1</b> ms @ 2026-01-11T08:00:39.867Z</span></p>',
    ),
  );
  assert.ok(!html.includes('</a></p>'));
});

test('title label and class per behavior; UNIMPLEMENTED has its own', () => {
  assert.deepEqual(caseTitleStyle('OK'), { label: 'Pass', cssClass: 'case_ok' });
  assert.deepEqual(caseTitleStyle('NON-STRICT'), { label: 'Non-Strict', cssClass: 'case_non_strict' });
  assert.deepEqual(caseTitleStyle('INFORMATIONAL'), { label: 'Informational', cssClass: 'case_info' });
  assert.deepEqual(caseTitleStyle('UNIMPLEMENTED'), { label: 'Unimplemented', cssClass: 'case_unimplemented' });
  assert.deepEqual(caseTitleStyle('FAILED'), { label: 'Fail', cssClass: 'case_failed' });
  assert.deepEqual(caseTitleStyle('NO_CLOSE'), { label: 'Fail', cssClass: 'case_failed' });
  const html = page({ behavior: 'UNIMPLEMENTED', id: '12.1.1' });
  assert.ok(html.includes('<p class="case case_unimplemented">wspp - <span style="font-size: 1.3em;"><b>Case 12.1.1</b></span> : Unimplemented - '));
});

test('sections appear in the original order', () => {
  const html = page();
  const positions = indexOfAll(html, [
    '<p class="case case_ok">',
    '<p class="case_text_block case_desc"><b>Case Description</b><br/><br/>',
    '<p class="case_text_block case_expect"><b>Case Expectation</b><br/><br/>',
    '<p class="case_text_block case_outcome"><b>Case Outcome</b><br/><br/>',
    '<p class="case_text_block case_closing_beh"><b>Case Closing Behavior</b><br/><br/>',
    '<h2>Opening Handshake</h2>',
    '<h2>Closing Behavior</h2>',
    '<h2>Wire Statistics</h2>',
    '<h3>Octets Received by Chop Size</h3>',
    '<h3>Octets Transmitted by Chop Size</h3>',
    '<h3>Frames Received by Opcode</h3>',
    '<h3>Frames Transmitted by Opcode</h3>',
    '<h2>Wire Log</h2>',
    '<div id="wirelog">',
  ]);
  assert.deepEqual(positions, [...positions].sort((x, y) => x - y));
});

test('description and expectation are wsfuzz HTML, inserted as is', () => {
  const html = page();
  assert.ok(html.includes('then send again with <b>RSV = 2</b>, then send Ping.</p>'));
  assert.ok(html.includes('failed immediately.<br><br>The Pong is not received.</p>'));
});

test('outcome block: result, Expected and Observed as (escaped) Python reprs', () => {
  const html = page();
  const q = (s: string): string => s.replaceAll("'", '&#39;');
  assert.ok(
    html.includes(
      'Actual events match at least one expected.<br/><br/><i>Expected:</i><br/><span class="case_pickle">' +
        q("{'OK': [('message', u'Hello, world!', False)], 'NON-STRICT': []}") +
        '</span><br/><br/><i>Observed:</i><br><span class="case_pickle">' +
        q("[('message', u'Hello, world!', False)]") +
        '</span></p>',
    ),
  );
});

test('the Expected repr is limited to 1000 characters', () => {
  const many = Array.from({ length: 40 }, () => ['message', payloadText(Buffer.alloc(100, 0x2a)), false] as ['message', ReturnType<typeof payloadText>, boolean]);
  const html = page({ expected: { OK: many } });
  const span = /<i>Expected:<\/i><br\/><span class="case_pickle">(.*?)<\/span>/.exec(html)![1]!;
  const text = span.replaceAll('&#39;', "'");
  assert.equal(text.length, 1000);
  assert.ok(text.endsWith(' ...'));
});

test('closing behaviour sentence: resultClose (behaviorClose)', () => {
  assert.ok(page().includes('<b>Case Closing Behavior</b><br/><br/>Connection was properly closed (OK)</p>\n<br/><hr/>'));
  const wrong = page({ behavior: 'FAILED', behaviorClose: 'WRONG CODE', resultClose: 'The close code should have been 1002 or empty' });
  assert.ok(wrong.includes('The close code should have been 1002 or empty (WRONG CODE)</p>'));
});

test('opening handshake dumps are trimmed', () => {
  const html = page();
  assert.ok(html.includes('<pre class="http_dump">GET /runCase?case=29&amp;agent=wspp HTTP/1.1\r\n'));
  assert.ok(html.includes('Sec-WebSocket-Version: 13</pre>'));
  assert.ok(html.includes('<pre class="http_dump">HTTP/1.1 101 Switching Protocols\r\n'));
  assert.ok(html.includes('Sec-WebSocket-Accept: ccb/6LMk1U4pOSshL+9zPYVgldk=</pre>\n<br/><hr/>'));
  assert.ok(page({ httpRequest: '?', httpResponse: '?' }).includes('<pre class="http_dump">?</pre>\n<pre class="http_dump">?</pre>'));
});

test('Closing Behavior table: header, 13 rows in order with Python values, then <br/><hr/> on the same line', () => {
  const html = page({ wasNotCleanReason: 'peer dropped the TCP connection without previous WebSocket closing handshake' });
  assert.ok(html.includes('<tr class="stats_header"><td>Key</td><td class="left">Value</td><td class="left">Description</td></tr>'));
  const rows = [...html.matchAll(/<tr class="stats_row"><td>(\w+)<\/td><td class="left">(.*?)<\/td><td class="left">(.*?)<\/td><\/tr>/g)];
  assert.deepEqual(
    rows.map((m) => m[1]),
    CLOSING_BEHAVIOR_ROWS.map(([key]) => key),
  );
  assert.equal(rows.length, 13);
  const values = Object.fromEntries(rows.map((m) => [m[1], m[2]]));
  assert.equal(values.isServer, 'True');
  assert.equal(values.closedByMe, 'False');
  assert.equal(values.wasNotCleanReason, 'peer dropped the TCP connection without previous WebSocket closing handshake');
  assert.equal(values.localCloseCode, '1000');
  assert.equal(values.localCloseReason, 'None');
  assert.equal(values.remoteCloseCode, '1002');
  assert.equal(rows[2]![3], 'True, iff I have failed the WS connection (i.e. due to protocol error). Failing can be either by initiating closing handshake or brutal drop TCP.');
  assert.equal(rows[6]![3], "When we are a client, and we expected the server to drop the TCP, but that didn't happen in time, this gets True.");
  assert.ok(html.includes('</table><br/><hr/>\n<h2>Wire Statistics</h2>'));
});

test('wire statistics: rows by ascending size/opcode with octet products and totals', () => {
  const html = page();
  const rxOctets = html.slice(html.indexOf('<h3>Octets Received by Chop Size</h3>'), html.indexOf('<h3>Octets Transmitted by Chop Size</h3>'));
  const requestSize = Buffer.byteLength(REQUEST);
  assert.ok(requestSize > 27);
  assert.ok(rxOctets.includes('<tr class="stats_header"><td>Chop Size</td><td>Count</td><td>Octets</td></tr>'));
  assert.ok(
    rxOctets.includes(
      `<tr class="stats_row"><td>27</td><td>1</td><td>27</td></tr>\n<tr class="stats_row"><td>${requestSize}</td><td>1</td><td>${requestSize}</td></tr>\n` +
        `<tr class="stats_total"><td>Total</td><td>2</td><td>${requestSize + 27}</td></tr>`,
    ),
  );
  const txFrames = html.slice(html.indexOf('<h3>Frames Transmitted by Opcode</h3>'), html.indexOf('<h2>Wire Log</h2>'));
  assert.ok(txFrames.includes('<tr class="stats_header"><td>Opcode</td><td>Count</td></tr>'));
  assert.ok(txFrames.includes('<tr class="stats_row"><td>1</td><td>1</td></tr>\n<tr class="stats_total"><td>Total</td><td>1</td></tr>'));
  assert.ok(txFrames.includes('</table>\n<br/><hr/>'));
  const repeated = page({ txOctetStats: new Map([[4, 3], [2, 5]]) });
  assert.ok(
    repeated.includes(
      '<tr class="stats_row"><td>2</td><td>5</td><td>10</td></tr>\n<tr class="stats_row"><td>4</td><td>3</td><td>12</td></tr>\n' +
        '<tr class="stats_total"><td>Total</td><td>8</td><td>22</td></tr>',
    ),
  );
  const empty = page({ rxFrameStats: new Map() });
  assert.ok(empty.includes('<h3>Frames Received by Opcode</h3>\n<table class="stats">\n<tr class="stats_header"><td>Opcode</td><td>Count</td></tr>\n<tr class="stats_total"><td>Total</td><td>0</td></tr>'));
  assert.ok(page({ createStats: false }).includes('Statistics for octets/frames disabled!'));
});

test('wire log of the spec example (client role, case 1.1.1), line for line', () => {
  const request = Buffer.from('GET / HTTP/1.1\r\nUser-Agent: wsfuzz/0.1.0\r\nHost: 127.0.0.1:9001\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n\r\n');
  const response = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n');
  const log = new WireLog();
  log.txOctets(request, false);
  log.rxOctets(response);
  log.txFrame(Buffer.alloc(0), 1, true, 0, Buffer.from('bea008ff', 'hex'), null, null, false);
  log.txOctets(Buffer.from('8180bea008ff', 'hex'), false);
  log.marker(['KL', 1]);
  log.rxOctets(Buffer.from('8100', 'hex'));
  log.rxFrame(0, Buffer.alloc(0), 1, true, 0, false, null);
  log.txFrame(Buffer.from('03e8', 'hex'), 8, true, 0, Buffer.from('385933de', 'hex'), null, null, false);
  log.txOctets(Buffer.from('8882385933de3bb1', 'hex'), false);
  log.rxOctets(Buffer.from('880203e8', 'hex'));
  log.rxFrame(2, Buffer.from('03e8', 'hex'), 8, true, 0, false, null);
  const reqHex = request.subarray(0, 64).toString('hex');
  const respHex = response.subarray(0, 64).toString('hex');
  const indent = ' '.repeat(15);
  assert.deepEqual(
    wireLogLines(log.entries, false).map((l) => l.text),
    [
      `000 TX OCTETS: ${reqHex.slice(0, 100)}`,
      `${indent}${reqHex.slice(100)} ...`,
      `001 RX OCTETS: ${respHex.slice(0, 100)}`,
      `${indent}${respHex.slice(100)} ...`,
      '002 TX FRAME : OPCODE=1, FIN=True, RSV=0, PAYLOAD-LEN=0, MASK=bea008ff, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=None, SYNC=False',
      '003 TX OCTETS: 8180bea008ff',
      '004 FAIL CONNECTION AFTER 1.000000 sec',
      '005 RX OCTETS: 8100',
      '006 RX FRAME : OPCODE=1, FIN=True, RSV=0, PAYLOAD-LEN=0, MASKED=False, MASK=None',
      '007 TX FRAME : OPCODE=8, FIN=True, RSV=0, PAYLOAD-LEN=2, MASK=385933de, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=None, SYNC=False',
      `${indent}0x03e8`,
      '008 TX OCTETS: 8882385933de3bb1',
      '009 RX OCTETS: 880203e8',
      '010 RX FRAME : OPCODE=8, FIN=True, RSV=0, PAYLOAD-LEN=2, MASKED=False, MASK=None',
      `${indent}0x03e8`,
      '011 TCP DROPPED BY PEER',
    ],
  );
  assert.equal(reqHex.slice(100).length, 28);
});

test('wire log: RX mask as plain 8 hex digits, payload below the header', () => {
  const lines = wireLogLines(makeResult().wirelog, true);
  const rxFrame = lines.findIndex((l) => l.cssClass === 'wirelog_rx_frame');
  assert.equal(lines[rxFrame]!.text, '006 RX FRAME : OPCODE=1, FIN=True, RSV=0, PAYLOAD-LEN=13, MASKED=True, MASK=8d0079e1');
  assert.deepEqual(lines[rxFrame + 1], { cssClass: 'wirelog_rx_frame', text: '               Hello, world!' });
  assert.deepEqual(lines.at(-1), { cssClass: 'wirelog_tcp_closed_by_me', text: '007 TCP DROPPED BY ME' });
});

test('wire log: CSS classes and marker lines', () => {
  const entries: WireLogEntry[] = [
    ['TO', [2, '8900'], true],
    ['TO', [2, '8900'], false],
    ['TF', [0, ''], 9, true, 0, null, null, null, true],
    ['TF', [0, ''], 9, true, 0, null, 10, 3, false],
    ['TF', [0, ''], 9, true, 0, null, null, null, false],
    ['WLM', false],
    ['WLM', true],
    ['CT', 0.5, 'A'],
    ['CTE', 'A'],
    ['CT', 1, null],
    ['CTE', null],
    ['KL', 0.5],
    ['KLE'],
    ['TI', 60],
    ['TIE'],
  ];
  assert.deepEqual(wireLogLines(entries, false), [
    { cssClass: 'wirelog_tx_octets_sync', text: '000 TX OCTETS: 8900' },
    { cssClass: 'wirelog_tx_octets', text: '001 TX OCTETS: 8900' },
    {
      cssClass: 'wirelog_tx_frame_sync',
      text: '002 TX FRAME : OPCODE=9, FIN=True, RSV=0, PAYLOAD-LEN=0, MASK=None, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=None, SYNC=True',
    },
    {
      cssClass: 'wirelog_tx_frame_sync',
      text: '003 TX FRAME : OPCODE=9, FIN=True, RSV=0, PAYLOAD-LEN=0, MASK=None, PAYLOAD-REPEAT-LEN=10, CHOPSIZE=3, SYNC=False',
    },
    {
      cssClass: 'wirelog_tx_frame',
      text: '004 TX FRAME : OPCODE=9, FIN=True, RSV=0, PAYLOAD-LEN=0, MASK=None, PAYLOAD-REPEAT-LEN=None, CHOPSIZE=None, SYNC=False',
    },
    { cssClass: 'wirelog_delay', text: '005 WIRELOG DISABLED' },
    { cssClass: 'wirelog_delay', text: '006 WIRELOG ENABLED' },
    { cssClass: 'wirelog_delay', text: '007 DELAY 0.500000 sec for TAG A' },
    { cssClass: 'wirelog_delay', text: '008 DELAY TIMEOUT on TAG A' },
    { cssClass: 'wirelog_delay', text: '009 DELAY 1.000000 sec for TAG None' },
    { cssClass: 'wirelog_delay', text: '010 DELAY TIMEOUT on TAG None' },
    { cssClass: 'wirelog_kill_after', text: '011 FAIL CONNECTION AFTER 0.500000 sec' },
    { cssClass: 'wirelog_kill_after', text: '012 FAILING CONNECTION' },
    { cssClass: 'wirelog_kill_after', text: '013 CLOSE CONNECTION AFTER 60.000000 sec' },
    { cssClass: 'wirelog_kill_after', text: '014 CLOSING CONNECTION' },
    { cssClass: 'wirelog_tcp_closed_by_peer', text: '015 TCP DROPPED BY PEER' },
  ]);
});

test('wire log: numbers widen past 999; empty octet dumps print nothing', () => {
  const entries: WireLogEntry[] = Array.from({ length: 1001 }, () => ['KLE'] as WireLogEntry);
  const lines = wireLogLines(entries, false);
  assert.equal(lines[999]!.text, '999 FAILING CONNECTION');
  assert.equal(lines[1000]!.text, '1000 FAILING CONNECTION');
  assert.equal(lines[1001]!.text, '1001 TCP DROPPED BY PEER');
  assert.deepEqual(wireLogLines([['RO', [0, '']]], false), [{ cssClass: 'wirelog_tcp_closed_by_peer', text: '001 TCP DROPPED BY PEER' }]);
});

test('wire log in the page: one <pre> per line, disabled-log note', () => {
  const html = page();
  assert.ok(html.includes('<pre class="wirelog_rx_frame">006 RX FRAME : OPCODE=1, FIN=True, RSV=0, PAYLOAD-LEN=13, MASKED=True, MASK=8d0079e1</pre>\n<pre class="wirelog_rx_frame">               Hello, world!</pre>'));
  assert.ok(html.includes('<pre class="wirelog_tcp_closed_by_me">007 TCP DROPPED BY ME</pre>\n</div>\n<br/><hr/>\n</body>'));
  assert.ok(!html.includes('Wire log after handshake disabled!'));
  assert.ok(page({ createWirelog: false }).includes('<h2>Wire Log</h2>\n<p class="warning">Wire log after handshake disabled!</p>\n<div id="wirelog">'));
});

test('wsfuzz notes appear only when there are notes', () => {
  assert.ok(!page().includes('wsfuzz notes'));
  const html = page({}, ['The wire log was cut after 100000 entries; 5 more were not kept (statistics are complete).', 'second <note>']);
  assert.ok(
    html.includes(
      '<p class="case_text_block case_notes"><b>wsfuzz notes</b><br/><br/>The wire log was cut after 100000 entries; 5 more were not kept (statistics are complete).<br/>second &lt;note&gt;</p>',
    ),
  );
});

test('everything from the peer is escaped: no markup injection', () => {
  const evil = '<script>alert(1)</script>';
  const log = new WireLog();
  log.rxOctets(Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nServer: ${evil}\r\n\r\n`));
  log.rxFrame(evil.length, Buffer.from(evil), 1, true, 0, false, null);
  log.rxFrame(evil.length + 2, Buffer.concat([Buffer.from('03e8', 'hex'), Buffer.from(evil)]), 8, true, 0, false, null);
  const html = page({
    agent: evil,
    httpRequest: `GET /?agent=${evil} HTTP/1.1\r\n\r\n`,
    httpResponse: `HTTP/1.1 101 Switching Protocols\r\nServer: ${evil}\r\nX-Other: "quoted' & <img src=x onerror=alert(2)>\r\n\r\n`,
    received: [['message', payloadText(Buffer.from(evil)), false], ['pong', payloadText(Buffer.from(evil))]],
    remoteCloseReason: evil,
    wasNotCleanReason: evil,
    localCloseReason: evil,
    result: `Frames transmitted ${evil}`,
    resultClose: evil,
    behaviorClose: evil as CloseVerdict, // not possible by type; escaped all the same
    started: evil,
    wirelog: log.entries,
  });
  assert.ok(!/<script/i.test(html), 'raw <script> in the page');
  assert.ok(!/<img/i.test(html), 'raw <img> in the page');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  // The text frame's payload is shown under its header, escaped.
  assert.ok(html.includes('<pre class="wirelog_rx_frame">               &lt;script&gt;alert(1)&lt;/script&gt;</pre>'));
});

test('writeReports writes <base>.json, <base>.html, index.json and index.html', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wsfuzz-report-'));
  try {
    const outcomes: CaseOutcome[] = [{ result: makeResult({ agent: 'My Server/1.0' }), notes: [] }];
    const written = await writeReports(dir, outcomes, META);
    assert.equal(written.files, 4);
    assert.ok((await readFile(path.join(dir, 'my_server_1_0_case_3_2.html'), 'utf8')).includes('<span>&#9664; first case</span><a href="index.html">Index</a><span>last case &#9654;</span>'));
    assert.equal(written.indexHtml, path.join(dir, 'index.html'));
    assert.deepEqual((await readdir(dir)).sort(), ['index.html', 'index.json', 'my_server_1_0_case_3_2.html', 'my_server_1_0_case_3_2.json']);
    const caseHtml = await readFile(path.join(dir, 'my_server_1_0_case_3_2.html'), 'utf8');
    assert.ok(caseHtml.includes('My Server/1.0 - <span style="font-size: 1.3em;"><b>Case 3.2</b></span>'));
    const indexHtml = await readFile(path.join(dir, 'index.html'), 'utf8');
    assert.ok(indexHtml.includes('<td class="case_ok"><a href="my_server_1_0_case_3_2.html">Pass</a></td>'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('writeReports: every navigation link of a case page points to a page it wrote', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wsfuzz-report-'));
  try {
    const outcomes: CaseOutcome[] = [
      ...['3.2', '1.1.1', '7.1.1'].map((id) => ({ result: makeResult({ agent: 'a', id }), notes: [] })),
      ...['3.2', '2.1'].map((id) => ({ result: makeResult({ agent: 'b', id }), notes: [] })),
    ];
    await writeReports(dir, outcomes, META);
    const files = new Set(await readdir(dir));
    const nav = async (file: string) => {
      const html = await readFile(path.join(dir, file), 'utf8');
      const links = [.../<p class="case_nav">(.*)<\/p>/.exec(html)![1]!.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      for (const link of links) assert.ok(files.has(link), `${file} links ${link}`);
      return links;
    };
    assert.deepEqual(await nav('a_case_1_1_1.html'), ['index.html', 'a_case_3_2.html']);
    assert.deepEqual(await nav('a_case_3_2.html'), ['a_case_1_1_1.html', 'index.html', 'a_case_7_1_1.html']);
    assert.deepEqual(await nav('a_case_7_1_1.html'), ['a_case_3_2.html', 'index.html']);
    assert.deepEqual(await nav('b_case_2_1.html'), ['index.html', 'b_case_3_2.html']);
    assert.deepEqual(await nav('b_case_3_2.html'), ['b_case_2_1.html', 'index.html']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("neighbours: the same agent's previous and next case present, in catalogue order", () => {
  const ids = (agent: string, list: string[]) => list.map((id) => ({ agent, id }));
  const of = caseNeighbours([...ids('a', ['2.10', '1.1.2', '2.2', '10.1.1', '2.2']), ...ids('b', ['1.1.1', '2.3'])]);
  // `stem`: the agent's report file name stem, for the links (report/naming.ts).
  assert.deepEqual(of('a', '1.1.2'), { next: '2.2', stem: 'a' });
  assert.deepEqual(of('a', '2.2'), { previous: '1.1.2', next: '2.10', stem: 'a' });
  assert.deepEqual(of('a', '2.10'), { previous: '2.2', next: '10.1.1', stem: 'a' });
  assert.deepEqual(of('a', '10.1.1'), { previous: '2.10', stem: 'a' });
  assert.deepEqual(of('b', '1.1.1'), { next: '2.3', stem: 'b' });
  assert.deepEqual(of('b', '2.2'), {}, 'a case the agent does not have');
  assert.deepEqual(of('c', '1.1.1'), {});
});

test("neighbours of agents whose file names would collide link each agent's own pages", () => {
  const of = caseNeighbours([{ agent: 'AbC', id: '1.1.1' }, { agent: 'AbC', id: '1.1.2' }, { agent: 'abc', id: '1.1.1' }, { agent: 'abc', id: '1.1.2' }]);
  const upper = renderCasePage({ result: makeResult({ agent: 'AbC', id: '1.1.1' }), notes: [] }, META, of('AbC', '1.1.1'));
  const lower = renderCasePage({ result: makeResult({ agent: 'abc', id: '1.1.1' }), notes: [] }, META, of('abc', '1.1.1'));
  const next = (html: string) => /<a href="([^"]+)" rel="next">/.exec(html)![1];
  assert.match(next(upper)!, /^abc-[0-9a-f]{8}_case_1_1_2\.html$/);
  assert.match(next(lower)!, /^abc-[0-9a-f]{8}_case_1_1_2\.html$/);
  assert.notEqual(next(upper), next(lower));
});

test('navigation line: previous case, index, next case; greyed where there is none', () => {
  const html = renderCasePage({ result: makeResult({ agent: 'My Server/1.0' }), notes: [] }, META, { previous: '2.10', next: '4.1.1' });
  assert.ok(
    html.includes(
      '<p class="case_nav"><a href="my_server_1_0_case_2_10.html" rel="prev">&#9664; Case 2.10</a><a href="index.html">Index</a>' +
        '<a href="my_server_1_0_case_4_1_1.html" rel="next">Case 4.1.1 &#9654;</a></p>\n<p class="case case_ok">',
    ),
  );
  const alone = page();
  assert.ok(alone.includes('<p class="case_nav"><span>&#9664; first case</span><a href="index.html">Index</a><span>last case &#9654;</span></p>'));
});

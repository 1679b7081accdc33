// index.html: summary matrix, cells, category rows, toggle script, case descriptions (docs/reports.md, index.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ALL_CASES } from '../../src/cases/index.js';
import { ReportFloat, type TrafficStats } from '../../src/fuzz/traffic.js';
import { agentCounts, closeCellStyle, durationDetail, mainCellStyle, renderIndexPage, resultCells } from '../../src/report/html-index.js';
import { INDEX_CSS } from '../../src/report/html.js';
import type { ReportMeta } from '../../src/report/write.js';
import { minimalResult as result } from '../support/minimal-result.js';

const META: ReportMeta = { product: 'wsfuzz/0.1.0', generatedAt: new Date('2025-01-02T03:04:05.678Z') };

function traffic(incoming: number | null, outgoing: number | null): TrafficStats {
  const f = (v: number | null): ReportFloat | null => (v === null ? null : new ReportFloat(v));
  return {
    incomingCompressionRatio: f(incoming),
    incomingOctetsAppLevel: 0,
    incomingOctetsWebSocketLevel: 0,
    incomingOctetsWireLevel: 0,
    incomingWebSocketFrames: 0,
    incomingWebSocketMessages: 0,
    incomingWebSocketOverhead: null,
    outgoingCompressionRatio: f(outgoing),
    outgoingOctetsAppLevel: 0,
    outgoingOctetsWebSocketLevel: 0,
    outgoingOctetsWireLevel: 0,
    outgoingWebSocketFrames: 0,
    outgoingWebSocketMessages: 0,
    outgoingWebSocketOverhead: null,
    preopenIncomingOctetsWireLevel: 0,
    preopenOutgoingOctetsWireLevel: 0,
  };
}

/** The <tr> of one case in a rendered page. */
function caseRow(html: string, id: string): string {
  const start = html.search(new RegExp(`<tr class="agent_case_result_row(?: has_failure)?"><td class="case"><a href="#case_desc_${id.replaceAll('.', '_')}">Case ${id.replaceAll('.', '\\.')}</a></td>`));
  assert.ok(start >= 0, `no row for ${id}`);
  return html.slice(start, html.indexOf('</tr>', start) + 5);
}

/** A subcategory row as rendered: the title in a width-bounded block. */
const subRow = (colspan: number, text: string): string =>
  `<tr class="case_subcategory_row"><td class="case_subcategory" colspan="${colspan}"><div class="subcategory_title">${text}</div></td></tr>`;

const count = (html: string, needle: string | RegExp): number =>
  typeof needle === 'string' ? html.split(needle).length - 1 : (html.match(needle) ?? []).length;

test('main cell per behavior', () => {
  assert.deepEqual(mainCellStyle('OK'), { text: 'Pass', cssClass: 'case_ok' });
  assert.deepEqual(mainCellStyle('NON-STRICT'), { text: 'Non-Strict', cssClass: 'case_non_strict' });
  assert.deepEqual(mainCellStyle('NO_CLOSE'), { text: 'No Close', cssClass: 'case_no_close' });
  assert.deepEqual(mainCellStyle('INFORMATIONAL'), { text: 'Info', cssClass: 'case_info' });
  assert.equal(mainCellStyle('UNIMPLEMENTED'), null);
  assert.deepEqual(mainCellStyle('FAILED'), { text: 'Fail', cssClass: 'case_failed' });
});

test('close cell per behaviorClose', () => {
  assert.deepEqual(closeCellStyle('OK', 1000), { text: '1000', cssClass: 'case_ok' });
  assert.deepEqual(closeCellStyle('OK', null), { text: 'None', cssClass: 'case_ok' });
  assert.deepEqual(closeCellStyle('FAILED BY CLIENT', 1000), { text: '1000', cssClass: 'case_almost' });
  assert.deepEqual(closeCellStyle('WRONG CODE', 1003), { text: '1003', cssClass: 'case_non_strict' });
  assert.deepEqual(closeCellStyle('UNCLEAN', 1000), { text: 'Unclean', cssClass: 'case_failed' });
  assert.deepEqual(closeCellStyle('INFORMATIONAL', 1000), { text: '1000', cssClass: 'case_info' });
  assert.deepEqual(closeCellStyle('FAILED', 1002), { text: 'Fail', cssClass: 'case_failed' });
});

test('7.9.1 failed with WRONG CODE 1003: Fail linked, close cell 1003 non-strict', () => {
  const r = result('ws', '7.9.1', { behavior: 'FAILED', behaviorClose: 'WRONG CODE', remoteCloseCode: 1003 });
  assert.equal(
    resultCells(r),
    '<td class="case_failed"><a href="ws_case_7_9_1.html">Fail</a></td>' +
      '<td class="close close_hide case_non_strict"><span class="close_code">1003</span></td>',
  );
  const html = renderIndexPage([r], META);
  assert.ok(caseRow(html, '7.9.1').includes(resultCells(r)));
});

test('UNIMPLEMENTED is one merged cell without a link; no result is a merged Missing cell', () => {
  const r = result('ws', '12.1.1', { behavior: 'UNIMPLEMENTED', behaviorClose: 'OK', reportTime: true, reportCompressionRatio: true });
  assert.equal(resultCells(r), '<td class="case_unimplemented close_flex" colspan="2">Unimplemented</td>');
  assert.equal(resultCells(undefined), '<td class="case_missing close_flex" colspan="2">Missing</td>');
  const html = renderIndexPage([r], META);
  assert.ok(!html.includes('ws_case_12_1_1.html'));
  assert.ok(caseRow(html, '12.1.2').includes('<td class="case_missing close_flex" colspan="2">Missing</td>'));
});

test('duration and compression-ratio detail', () => {
  assert.equal(durationDetail(result('ws', '1.1.1')), '');
  assert.equal(durationDetail(result('ws', '9.1.1', { reportTime: true, duration: 279 })), '279 ms');
  const compressed = result('ws', '12.2.1', { reportTime: true, reportCompressionRatio: true, duration: 279, trafficStats: traffic(1, 0.2920625) });
  assert.equal(durationDetail(compressed), '279 ms [1.000/0.292]');
  assert.equal(durationDetail({ ...compressed, trafficStats: traffic(null, 0.0625) }), '279 ms [-/0.062]');
  // Without trafficStats (the case failed) there is no ratio.
  assert.equal(durationDetail({ ...compressed, trafficStats: null }), '279 ms');
  assert.equal(
    resultCells(compressed),
    '<td class="case_ok"><a href="ws_case_12_2_1.html">Pass</a><br/><span class="case_duration">279 ms [1.000/0.292]</span></td>' +
      '<td class="close close_hide case_ok"><span class="close_code">1000</span></td>',
  );
});

test('category 14 rows appear in the index only for the cases that have a result', () => {
  const html = renderIndexPage([result('a', '14.1.1', {}), result('a', '1.1.1', {})], META);
  assert.equal(count(html, '<tr class="agent_case_result_row">'), 518);
  assert.ok(html.includes('Case 14.1.1'));
  assert.ok(!html.includes('Case 14.1.2'));
  assert.ok(html.includes('Opening Handshake'));
});

test('the matrix covers the whole catalogue, with the category and subcategory rows of docs/reports.md, index.html', () => {
  const html = renderIndexPage([], META);
  // Category 14 is opt-in (docs/cases.md, 14 Opening Handshake): its rows appear only with results.
  assert.equal(count(html, '<tr class="agent_case_result_row">'), 517);
  assert.equal(ALL_CASES.filter((c) => !c.id.startsWith('14.')).length, 517);
  // One category row per subcategory in 1, 4, 6, 7, 9, 10, 12, 13 (2+2+23+6+8+1+5+7) plus one each for 2, 3, 5.
  assert.equal(count(html, '<tr class="case_category_row">'), 57);
  assert.equal(count(html, '<tr class="case_subcategory_row">'), 54);
  const rows = html.split('\n').filter((l) => l.startsWith('<tr'));
  const before = (id: string, n: number): string[] => {
    const i = rows.findIndex((l) => l.includes(`>Case ${id}</a>`));
    return rows.slice(i - n, i);
  };
  assert.deepEqual(before('1.1.1', 2), [
    '<tr class="case_category_row"><td class="case_category">1 Framing</td></tr>',
    subRow(1, '1.1 Text Messages'),
  ]);
  assert.deepEqual(before('1.2.1', 2), [
    '<tr class="case_category_row"><td class="case_category">1 Framing</td></tr>',
    subRow(1, '1.2 Binary Messages'),
  ]);
  for (const [first, title] of [['2.1', '2 Pings/Pongs'], ['3.1', '3 Reserved Bits'], ['5.1', '5 Fragmentation']] as const) {
    assert.equal(before(first, 1)[0], `<tr class="case_category_row"><td class="case_category">${title}</td></tr>`);
    assert.equal(count(html, `<td class="case_category">${title}</td>`), 1);
  }
  assert.ok(!/<td class="case_subcategory"[^>]*><div class="subcategory_title">[235]\./.test(html));
  assert.ok(before('2.2', 1)[0]!.includes('>Case 2.1</a>'));
  assert.deepEqual(before('10.1.1', 2), [
    '<tr class="case_category_row"><td class="case_category">10 Misc</td></tr>',
    subRow(1, '10.1 Auto-Fragmentation'),
  ]);
});

test('row sequence for a small catalogue; unknown categories are "Misc"', () => {
  const cases = ['1.1.1', '1.1.2', '1.2.1', '2.1', '2.2', '3.1', '99.1'].map((id) => ({ id, description: `d${id}`, expectation: `e${id}` }));
  const html = renderIndexPage([result('a', '1.1.2')], META, cases);
  const rows = html
    .split('\n')
    .filter((l) => l.startsWith('<tr class="case_') || l.startsWith('<tr class="agent_case'))
    .map((l) => (/<tr class="(\w+)[^"]*">.*?<td class="[\w ]+"[^>]*>(?:<a [^>]*>|<div [^>]*>)?([^<]*)/.exec(l) ?? []).slice(1).join(': '));
  assert.deepEqual(rows, [
    'case_category_row: 1 Framing',
    'case_subcategory_row: 1.1 Text Messages',
    'agent_case_result_row: Case 1.1.1',
    'agent_case_result_row: Case 1.1.2',
    'case_category_row: 1 Framing',
    'case_subcategory_row: 1.2 Binary Messages',
    'agent_case_result_row: Case 1.2.1',
    'case_category_row: 2 Pings/Pongs',
    'agent_case_result_row: Case 2.1',
    'agent_case_result_row: Case 2.2',
    'case_category_row: 3 Reserved Bits',
    'agent_case_result_row: Case 3.1',
    'case_category_row: 99 Misc',
    'agent_case_result_row: Case 99.1',
  ]);
});

test('agents sorted by name: header cells, subcategory colspan, cell order, toggle script', () => {
  const results = [
    result('zeta', '1.1.1', { behavior: 'NON-STRICT' }),
    result('Alpha', '1.1.1', { behavior: 'INFORMATIONAL', behaviorClose: 'INFORMATIONAL', remoteCloseCode: null }),
    result('mid', '1.1.2'),
  ];
  const html = renderIndexPage(results, META);
  assert.ok(
    html.includes(
      '<tr class="case_category_row"><td class="case_category">1 Framing</td>' +
        '<td class="agent close_flex" colspan="2">Alpha</td><td class="agent close_flex" colspan="2">mid</td>' +
        '<td class="agent close_flex" colspan="2">zeta</td></tr>',
    ),
  );
  assert.ok(html.includes(subRow(7, '1.1 Text Messages')));
  assert.equal(
    caseRow(html, '1.1.1'),
    '<tr class="agent_case_result_row"><td class="case"><a href="#case_desc_1_1_1">Case 1.1.1</a></td>' +
      '<td class="case_info"><a href="alpha_case_1_1_1.html">Info</a></td><td class="close close_hide case_info"><span class="close_code">None</span></td>' +
      '<td class="case_missing close_flex" colspan="2">Missing</td>' +
      '<td class="case_non_strict"><a href="zeta_case_1_1_1.html">Non-Strict</a></td><td class="close close_hide case_ok"><span class="close_code">1000</span></td>' +
      '</tr>',
  );
  assert.ok(html.includes('var agents = 3;'));
  assert.ok(html.includes('function toggleClose()'));
  assert.ok(html.includes('<a href="#"><div id="toggle_button" class="unselectable" onclick="toggleClose();">Toggle Details</div></a>'));
});

test('a later result for the same agent and case replaces the earlier one', () => {
  const html = renderIndexPage([result('ws', '2.1', { behavior: 'FAILED' }), result('ws', '2.1')], META);
  assert.ok(caseRow(html, '2.1').includes('<a href="ws_case_2_1.html">Pass</a>'));
});

test('header, legend and case descriptions', () => {
  const html = renderIndexPage([], META);
  assert.ok(
    html.includes(
      '<div id="master_report_header" class="block">\n<p id="intro">Summary report generated on 2025-01-02T03:04:05.678Z (UTC) by ' +
        '<a href="https://github.com/">wsfuzz</a> wsfuzz/0.1.0.</p>',
    ),
  );
  const legend = [...html.matchAll(/<tr><td class="(\w+)">([\w-]+)<\/td><td class="outcome_desc">/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(legend, ['case_ok Pass', 'case_non_strict Non-Strict', 'case_failed Fail', 'case_info Info', 'case_missing Missing']);
  assert.equal(count(html, /<h2>Case [\d.]+<\/h2>/g), 517);
  const sixFive = ALL_CASES.find((c) => c.id === '6.5.1')!;
  assert.ok(sixFive.description.includes('<br>'), 'a description with intended markup');
  assert.ok(
    html.includes(
      '<br/>\n<a name="case_desc_6_5_1"></a>\n<h2>Case 6.5.1</h2>\n<a class="up" href="#top">Up</a>\n' +
        `<p class="case_text_block case_desc"><b>Case Description</b><br/><br/>${sixFive.description}</p>\n` +
        `<p class="case_text_block case_expect"><b>Case Expectation</b><br/><br/>${sixFive.expectation}</p>`,
    ),
  );
  assert.ok(html.includes('</table>\n<br/><hr/>\n<div id="test_case_descriptions">'));
  assert.ok(html.endsWith('</div>\n<br/><hr/>\n</body>\n</html>\n'));
});

test('hostile agent names are escaped in text and cannot break out of attributes', () => {
  const evil = '<script>alert(1)</script>';
  const quoting = '"><img src=x onerror=alert(2)>';
  const html = renderIndexPage([result(evil, '1.1.1'), result(quoting, '1.1.1')], { ...META, product: `wsfuzz/<b>1</b>` });
  // The summary names them escaped, too.
  assert.ok(html.includes('<tr><td class="agent">&lt;script&gt;alert(1)&lt;/script&gt;</td>'));
  // The only script element is the page's own toggle script.
  assert.equal(count(html, /<script/gi), 1);
  assert.ok(!/<img/i.test(html));
  assert.ok(html.includes('<td class="agent close_flex" colspan="2">&lt;script&gt;alert(1)&lt;/script&gt;</td>'));
  assert.ok(html.includes('<td class="agent close_flex" colspan="2">&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</td>'));
  // File names come from cleanAgent: nothing but [a-z0-9_] reaches the href.
  assert.ok(html.includes('<a href="script_alert_1___script_case_1_1_1.html">Pass</a>'));
  assert.ok(html.includes('<a href="img_src_x_onerror_alert_2_case_1_1_1.html">Pass</a>'));
  assert.ok(html.includes('wsfuzz/&lt;b&gt;1&lt;/b&gt;.'));
});

const SMALL = ['1.1.1', '1.1.2', '1.2.1', '2.1', '2.2', '3.1', '12.1.1'].map((id) => ({ id, description: '', expectation: '' }));

test('per-agent counts: main cells by text (Missing for no result), close cells by verdict, failures', () => {
  const results = new Map(
    [
      result('a', '1.1.1'),
      result('a', '1.1.2', { behavior: 'FAILED', behaviorClose: 'UNCLEAN' }),
      result('a', '1.2.1', { behavior: 'NON-STRICT', behaviorClose: 'WRONG CODE', remoteCloseCode: 1003 }),
      result('a', '2.1', { behaviorClose: 'FAILED BY CLIENT' }),
      result('a', '2.2', { behavior: 'INFORMATIONAL', behaviorClose: 'INFORMATIONAL' }),
      result('a', '12.1.1', { behavior: 'UNIMPLEMENTED', behaviorClose: 'OK' }),
    ].map((r) => [r.id, r]),
  );
  const k = agentCounts(SMALL, results);
  assert.deepEqual(Object.fromEntries(k.main), { Pass: 2, Fail: 1, 'Non-Strict': 1, Info: 1, Unimplemented: 1, Missing: 1 });
  // The Unimplemented case has no close cell in the matrix and is not counted among the close cells.
  assert.deepEqual(Object.fromEntries(k.close), { OK: 1, Unclean: 1, 'Wrong code': 1, 'Failed by client': 1, Info: 1 });
  // 1.1.2 (Fail/Unclean) and 1.2.1 (close WRONG CODE) count as failures, as for the exit status.
  assert.equal(k.failing, 2);
  assert.deepEqual(Object.fromEntries(agentCounts(SMALL, undefined).main), { Missing: 7 });
});

test('the summary table above the matrix: one row per agent, counts coloured like the cells, zeros grey', () => {
  const html = renderIndexPage(
    [result('b', '1.1.1'), result('a', '1.1.1', { behavior: 'FAILED', behaviorClose: 'FAILED' }), result('a', '2.1')],
    META,
    SMALL,
  );
  const table = html.slice(html.indexOf('<table id="agent_summary">'), html.indexOf('</table>', html.indexOf('<table id="agent_summary">')));
  assert.ok(html.indexOf('<table id="agent_summary">') < html.indexOf('<table id="agent_case_results">'));
  const headers = [...table.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
  assert.deepEqual(headers, [
    'Agent', 'Cases', 'Closing handshake', 'Failing',
    'Pass', 'Non-Strict', 'Fail', 'Info', 'Unimplemented', 'Missing',
    'OK', 'Failed by client', 'Wrong code', 'Unclean', 'Info', 'Fail',
  ]);
  assert.ok(
    table.includes(
      '<tr><td class="agent">a</td><td class="case_ok">1</td><td class="zero">0</td><td class="case_failed">1</td><td class="zero">0</td>' +
        '<td class="zero">0</td><td class="case_missing">5</td>' +
        '<td class="case_ok">1</td><td class="zero">0</td><td class="zero">0</td><td class="zero">0</td><td class="zero">0</td><td class="case_failed">1</td>' +
        '<td class="case_failed">1</td></tr>',
    ),
    table,
  );
  assert.ok(table.includes('<tr><td class="agent">b</td><td class="case_ok">1</td>'));
  assert.ok(table.includes('<td class="case_missing">6</td>'));
  assert.match(table, /<td class="case_ok">0<\/td><\/tr>\n$/, 'no failures for b');
  // "No Close" gets a column only when some agent has one.
  const noClose = renderIndexPage([result('a', '1.1.1', { behavior: 'NO_CLOSE' })], META, SMALL);
  assert.ok(noClose.includes('<th>No Close</th>'));
  assert.ok(noClose.includes('<td class="case_no_close">1</td>'));
  // No agents: no summary table.
  assert.ok(!renderIndexPage([], META, SMALL).includes('agent_summary">'));
});

test('failures only: failing rows and their groups are marked; a checkbox with CSS hides the rest (no script needed)', () => {
  const html = renderIndexPage(
    [
      result('a', '1.1.1'),
      result('b', '1.1.2', { behaviorClose: 'UNCLEAN' }),
      result('a', '2.2', { behavior: 'FAILED' }),
      result('a', '3.1', { behavior: 'UNIMPLEMENTED' }),
    ],
    META,
    SMALL,
  );
  assert.ok(html.includes('<input type="checkbox" id="failures_only" />\n<label for="failures_only" id="failures_only_button" class="unselectable">Failures only (2)</label>\n<table id="agent_case_results">'));
  assert.match(caseRow(html, '1.1.2'), /^<tr class="agent_case_result_row has_failure">/);
  assert.match(caseRow(html, '2.2'), /^<tr class="agent_case_result_row has_failure">/);
  for (const id of ['1.1.1', '1.2.1', '2.1', '3.1', '12.1.1']) assert.match(caseRow(html, id), /^<tr class="agent_case_result_row">/, id);
  // One tbody per category row; those holding a failure are marked.
  const matrix = html.slice(html.indexOf('<table id="agent_case_results">'), html.indexOf('</table>', html.indexOf('<table id="agent_case_results">')));
  const groups = [...matrix.matchAll(/<tbody( class="has_failure")?>\n<tr class="case_category_row"><td class="case_category">([^<]*)<\/td>(?:.*\n)(?:<tr class="case_subcategory_row">.*?<div class="subcategory_title">([^<]*)<)?/g)].map(
    (m) => `${m[3] ?? m[2]}${m[1] ? ' *' : ''}`,
  );
  assert.deepEqual(groups, ['1.1 Text Messages *', '1.2 Binary Messages', '2 Pings/Pongs *', '3 Reserved Bits', '12.1 ' + matrix.split('12.1 ')[1]!.split('<')[0]]);
  assert.equal(count(matrix, '<tbody'), count(matrix, '</tbody>'));
  assert.equal(count(matrix, '<tbody'), count(matrix, '<tr class="case_category_row">'));
  // The stylesheet hides unmarked rows and groups while the box is checked.
  assert.ok(INDEX_CSS.includes('#failures_only:checked ~ #agent_case_results tbody:not(.has_failure)'));
  assert.ok(INDEX_CSS.includes('#failures_only:checked ~ #agent_case_results tr.agent_case_result_row:not(.has_failure)'));
  // Without failures the box says so.
  const clean = renderIndexPage([result('a', '1.1.1')], META, SMALL);
  assert.ok(clean.includes('Failures only (0)</label>\n<p id="no_failures">No case failed.</p>'));
  assert.ok(!clean.includes('has_failure"'));
});

test('long subcategory titles sit in a width-bounded block that wraps', () => {
  const html = renderIndexPage([], META);
  const longest = [...html.matchAll(/<div class="subcategory_title">([^<]*)<\/div>/g)].map((m) => m[1]!).sort((a, b) => b.length - a.length)[0]!;
  assert.ok(longest.length > 240, `the 13.x titles are long (${longest.length})`);
  assert.ok(/#agent_case_results td\.case_subcategory \{ white-space: normal; \}/.test(INDEX_CSS));
  assert.ok(/div\.subcategory_title \{ max-width: 50em; \}/.test(INDEX_CSS));
});

const CHROMIUM = '/usr/bin/chromium';
const noChromium = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM}; layout test skipped`;

test('in Chromium at 1400x900 without JavaScript: the matrix fits, titles wrap, "failures only" works', { skip: noChromium, timeout: 120_000 }, async () => {
  const { chromium } = await import('playwright-core');
  // Four agents (one with a long URL-like name), a result for every case, a few failures.
  const agents = ['ws/8.23.0', 'wsfuzz/0.1.0', 'ws://localhost:8080/websocket-endpoints/echoBasicEndpoint', 'AutobahnPython/0.10.9'];
  const failing = new Set(['1.1.2', '6.4.1', '13.7.18']);
  const results = agents.flatMap((agent, i) =>
    ALL_CASES.filter((c) => !c.id.startsWith('14.')).map((c) =>
      result(agent, c.id, i === 0 && failing.has(c.id) ? { behavior: 'FAILED' } : c.id.startsWith('1') && c.id.length > 5 ? { reportTime: true, duration: 1234 } : {}),
    ),
  );
  const html = renderIndexPage(results, META);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, javaScriptEnabled: false });
    await page.setContent(html);
    const layout = await page.evaluate(() => {
      const right = (el: Element) => el.getBoundingClientRect().right;
      const sub = [...document.querySelectorAll('td.case_subcategory')].find((e) => e.textContent!.startsWith('13.7 '))!;
      return {
        scrollWidth: document.documentElement.scrollWidth,
        agentRights: [...document.querySelectorAll('tr.case_category_row')[0]!.querySelectorAll('td.agent')].map(right),
        caseColumn: document.querySelector('td.case')!.getBoundingClientRect().width,
        subHeight: sub.getBoundingClientRect().height,
        lineHeight: document.querySelector('td.case')!.getBoundingClientRect().height,
      };
    });
    assert.ok(layout.scrollWidth <= 1400, `page width ${layout.scrollWidth} px`);
    assert.equal(layout.agentRights.length, 4);
    for (const r of layout.agentRights) assert.ok(r <= 1400, `an agent column ends at ${r} px`);
    assert.ok(layout.caseColumn < 450, `case column ${layout.caseColumn} px`);
    assert.ok(layout.subHeight > 1.5 * layout.lineHeight, `the 13.7 title wraps (${layout.subHeight} px vs ${layout.lineHeight} px rows)`);
    const visibleRows = () =>
      page.evaluate(() => [...document.querySelectorAll('tr.agent_case_result_row')].filter((r) => r.getBoundingClientRect().height > 0).map((r) => r.textContent!.split('Fail')[0]!.split('Pass')[0]!.trim()));
    assert.equal((await visibleRows()).length, 517);
    await page.click('#failures_only_button');
    assert.ok(await page.isChecked('#failures_only'));
    assert.deepEqual(await visibleRows(), ['Case 1.1.2', 'Case 6.4.1', 'Case 13.7.18']);
    await page.click('#failures_only_button');
    assert.equal((await visibleRows()).length, 517);
  } finally {
    await browser.close();
  }
});

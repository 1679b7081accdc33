// index.html: summary matrix, cells, category rows, toggle script, case descriptions (docs/reports.md, index.html).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_CASES } from '../../src/cases/index.js';
import { ReportFloat, type TrafficStats } from '../../src/fuzz/traffic.js';
import { closeCellStyle, durationDetail, mainCellStyle, renderIndexPage, resultCells } from '../../src/report/html-index.js';
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
  const start = html.indexOf(`<tr class="agent_case_result_row"><td class="case"><a href="#case_desc_${id.replaceAll('.', '_')}">Case ${id}</a></td>`);
  assert.ok(start >= 0, `no row for ${id}`);
  return html.slice(start, html.indexOf('</tr>', start) + 5);
}

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

test('the matrix covers the whole catalogue, with the category and subcategory rows of docs/reports.md, index.html', () => {
  const html = renderIndexPage([], META);
  assert.equal(count(html, '<tr class="agent_case_result_row">'), ALL_CASES.length);
  assert.equal(ALL_CASES.length, 517);
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
    '<tr class="case_subcategory_row"><td class="case_subcategory" colspan="1">1.1 Text Messages</td></tr>',
  ]);
  assert.deepEqual(before('1.2.1', 2), [
    '<tr class="case_category_row"><td class="case_category">1 Framing</td></tr>',
    '<tr class="case_subcategory_row"><td class="case_subcategory" colspan="1">1.2 Binary Messages</td></tr>',
  ]);
  for (const [first, title] of [['2.1', '2 Pings/Pongs'], ['3.1', '3 Reserved Bits'], ['5.1', '5 Fragmentation']] as const) {
    assert.equal(before(first, 1)[0], `<tr class="case_category_row"><td class="case_category">${title}</td></tr>`);
    assert.equal(count(html, `<td class="case_category">${title}</td>`), 1);
  }
  assert.ok(!/<td class="case_subcategory"[^>]*>[235]\./.test(html));
  assert.ok(before('2.2', 1)[0]!.includes('>Case 2.1</a>'));
  assert.deepEqual(before('10.1.1', 2), [
    '<tr class="case_category_row"><td class="case_category">10 Misc</td></tr>',
    '<tr class="case_subcategory_row"><td class="case_subcategory" colspan="1">10.1 Auto-Fragmentation</td></tr>',
  ]);
});

test('row sequence for a small catalogue; unknown categories are "Misc"', () => {
  const cases = ['1.1.1', '1.1.2', '1.2.1', '2.1', '2.2', '3.1', '99.1'].map((id) => ({ id, description: `d${id}`, expectation: `e${id}` }));
  const html = renderIndexPage([result('a', '1.1.2')], META, cases);
  const rows = html
    .split('\n')
    .filter((l) => l.startsWith('<tr class="case_') || l.startsWith('<tr class="agent_case'))
    .map((l) => (/<tr class="(\w+)">.*?<td class="[\w ]+"[^>]*>(?:<a [^>]*>)?([^<]*)/.exec(l) ?? []).slice(1).join(': '));
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
  assert.ok(html.includes('<td class="case_subcategory" colspan="7">1.1 Text Messages</td>'));
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

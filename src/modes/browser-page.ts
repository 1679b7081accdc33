// Pages fuzzingserver serves over plain HTTP: a start page and the browser driver, which runs the
// client driver loop (docs/modes.md, Client driver loop) in the browser: count, every case echoing every
// message, then updateReports. While it runs, the page shows a progress bar with the time left,
// counts per verdict and the failing cases as links (from fuzzingserver's /caseResult), and at the
// end a "done" box with a link to the report.
import type { CaseResult } from '../fuzz/result.js';
import { isFailure } from '../fuzz/verdicts.js';
import { escapeHtml, VERDICT_CSS } from '../report/html.js';
import { closeCellStyle, MAIN_COLUMNS, mainCellStyle, type CellStyle } from '../report/html-index.js';
import { caseFileBase } from '../report/naming.js';

const STYLE = 'body{font-family:sans-serif;margin:2em;max-width:60em}code,pre{background:#eee;padding:2px 4px}';

export function startPage(product: string, caseCount: number): string {
  const p = escapeHtml(product);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${p} fuzzing server</title><style>${STYLE}</style></head>
<body>
<h1>${p} fuzzing server</h1>
<p>${caseCount} cases are selected. WebSocket clients under test connect to this port:
<code>/getCaseCount</code>, <code>/runCase?case=N&amp;agent=NAME</code>, <code>/updateReports?agent=NAME</code>.</p>
<ul>
<li><a href="/test_browser.html">Test your browser</a></li>
<li><a href="/reports/index.html">Reports</a> (written on <code>/updateReports</code>)</li>
</ul>
</body></html>
`;
}

/** One finished case as the browser page shows it (served as JSON by fuzzingserver's /caseResult). */
export interface LiveCaseResult {
  id: string;
  behavior: string;
  behaviorClose: string;
  remoteCloseCode: number | null;
  duration: number;
  /** Main and close cell of index.html: text and CSS class. */
  cell: string;
  cellClass: string;
  close: string;
  closeClass: string;
  /** Counts as a failure (the exit-status rule). */
  failing: boolean;
  /** The per-case page, relative to /reports/. */
  page: string;
}

/** `stem`: the agent's report file name stem (report/naming.ts). */
export function liveCaseResult(r: CaseResult, stem: string): LiveCaseResult {
  const main = mainCellStyle(r.behavior) ?? { text: 'Unimplemented', cssClass: 'case_unimplemented' };
  const close = closeCellStyle(r.behaviorClose, r.remoteCloseCode);
  return {
    id: r.id,
    behavior: r.behavior,
    behaviorClose: r.behaviorClose,
    remoteCloseCode: r.remoteCloseCode,
    duration: r.duration,
    cell: main.text,
    cellClass: main.cssClass,
    close: close.text,
    closeClass: close.cssClass,
    failing: isFailure(r),
    page: `${caseFileBase(stem, r.id)}.html`,
  };
}

/** Counters of the page: the main cells of index.html, with cases skipped (no result) instead of Missing. */
const COUNTERS: readonly CellStyle[] = [...MAIN_COLUMNS.filter((c) => c.text !== 'Missing'), { text: 'Skipped', cssClass: 'case_missing' }];

const PAGE_STYLE = `
#run_view[hidden] { display: none; }
progress { width: 100%; height: 1.4em; }
#progress_text { font-weight: bold; }
table.counts { border-collapse: collapse; margin: 0.8em 0; }
table.counts td { padding: 0.25em 0.8em; border: 1px solid #fff; text-align: center; min-width: 4em; }
table.counts td.count { background: #fff; color: #333; }
td.failing_head { background-color: #000; color: #fff; }
#failures li { margin: 0.2em 0; }
#done_box { border-radius: 6px; padding: 0.8em 1em; margin: 1em 0; color: #fff; font-size: 1.1em; }
#done_box.all_passed { background-color: #0a0; }
#done_box.has_failures { background-color: #900; }
#done_box.error { background-color: #a05a2c; }
#done_box a { color: #fff; font-weight: bold; }
${VERDICT_CSS}
`;

export function browserPage(product: string): string {
  const p = escapeHtml(product);
  const headCells = COUNTERS.map((c) => `<td class="${c.cssClass}">${c.text}</td>`).join('');
  const countCells = COUNTERS.map((c) => `<td class="count" data-count="${c.text}">0</td>`).join('');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${p}: test this browser</title><style>${STYLE}${PAGE_STYLE}</style></head>
<body data-state="ready">
<h1>Test this browser's WebSocket client</h1>
<p>Agent name: <input id="agent" size="40"> <button id="run">Run all cases</button>
 &nbsp; one case: <input id="single" size="8" placeholder="e.g. 1.1.1"> <button id="one">Run</button></p>
<p id="status">Ready.</p>
<div id="run_view" hidden>
<progress id="bar" max="1" value="0"></progress>
<p id="progress_text"></p>
<table class="counts"><tr>${headCells}<td class="failing_head">Failing</td></tr>
<tr>${countCells}<td class="count" data-count="Failing">0</td></tr></table>
<h2>Failing cases</h2>
<p id="no_failures">None so far.</p>
<ul id="failures"></ul>
<div id="done_box" hidden></div>
</div>
<p><a href="/reports/index.html">Reports</a> (written when a run ends)</p>
<script>
'use strict';
const base = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
const statusLine = document.getElementById('status');
const bar = document.getElementById('bar');
const progressText = document.getElementById('progress_text');
const failuresList = document.getElementById('failures');
const doneBox = document.getElementById('done_box');
let running = false;
function defaultAgent() {
  const ua = navigator.userAgent;
  const m = /(Firefox|Edg|OPR|Chrome|Version)\\/([\\d.]+)/.exec(ua);
  if (!m) return 'unknown';
  return (m[1] === 'Version' ? 'Safari' : m[1]) + '/' + m[2];
}
function open(path, onMessage) {
  return new Promise((resolve) => {
    const ws = new WebSocket(base + path);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => onMessage(ws, e.data);
    ws.onclose = () => resolve();
    ws.onerror = () => {};
  });
}
function echo(ws, data) {
  try { ws.send(data); } catch (e) { /* closing */ }
}
async function caseCount() {
  let count = 0;
  await open('/getCaseCount', (ws, data) => { count = parseInt(data, 10); });
  return count;
}
/** The finished case's verdicts, or null (skipped by the server's configuration, or unreachable). */
async function caseResult(query, agent) {
  try {
    const answer = await fetch('/caseResult?' + query + '&agent=' + encodeURIComponent(agent));
    return answer.ok ? await answer.json() : null;
  } catch (e) {
    return null;
  }
}
function clock(ms) {
  const s = Math.round(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  const mm = String(hms[1]).padStart(hms[0] > 0 ? 2 : 1, '0') + ':' + String(hms[2]).padStart(2, '0');
  return hms[0] > 0 ? hms[0] + ':' + mm : mm;
}
const run = { counts: {}, failing: [], done: 0, total: 0, started: 0, current: 0 };
function setCount(label, n) {
  run.counts[label] = n;
  const cell = document.querySelector('[data-count="' + label + '"]');
  if (cell) cell.textContent = String(n);
}
function showProgress() {
  const elapsed = Date.now() - run.started;
  bar.max = run.total;
  bar.value = run.done;
  const left = run.done > 0 ? 'about ' + clock((elapsed / run.done) * (run.total - run.done)) + ' left' : 'estimating the time left';
  progressText.textContent = (run.done < run.total ? 'Case ' + run.current + ' of ' + run.total : run.total + ' of ' + run.total + ' cases') +
    ' \u00b7 ' + clock(elapsed) + ' elapsed' + (run.done < run.total ? ' \u00b7 ' + left : '');
}
function record(result) {
  run.done++;
  const label = result === null ? 'Skipped' : result.cell;
  setCount(label, (run.counts[label] || 0) + 1);
  if (result === null || !result.failing) return;
  run.failing.push(result.id);
  setCount('Failing', run.failing.length);
  document.getElementById('no_failures').hidden = true;
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = '/reports/' + encodeURIComponent(result.page);
  link.target = '_blank';
  link.textContent = 'Case ' + result.id;
  item.append(link, ': ' + result.cell + ', close ' + result.close);
  failuresList.append(item);
}
function finish(state, text, withReport) {
  document.body.dataset.state = state;
  doneBox.hidden = false;
  doneBox.className = state === 'error' ? 'error' : run.failing.length > 0 ? 'has_failures' : 'all_passed';
  doneBox.textContent = text + ' ';
  if (withReport) {
    const link = document.createElement('a');
    link.id = 'report_link';
    link.href = '/reports/index.html';
    link.textContent = 'Open the report';
    doneBox.append(link);
  }
  statusLine.textContent = text;
  running = false;
  document.getElementById('run').disabled = false;
  document.getElementById('one').disabled = false;
}
/** Run the cases named by the query strings (case=N or casetuple=ID), then update the reports. */
async function runCases(agent, queries) {
  const q = '&agent=' + encodeURIComponent(agent);
  run.total = queries.length;
  const ticker = setInterval(showProgress, 1000);
  for (let i = 0; i < queries.length; i++) {
    run.current = i + 1;
    statusLine.textContent = 'Running case ' + run.current + ' of ' + run.total + ' as ' + agent;
    showProgress();
    await open('/runCase?' + queries[i] + q, echo);
    record(await caseResult(queries[i], agent));
  }
  clearInterval(ticker);
  showProgress();
  statusLine.textContent = 'Updating reports';
  await open('/updateReports?agent=' + encodeURIComponent(agent), () => {});
  const seconds = (Date.now() - run.started) / 1000;
  const failing = run.failing.length === 0 ? 'no failures' : run.failing.length + ' failing';
  finish('done', 'Done: ' + run.total + (run.total === 1 ? ' case' : ' cases') + ' in ' + clock(seconds * 1000) + ', ' + failing + '.', true);
  window.wsfuzzDone = { count: run.total, seconds: Number(seconds.toFixed(1)), counts: Object.assign({}, run.counts), failing: run.failing.slice() };
}
function start() {
  if (running) return false;
  running = true;
  document.getElementById('run').disabled = true;
  document.getElementById('one').disabled = true;
  document.body.dataset.state = 'running';
  document.getElementById('run_view').hidden = false;
  doneBox.hidden = true;
  failuresList.replaceChildren();
  document.getElementById('no_failures').hidden = false;
  run.counts = {};
  run.failing = [];
  run.done = 0;
  run.started = Date.now();
  for (const cell of document.querySelectorAll('[data-count]')) setCount(cell.dataset.count, 0);
  return true;
}
async function runAll(agent) {
  if (!start()) return;
  statusLine.textContent = 'Asking the server for the number of cases';
  const count = await caseCount();
  if (!(count > 0)) {
    finish('error', 'The fuzzing server did not say how many cases there are (is it still running?).', false);
    return;
  }
  const queries = [];
  for (let n = 1; n <= count; n++) queries.push('case=' + n);
  await runCases(agent, queries);
}
async function runOne(agent, id) {
  if (id === '' || !start()) return;
  await runCases(agent, ['casetuple=' + encodeURIComponent(id)]);
}
const agentInput = document.getElementById('agent');
agentInput.value = new URLSearchParams(location.search).get('agent') || defaultAgent();
document.getElementById('run').onclick = () => runAll(agentInput.value);
document.getElementById('one').onclick = () => runOne(agentInput.value, document.getElementById('single').value.trim());
if (new URLSearchParams(location.search).has('autorun')) runAll(agentInput.value);
</script>
</body></html>
`;
}

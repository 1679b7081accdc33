// Pages fuzzingserver serves over plain HTTP: a start page and the browser driver, which runs the
// client driver loop (docs/modes.md, Client driver loop) in the browser: count, every case echoing every
// message, then updateReports.
import { escapeHtml } from '../report/html.js';

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

export function browserPage(product: string): string {
  const p = escapeHtml(product);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${p}: test this browser</title><style>${STYLE}</style></head>
<body>
<h1>Test this browser's WebSocket client</h1>
<p>Agent name: <input id="agent" size="40"> <button id="run">Run all cases</button>
 &nbsp; one case: <input id="single" size="8" placeholder="e.g. 1.1.1"> <button id="one">Run</button></p>
<p id="status">Ready.</p>
<p><a href="/reports/index.html">Reports</a></p>
<script>
'use strict';
const base = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
const statusLine = document.getElementById('status');
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
async function runAll(agent) {
  const started = Date.now();
  const count = await caseCount();
  const q = '&agent=' + encodeURIComponent(agent);
  for (let n = 1; n <= count; n++) {
    statusLine.textContent = 'Running case ' + n + ' of ' + count + ' as ' + agent;
    await open('/runCase?case=' + n + q, echo);
  }
  statusLine.textContent = 'Updating reports';
  await open('/updateReports?agent=' + encodeURIComponent(agent), () => {});
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  statusLine.textContent = 'Done: ' + count + ' cases in ' + seconds + ' s.';
  window.wsfuzzDone = { count: count, seconds: Number(seconds) };
}
async function runOne(agent, id) {
  await open('/runCase?casetuple=' + encodeURIComponent(id) + '&agent=' + encodeURIComponent(agent), echo);
  await open('/updateReports?agent=' + encodeURIComponent(agent), () => {});
  statusLine.textContent = 'Done: case ' + id + '.';
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

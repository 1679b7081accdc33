// The per-case HTML page (docs/reports.md, Per-case HTML and Wire-log rendering). Section order and wording follow the
// original; deviations (COMPATIBILITY.md, Reports): everything from the peer is HTML-escaped, the RX mask is shown
// as plain hex, UNIMPLEMENTED gets its own title, the title markup is well-formed, wsfuzz's notes are shown, and a
// navigation line links the previous and next case of the same agent and the index.
import type { CaseOutcome, CaseResult } from '../fuzz/result.js';
import type { MainVerdict } from '../fuzz/verdicts.js';
import type { Histogram, WireLogEntry } from '../fuzz/wirelog.js';
import { compareIds } from '../cases/ids.js';
import { CASE_CSS, COMMON_CSS, escapeHtml, reportHeaderHtml } from './html.js';
import { agentFileStems, caseFileBase, cleanAgent } from './naming.js';
import { limit, pyBool, pyEventListRepr, pyExpectedRepr, pyFixed, pyValue } from './pyrepr.js';
import { wrap } from './textwrap.js';
import type { ReportMeta } from './write.js';

interface TitleStyle {
  label: string;
  cssClass: string;
}

/** Title box of a per-case page per `behavior` (docs/reports.md, Per-case HTML; UNIMPLEMENTED no longer shows as "Fail"). */
const TITLE_STYLES: Record<MainVerdict, TitleStyle> = {
  OK: { label: 'Pass', cssClass: 'case_ok' },
  'NON-STRICT': { label: 'Non-Strict', cssClass: 'case_non_strict' },
  INFORMATIONAL: { label: 'Informational', cssClass: 'case_info' },
  UNIMPLEMENTED: { label: 'Unimplemented', cssClass: 'case_unimplemented' },
  NO_CLOSE: { label: 'Fail', cssClass: 'case_failed' },
  FAILED: { label: 'Fail', cssClass: 'case_failed' },
};

export function caseTitleStyle(behavior: MainVerdict): TitleStyle {
  return TITLE_STYLES[behavior];
}

type ClosingKey =
  | 'isServer'
  | 'closedByMe'
  | 'failedByMe'
  | 'droppedByMe'
  | 'wasClean'
  | 'wasNotCleanReason'
  | 'wasServerConnectionDropTimeout'
  | 'wasOpenHandshakeTimeout'
  | 'wasCloseHandshakeTimeout'
  | 'localCloseCode'
  | 'localCloseReason'
  | 'remoteCloseCode'
  | 'remoteCloseReason';

/** The 13 rows of the Closing Behavior table, in the original's order and wording. */
export const CLOSING_BEHAVIOR_ROWS: ReadonlyArray<readonly [ClosingKey, string]> = [
  ['isServer', 'True, iff I (the fuzzer) am a server, and the peer is a client.'],
  ['closedByMe', 'True, iff I have initiated closing handshake (that is, did send close first).'],
  [
    'failedByMe',
    'True, iff I have failed the WS connection (i.e. due to protocol error). Failing can be either by initiating closing handshake or brutal drop TCP.',
  ],
  ['droppedByMe', 'True, iff I dropped the TCP connection.'],
  [
    'wasClean',
    'True, iff full WebSocket closing handshake was performed (close frame sent and received) _and_ the server dropped the TCP (which is its responsibility).',
  ],
  ['wasNotCleanReason', 'When wasClean == False, the reason what happened.'],
  [
    'wasServerConnectionDropTimeout',
    "When we are a client, and we expected the server to drop the TCP, but that didn't happen in time, this gets True.",
  ],
  ['wasOpenHandshakeTimeout', 'When performing the opening handshake, but the peer did not finish in time, this gets True.'],
  ['wasCloseHandshakeTimeout', 'When we initiated a closing handshake, but the peer did not respond in time, this gets True.'],
  ['localCloseCode', 'The close code I sent in close frame (if any).'],
  ['localCloseReason', 'The close reason I sent in close frame (if any).'],
  ['remoteCloseCode', 'The close code the peer sent me in close frame (if any).'],
  ['remoteCloseReason', 'The close reason the peer sent me in close frame (if any).'],
];

/** One line of the wire log: its CSS class and its (unescaped) text. */
export interface WireLogLine {
  cssClass: string;
  text: string;
}

const CONTINUATION_INDENT = ' '.repeat(15);
const WRAP_WIDTH = 100;

function entryNumber(n: number): string {
  return String(n).padStart(3, '0');
}

function pyOptional(value: number | string | null): string {
  return value === null ? 'None' : String(value);
}

/** Delays print like Python's "%f". */
function seconds(delay: number): string {
  return pyFixed(delay, 6);
}

/** Hexdumps: the first chunk follows the prefix, the rest are indented continuation lines. */
function octetLines(cssClass: string, head: string, dump: string): WireLogLine[] {
  const [first, ...rest] = wrap(dump, WRAP_WIDTH);
  if (first === undefined) return [];
  return [{ cssClass, text: `${head}${first}` }, ...rest.map((chunk) => ({ cssClass, text: CONTINUATION_INDENT + chunk }))];
}

/** Frames: a header line, then every chunk of the payload text indented below it. */
function frameLines(cssClass: string, header: string, payloadText: string): WireLogLine[] {
  return [{ cssClass, text: header }, ...wrap(payloadText, WRAP_WIDTH).map((chunk) => ({ cssClass, text: CONTINUATION_INDENT + chunk }))];
}

function entryLines(n: string, entry: WireLogEntry): WireLogLine[] {
  switch (entry[0]) {
    case 'RO':
      return octetLines('wirelog_rx_octets', `${n} RX OCTETS: `, entry[1][1]);
    case 'TO':
      return octetLines(entry[2] ? 'wirelog_tx_octets_sync' : 'wirelog_tx_octets', `${n} TX OCTETS: `, entry[1][1]);
    case 'RF': {
      const [, [length, text], opcode, fin, rsv, masked, mask] = entry;
      // The mask is printed as its 8 hex digits (the original hex-encoded that string a second time).
      const header = `${n} RX FRAME : OPCODE=${opcode}, FIN=${pyBool(fin)}, RSV=${rsv}, PAYLOAD-LEN=${length}, MASKED=${pyBool(masked)}, MASK=${pyOptional(mask)}`;
      return frameLines('wirelog_rx_frame', header, text);
    }
    case 'TF': {
      const [, [length, text], opcode, fin, rsv, mask, repeatLength, chopsize, sync] = entry;
      const header =
        `${n} TX FRAME : OPCODE=${opcode}, FIN=${pyBool(fin)}, RSV=${rsv}, PAYLOAD-LEN=${length}, MASK=${pyOptional(mask)}, ` +
        `PAYLOAD-REPEAT-LEN=${pyOptional(repeatLength)}, CHOPSIZE=${pyOptional(chopsize)}, SYNC=${pyBool(sync)}`;
      // Python truthiness: a chop size of 0 does not count as set.
      const cssClass = sync || Boolean(chopsize) ? 'wirelog_tx_frame_sync' : 'wirelog_tx_frame';
      return frameLines(cssClass, header, text);
    }
    case 'WLM':
      return [{ cssClass: 'wirelog_delay', text: `${n} WIRELOG ${entry[1] ? 'ENABLED' : 'DISABLED'}` }];
    case 'CT':
      return [{ cssClass: 'wirelog_delay', text: `${n} DELAY ${seconds(entry[1])} sec for TAG ${pyOptional(entry[2])}` }];
    case 'CTE':
      return [{ cssClass: 'wirelog_delay', text: `${n} DELAY TIMEOUT on TAG ${pyOptional(entry[1])}` }];
    case 'KL':
      return [{ cssClass: 'wirelog_kill_after', text: `${n} FAIL CONNECTION AFTER ${seconds(entry[1])} sec` }];
    case 'KLE':
      return [{ cssClass: 'wirelog_kill_after', text: `${n} FAILING CONNECTION` }];
    case 'TI':
      return [{ cssClass: 'wirelog_kill_after', text: `${n} CLOSE CONNECTION AFTER ${seconds(entry[1])} sec` }];
    case 'TIE':
      return [{ cssClass: 'wirelog_kill_after', text: `${n} CLOSING CONNECTION` }];
  }
}

/** All wire-log lines of a case, ending with who dropped the TCP connection (docs/reports.md, Wire-log rendering). */
export function wireLogLines(entries: readonly WireLogEntry[], droppedByMe: boolean): WireLogLine[] {
  const lines = entries.flatMap((entry, i) => entryLines(entryNumber(i), entry));
  lines.push(
    droppedByMe
      ? { cssClass: 'wirelog_tcp_closed_by_me', text: `${entryNumber(entries.length)} TCP DROPPED BY ME` }
      : { cssClass: 'wirelog_tcp_closed_by_peer', text: `${entryNumber(entries.length)} TCP DROPPED BY PEER` },
  );
  return lines;
}

/** Python's str.strip(): ASCII whitespace only. */
function stripAscii(text: string): string {
  return text.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
}

function sortedNumeric(h: Histogram): Array<[number, number]> {
  return [...h.entries()].sort((a, b) => a[0] - b[0]);
}

function statsRow(cells: readonly (string | number)[], rowClass: string): string {
  return `<tr class="${rowClass}">${cells.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`;
}

function octetTable(title: string, stats: Histogram): string {
  const rows = sortedNumeric(stats);
  const totalCount = rows.reduce((sum, [, count]) => sum + count, 0);
  const totalOctets = rows.reduce((sum, [size, count]) => sum + size * count, 0);
  return [
    `<h3>${title}</h3>`,
    '<table class="stats">',
    statsRow(['Chop Size', 'Count', 'Octets'], 'stats_header'),
    ...rows.map(([size, count]) => statsRow([size, count, size * count], 'stats_row')),
    statsRow(['Total', totalCount, totalOctets], 'stats_total'),
    '</table>',
  ].join('\n');
}

function frameTable(title: string, stats: Histogram): string {
  const rows = sortedNumeric(stats);
  const total = rows.reduce((sum, [, count]) => sum + count, 0);
  return [
    `<h3>${title}</h3>`,
    '<table class="stats">',
    statsRow(['Opcode', 'Count'], 'stats_header'),
    ...rows.map(([opcode, count]) => statsRow([opcode, count], 'stats_row')),
    statsRow(['Total', total], 'stats_total'),
    '</table>',
  ].join('\n');
}

function textBlock(cssClass: string, heading: string, bodyHtml: string): string {
  return `<p class="case_text_block ${cssClass}"><b>${heading}</b><br/><br/>${bodyHtml}</p>`;
}

function titleLine(r: CaseResult): string {
  const { label, cssClass } = caseTitleStyle(r.behavior);
  return (
    `<p class="case ${cssClass}">${escapeHtml(r.agent)} - <span style="font-size: 1.3em;"><b>Case ${escapeHtml(r.id)}</b></span>` +
    ` : ${label} - <span style="font-size: 0.9em;"><b>${r.duration}</b> ms @ ${escapeHtml(r.started)}</span></p>`
  );
}

function outcomeBlock(r: CaseResult): string {
  return textBlock(
    'case_outcome',
    'Case Outcome',
    `${escapeHtml(r.result)}<br/><br/>` +
      `<i>Expected:</i><br/><span class="case_pickle">${escapeHtml(limit(pyExpectedRepr(r.expected)))}</span><br/><br/>` +
      `<i>Observed:</i><br><span class="case_pickle">${escapeHtml(limit(pyEventListRepr(r.received)))}</span>`,
  );
}

/** wsfuzz's own remarks (cut wire log, internal errors); not part of the original's page. */
function notesBlock(notes: readonly string[]): string[] {
  if (notes.length === 0) return [];
  return [textBlock('case_notes', 'wsfuzz notes', notes.map(escapeHtml).join('<br/>'))];
}

function closingBehaviorTable(r: CaseResult): string {
  const rows = CLOSING_BEHAVIOR_ROWS.map(
    ([key, description]) =>
      `<tr class="stats_row"><td>${key}</td><td class="left">${escapeHtml(pyValue(r[key]))}</td><td class="left">${description}</td></tr>`,
  );
  return [
    '<h2>Closing Behavior</h2>',
    '<table class="stats">',
    '<tr class="stats_header"><td>Key</td><td class="left">Value</td><td class="left">Description</td></tr>',
    ...rows,
    '</table><br/><hr/>',
  ].join('\n');
}

function wireStatistics(r: CaseResult): string {
  const body = r.createStats
    ? [
        octetTable('Octets Received by Chop Size', r.rxOctetStats),
        octetTable('Octets Transmitted by Chop Size', r.txOctetStats),
        frameTable('Frames Received by Opcode', r.rxFrameStats),
        frameTable('Frames Transmitted by Opcode', r.txFrameStats),
      ]
    : ['<p class="warning">Statistics for octets/frames disabled!</p>'];
  return ['<h2>Wire Statistics</h2>', ...body, '<br/><hr/>'].join('\n');
}

function wireLog(r: CaseResult): string {
  const lines = wireLogLines(r.wirelog, r.droppedByMe).map((line) => `<pre class="${line.cssClass}">${escapeHtml(line.text)}</pre>`);
  return [
    '<h2>Wire Log</h2>',
    ...(r.createWirelog ? [] : ['<p class="warning">Wire log after handshake disabled!</p>']),
    '<div id="wirelog">',
    ...lines,
    '</div>',
    '<br/><hr/>',
  ].join('\n');
}

/** A case page's neighbours: the same agent's previous and next case in the report, in catalogue order. */
export interface CaseNeighbours {
  previous?: string;
  next?: string;
  /** The agent's report file name stem (report/naming.ts; default: its clean name). */
  stem?: string;
}

/** For each agent, its case IDs in `results` (each once) in catalogue order; a lookup of the neighbours of one. */
export function caseNeighbours(results: Iterable<Pick<CaseResult, 'agent' | 'id'>>): (agent: string, id: string) => CaseNeighbours {
  const idsByAgent = new Map<string, Set<string>>();
  for (const { agent, id } of results) {
    let ids = idsByAgent.get(agent);
    if (!ids) idsByAgent.set(agent, (ids = new Set()));
    ids.add(id);
  }
  const stems = agentFileStems(idsByAgent.keys());
  const positions = new Map<string, { order: string[]; at: Map<string, number> }>();
  for (const [agent, ids] of idsByAgent) {
    const order = [...ids].sort(compareIds);
    positions.set(agent, { order, at: new Map(order.map((id, i) => [id, i])) });
  }
  return (agent, id) => {
    const p = positions.get(agent);
    const i = p?.at.get(id);
    if (p === undefined || i === undefined) return {};
    const previous = p.order[i - 1];
    const next = p.order[i + 1];
    return { ...(previous !== undefined ? { previous } : {}), ...(next !== undefined ? { next } : {}), stem: stems.get(agent)! };
  };
}

/** Links to the previous case, the index and the next case (a greyed label where there is no neighbour). */
function navigationLine(agent: string, neighbours: CaseNeighbours): string {
  const link = (id: string | undefined, text: (id: string) => string, rel: string, missing: string) =>
    id === undefined
      ? `<span>${missing}</span>`
      : `<a href="${escapeHtml(caseFileBase(neighbours.stem ?? cleanAgent(agent), id))}.html" rel="${rel}">${text(escapeHtml(id))}</a>`;
  return (
    '<p class="case_nav">' +
    link(neighbours.previous, (id) => `&#9664; Case ${id}`, 'prev', '&#9664; first case') +
    '<a href="index.html">Index</a>' +
    link(neighbours.next, (id) => `Case ${id} &#9654;`, 'next', 'last case &#9654;') +
    '</p>'
  );
}

/**
 * A written case page with its navigation line replaced: for a page written before its neighbours or
 * its agent's file-name stem were final (report/case-files.ts). The line precedes everything a peer
 * sent, and peer text is escaped, so the first match is the navigation line.
 */
export function relinkCasePage(html: string, agent: string, neighbours: CaseNeighbours): string {
  const start = html.indexOf('<p class="case_nav">');
  const end = start < 0 ? -1 : html.indexOf('</p>', start);
  if (end < 0) throw new Error('not a wsfuzz case page (no navigation line)');
  return html.slice(0, start) + navigationLine(agent, neighbours) + html.slice(end + '</p>'.length);
}

/** The complete per-case page. Description and expectation are wsfuzz's own HTML; all else is escaped. */
export function renderCasePage(outcome: CaseOutcome, meta: ReportMeta, neighbours: CaseNeighbours = {}): string {
  const r = outcome.result;
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8" />',
    `<title>${escapeHtml(r.agent)} - Case ${escapeHtml(r.id)} - ${escapeHtml(meta.product)}</title>`,
    `<style lang="css">${COMMON_CSS}</style>`,
    `<style lang="css">${CASE_CSS}</style>`,
    '</head>',
    '<body>',
    '<a name="top"></a>',
    '<br/>',
    reportHeaderHtml(),
    navigationLine(r.agent, neighbours),
    titleLine(r),
    textBlock('case_desc', 'Case Description', r.description),
    textBlock('case_expect', 'Case Expectation', r.expectation),
    outcomeBlock(r),
    textBlock('case_closing_beh', 'Case Closing Behavior', `${escapeHtml(r.resultClose)} (${escapeHtml(r.behaviorClose)})`),
    ...notesBlock(outcome.notes),
    '<br/><hr/>',
    '<h2>Opening Handshake</h2>',
    `<pre class="http_dump">${escapeHtml(stripAscii(r.httpRequest))}</pre>`,
    `<pre class="http_dump">${escapeHtml(stripAscii(r.httpResponse))}</pre>`,
    '<br/><hr/>',
    closingBehaviorTable(r),
    wireStatistics(r),
    wireLog(r),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// index.html: the summary matrix over every case of the catalogue and every agent (docs/reports.md,
// index.html). Additions to the original's page: per-agent counts above the matrix, a "failures only"
// switch (CSS, no script needed) and wrapping titles. Agent names come from the peer (Server header, URL
// query) and are escaped everywhere.
import { ALL_CASES } from '../cases/index.js';
import { OPT_IN_CATEGORIES } from '../cases/selection.js';
import { categoryOf, idSlug, subcategoryOf } from '../cases/ids.js';
import { CATEGORY_TITLES, SUBCATEGORY_TITLES } from '../cases/titles.js';
import type { CaseResult } from '../fuzz/result.js';
import type { ReportFloat } from '../fuzz/traffic.js';
import { isFailure, type CloseVerdict, type MainVerdict } from '../fuzz/verdicts.js';
import { COMMON_CSS, escapeHtml, INDEX_CSS, reportHeaderHtml } from './html.js';
import { agentFileStems, caseFileBase, cleanAgent } from './naming.js';
import { pyFixed, pyValue } from './pyrepr.js';
import type { ReportMeta } from './write.js';

/** A case as the index needs it (the catalogue's CaseDefinition satisfies this). */
export interface IndexCase {
  id: string;
  description: string;
  expectation: string;
}

export interface CellStyle {
  text: string;
  cssClass: string;
}

/** Main cell per `behavior`; null for UNIMPLEMENTED, which gets a merged cell instead (docs/reports.md, index.html). */
const MAIN_CELLS: Record<MainVerdict, CellStyle | null> = {
  OK: { text: 'Pass', cssClass: 'case_ok' },
  'NON-STRICT': { text: 'Non-Strict', cssClass: 'case_non_strict' },
  NO_CLOSE: { text: 'No Close', cssClass: 'case_no_close' },
  INFORMATIONAL: { text: 'Info', cssClass: 'case_info' },
  UNIMPLEMENTED: null,
  FAILED: { text: 'Fail', cssClass: 'case_failed' },
};

export function mainCellStyle(behavior: MainVerdict): CellStyle | null {
  return MAIN_CELLS[behavior];
}

interface CloseCell {
  /** The close cell shows the peer's close code (else the label). */
  showCode: boolean;
  /** The cell text when it shows no code, and the heading of the summary column. */
  label: string;
  cssClass: string;
}

/**
 * Close cell per `behaviorClose`: the peer's close code where the closing went acceptably, else
 * Unclean or Fail (docs/reports.md, index.html).
 */
const CLOSE_CELLS: Record<CloseVerdict, CloseCell> = {
  OK: { showCode: true, label: 'OK', cssClass: 'case_ok' },
  'FAILED BY CLIENT': { showCode: true, label: 'Failed by client', cssClass: 'case_almost' },
  'WRONG CODE': { showCode: true, label: 'Wrong code', cssClass: 'case_non_strict' },
  UNCLEAN: { showCode: false, label: 'Unclean', cssClass: 'case_failed' },
  INFORMATIONAL: { showCode: true, label: 'Info', cssClass: 'case_info' },
  FAILED: { showCode: false, label: 'Fail', cssClass: 'case_failed' },
};

export function closeCellStyle(behaviorClose: CloseVerdict, remoteCloseCode: number | null): CellStyle {
  const cell = CLOSE_CELLS[behaviorClose];
  return { text: cell.showCode ? pyValue(remoteCloseCode) : cell.label, cssClass: cell.cssClass };
}

function ratio(value: ReportFloat | null): string {
  return value === null ? '-' : pyFixed(value.value, 3);
}

/** "279 ms", "279 ms [1.000/0.292]", or "" when the case reports neither. */
export function durationDetail(r: CaseResult): string {
  const parts: string[] = [];
  if (r.reportTime) parts.push(`${r.duration} ms`);
  if (r.reportCompressionRatio && r.trafficStats) {
    parts.push(`[${ratio(r.trafficStats.incomingCompressionRatio)}/${ratio(r.trafficStats.outgoingCompressionRatio)}]`);
  }
  return parts.join(' ');
}

/** The cells of one agent in one case row; `stem` names the agent's files (report/naming.ts). */
export function resultCells(r: CaseResult | undefined, stem = r === undefined ? '' : cleanAgent(r.agent)): string {
  if (r === undefined) return '<td class="case_missing close_flex" colspan="2">Missing</td>';
  const main = mainCellStyle(r.behavior);
  if (main === null) return '<td class="case_unimplemented close_flex" colspan="2">Unimplemented</td>';
  const href = `${caseFileBase(stem, r.id)}.html`;
  const detail = durationDetail(r);
  const detailHtml = detail === '' ? '' : `<br/><span class="case_duration">${escapeHtml(detail)}</span>`;
  const close = closeCellStyle(r.behaviorClose, r.remoteCloseCode);
  return (
    `<td class="${main.cssClass}"><a href="${escapeHtml(href)}">${main.text}</a>${detailHtml}</td>` +
    `<td class="close close_hide ${close.cssClass}"><span class="close_code">${escapeHtml(close.text)}</span></td>`
  );
}

/** Results by agent, then case ID; a later result for the same pair replaces an earlier one. */
function indexResults(results: readonly CaseResult[]): Map<string, Map<string, CaseResult>> {
  const byAgent = new Map<string, Map<string, CaseResult>>();
  for (const r of results) {
    let byId = byAgent.get(r.agent);
    if (!byId) byAgent.set(r.agent, (byId = new Map()));
    byId.set(r.id, r);
  }
  return byAgent;
}

function sortedAgents(byAgent: ReadonlyMap<string, unknown>): string[] {
  return [...byAgent.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function categoryRow(category: string, title: string, agents: readonly string[]): string {
  const agentCells = agents.map((agent) => `<td class="agent close_flex" colspan="2">${escapeHtml(agent)}</td>`).join('');
  return `<tr class="case_category_row"><td class="case_category">${category} ${title}</td>${agentCells}</tr>`;
}

function subcategoryRow(subcategory: string, title: string, agentCount: number): string {
  // The inner block bounds the title's width: 13.x titles are ~250 characters (see INDEX_CSS).
  return `<tr class="case_subcategory_row"><td class="case_subcategory" colspan="${2 * agentCount + 1}"><div class="subcategory_title">${subcategory} ${title}</div></td></tr>`;
}

/** Some agent's result for this case counts as a failure (the rule of the exit status, isFailure in src/fuzz/verdicts.ts). */
function rowHasFailure(id: string, agents: readonly string[], byAgent: ReadonlyMap<string, ReadonlyMap<string, CaseResult>>): boolean {
  return agents.some((agent) => {
    const r = byAgent.get(agent)?.get(id);
    return r !== undefined && isFailure(r);
  });
}

/** The matrix: rows grouped in one tbody per category row, marked when they hold a failure. */
export interface Matrix {
  /** Case rows with a failure for some agent. */
  failingRows: number;
  /** The lines, made one at a time: with thousands of agents all of them are more than a string can hold. */
  lines(): Generator<string>;
}

interface MatrixGroup {
  category: string;
  categoryTitle: string;
  rows: Array<{ id: string; subcategoryTitle?: string; failing: boolean }>;
  failing: boolean;
}

/**
 * The matrix rows. A category row (with the agent names) opens each new category and is repeated before
 * every titled subcategory; categories without subcategory titles (2, 3, 5) get a single category row.
 * Each category row opens a tbody; case rows and tbodies with a failure get the class has_failure, which
 * the "failures only" checkbox uses (CSS only: the page works without script). The layout and the
 * failure marks are worked out first; the markup is made when the lines are read.
 */
export function matrixRows(cases: readonly IndexCase[], byAgent: ReadonlyMap<string, ReadonlyMap<string, CaseResult>>): Matrix {
  const agents = sortedAgents(byAgent);
  const stems = agentFileStems(agents);
  const groups: MatrixGroup[] = [];
  let group: MatrixGroup | undefined;
  let failingRows = 0;
  let previousCategoryTitle: string | undefined;
  let previousSubTitle: string | undefined;
  for (const { id } of cases) {
    const category = categoryOf(id);
    const categoryTitle = CATEGORY_TITLES[category] ?? 'Misc';
    const subTitle = SUBCATEGORY_TITLES[subcategoryOf(id)];
    if (group === undefined || categoryTitle !== previousCategoryTitle || subTitle !== previousSubTitle) {
      groups.push((group = { category, categoryTitle, rows: [], failing: false }));
      previousSubTitle = undefined; // forgotten: a titled subcategory now gets its own row
    }
    const opensSubcategory = subTitle !== undefined && subTitle !== previousSubTitle;
    previousCategoryTitle = categoryTitle;
    previousSubTitle = subTitle;
    const failing = rowHasFailure(id, agents, byAgent);
    if (failing) {
      failingRows++;
      group.failing = true;
    }
    group.rows.push(opensSubcategory ? { id, subcategoryTitle: subTitle, failing } : { id, failing });
  }
  function* lines(): Generator<string> {
    for (const g of groups) {
      yield g.failing ? '<tbody class="has_failure">' : '<tbody>';
      yield categoryRow(g.category, g.categoryTitle, agents);
      for (const { id, subcategoryTitle, failing } of g.rows) {
        if (subcategoryTitle !== undefined) yield subcategoryRow(subcategoryOf(id), subcategoryTitle, agents.length);
        const cells = agents.map((agent) => resultCells(byAgent.get(agent)?.get(id), stems.get(agent))).join('');
        const rowClass = failing ? 'agent_case_result_row has_failure' : 'agent_case_result_row';
        yield `<tr class="${rowClass}"><td class="case"><a href="#case_desc_${idSlug(id)}">Case ${id}</a></td>${cells}</tr>`;
      }
      yield '</tbody>';
    }
  }
  return { failingRows, lines };
}

/** Summary columns for the main cells, in the legend's order, plus the two merged kinds. */
export const MAIN_COLUMNS: ReadonlyArray<CellStyle> = [
  { text: 'Pass', cssClass: 'case_ok' },
  { text: 'Non-Strict', cssClass: 'case_non_strict' },
  { text: 'No Close', cssClass: 'case_no_close' },
  { text: 'Fail', cssClass: 'case_failed' },
  { text: 'Info', cssClass: 'case_info' },
  { text: 'Unimplemented', cssClass: 'case_unimplemented' },
  { text: 'Missing', cssClass: 'case_missing' },
];
const CLOSE_COLUMNS: readonly CloseCell[] = Object.values(CLOSE_CELLS);

interface AgentCounts {
  main: Map<string, number>;
  close: Map<string, number>;
  failing: number;
}

/** What the matrix shows for one agent, counted: main cells by text, close cells by verdict, failures. */
export function agentCounts(cases: readonly IndexCase[], results: ReadonlyMap<string, CaseResult> | undefined): AgentCounts {
  const counts: AgentCounts = { main: new Map(), close: new Map(), failing: 0 };
  const add = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  for (const { id } of cases) {
    const r = results?.get(id);
    if (r === undefined) {
      add(counts.main, 'Missing');
      continue;
    }
    const main = mainCellStyle(r.behavior);
    add(counts.main, main?.text ?? 'Unimplemented');
    // An Unimplemented case has no close cell in the matrix, so it is not counted there either.
    if (main !== null) add(counts.close, CLOSE_CELLS[r.behaviorClose].label);
    if (isFailure(r)) counts.failing++;
  }
  return counts;
}

function countCell(n: number, cssClass: string): string {
  return `<td class="${n === 0 ? 'zero' : cssClass}">${n}</td>`;
}

/** Per-agent counts at the top of the page: main cells, close cells, and the cases that count as failures. */
function agentSummaryTable(cases: readonly IndexCase[], byAgent: ReadonlyMap<string, ReadonlyMap<string, CaseResult>>): string {
  const agents = sortedAgents(byAgent);
  if (agents.length === 0) return '';
  const counts = agents.map((agent) => agentCounts(cases, byAgent.get(agent)));
  // "No Close" is shown only when some agent has one (wsfuzz's verdicts rarely produce it).
  const mainColumns = MAIN_COLUMNS.filter((c) => c.text !== 'No Close' || counts.some((k) => k.main.has('No Close')));
  const header = [
    '<tr><th rowspan="2">Agent</th>' +
      `<th class="summary_group" colspan="${mainColumns.length}">Cases</th>` +
      `<th class="summary_group" colspan="${CLOSE_COLUMNS.length}">Closing handshake</th>` +
      '<th rowspan="2" title="Cases that count as failures (exit status 1): a Fail cell, or a close cell Wrong code, Unclean or Fail">Failing</th></tr>',
    `<tr>${mainColumns.map((c) => `<th>${c.text}</th>`).join('')}${CLOSE_COLUMNS.map((c) => `<th>${c.label}</th>`).join('')}</tr>`,
  ];
  const rows = agents.map((agent, i) => {
    const k = counts[i]!;
    const main = mainColumns.map((c) => countCell(k.main.get(c.text) ?? 0, c.cssClass)).join('');
    const close = CLOSE_COLUMNS.map((c) => countCell(k.close.get(c.label) ?? 0, c.cssClass)).join('');
    const failing = `<td class="${k.failing === 0 ? 'case_ok' : 'case_failed'}">${k.failing}</td>`;
    return `<tr><td class="agent">${escapeHtml(agent)}</td>${main}${close}${failing}</tr>`;
  });
  return ['<table id="agent_summary">', ...header, ...rows, '</table>'].join('\n');
}

/** The "failures only" switch: a checkbox before the matrix and its label (styled as a button). */
function failuresOnlyToggle(failingRows: number): string[] {
  return [
    '<input type="checkbox" id="failures_only" />',
    `<label for="failures_only" id="failures_only_button" class="unselectable">Failures only (${failingRows})</label>`,
    ...(failingRows === 0 ? ['<p id="no_failures">No case failed.</p>'] : []),
  ];
}

const LEGEND: ReadonlyArray<readonly [string, string, string]> = [
  ['case_ok', 'Pass', 'The case ran and the implementation behaved as expected.'],
  [
    'case_non_strict',
    'Non-Strict',
    'The case passed, but the implementation did not follow a SHOULD of the specification, or a canonical behaviour that is desirable but left open by it. It is still conformant.',
  ],
  [
    'case_failed',
    'Fail',
    'The implementation violated a MUST of the specification. In the limits/performance cases a failure means the case did not complete correctly in time, which is not by itself a conformance violation.',
  ],
  ['case_info', 'Info', 'Informational only: the specification leaves this behaviour open; the result shows what the implementation does.'],
  [
    'case_missing',
    'Missing',
    'The case was not run: it was excluded by the configuration, the feature is not implemented, or the implementation broke down during the case.',
  ],
];

function legendTable(): string {
  const rows = LEGEND.map(([cssClass, label, text]) => `<tr><td class="${cssClass}">${label}</td><td class="outcome_desc">${text}</td></tr>`);
  return ['<table id="case_outcome_desc">', ...rows, '</table>'].join('\n');
}

/** Shows/hides the close cells; colspans follow so the matrix stays aligned. */
function toggleScript(agentCount: number): string {
  return `
var closeCellsShown = true;
function toggleClose() {
   var agents = ${agentCount};
   closeCellsShown = !closeCellsShown;
   var hidden = document.getElementsByClassName("close_hide");
   for (var i = 0; i < hidden.length; i++) {
      hidden[i].style.display = closeCellsShown ? "table-cell" : "none";
   }
   var flex = document.getElementsByClassName("close_flex");
   for (var j = 0; j < flex.length; j++) {
      flex[j].colSpan = closeCellsShown ? 2 : 1;
   }
   var subcategories = document.getElementsByClassName("case_subcategory");
   for (var k = 0; k < subcategories.length; k++) {
      subcategories[k].colSpan = closeCellsShown ? 2 * agents + 1 : agents + 1;
   }
}
`;
}

function caseDescriptions(cases: readonly IndexCase[]): string {
  const blocks = cases.map((c) =>
    [
      '<br/>',
      `<a name="case_desc_${idSlug(c.id)}"></a>`,
      `<h2>Case ${c.id}</h2>`,
      '<a class="up" href="#top">Up</a>',
      // wsfuzz's own texts: they may contain intended markup.
      `<p class="case_text_block case_desc"><b>Case Description</b><br/><br/>${c.description}</p>`,
      `<p class="case_text_block case_expect"><b>Case Expectation</b><br/><br/>${c.expectation}</p>`,
    ].join('\n'),
  );
  return ['<div id="test_case_descriptions">', ...blocks, '</div>'].join('\n');
}

/**
 * The rows of the index: the original's whole catalogue (cases not run show as Missing), plus the
 * cases of opt-in categories (docs/cases.md, 14 Opening Handshake) that have a result.
 */
export function indexCatalogue(results: readonly CaseResult[]): readonly IndexCase[] {
  const ran = new Set(results.map((r) => r.id));
  return ALL_CASES.filter((c) => !OPT_IN_CATEGORIES.has(categoryOf(c.id)) || ran.has(c.id));
}

/** index.html over `cases` (indexCatalogue unless a test passes a subset). */
export function renderIndexPage(results: CaseResult[], meta: ReportMeta, cases: readonly IndexCase[] = indexCatalogue(results)): string {
  return [...indexPageParts(results, meta, cases)].join('\n');
}

/** index.html in pieces of at most one matrix row each, to be joined with "\n" (or written one by one). */
export function* indexPageParts(results: CaseResult[], meta: ReportMeta, cases: readonly IndexCase[] = indexCatalogue(results)): Generator<string> {
  const byAgent = indexResults(results);
  const matrix = matrixRows(cases, byAgent);
  const generated = meta.generatedAt.toISOString();
  yield* [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta charset="utf-8" />',
    `<style lang="css">${COMMON_CSS}</style>`,
    `<style lang="css">${INDEX_CSS}</style>`,
    `<script type="text/javascript">${toggleScript(byAgent.size)}</script>`,
    '</head>',
    '<body>',
    '<a href="#"><div id="toggle_button" class="unselectable" onclick="toggleClose();">Toggle Details</div></a>',
    '<a name="top"></a>',
    '<br/>',
    reportHeaderHtml(),
    '<div id="master_report_header" class="block">',
    `<p id="intro">Summary report generated on ${escapeHtml(generated)} (UTC) by <a href="https://github.com/">wsfuzz</a> ${escapeHtml(meta.product)}.</p>`,
    legendTable(),
    agentSummaryTable(cases, byAgent),
    '</div>',
    ...failuresOnlyToggle(matrix.failingRows),
    '<table id="agent_case_results">',
  ];
  yield* matrix.lines();
  yield* [
    '</table>',
    '<br/><hr/>',
    caseDescriptions(cases),
    '<br/><hr/>',
    '</body>',
    '</html>',
    '',
  ];
}

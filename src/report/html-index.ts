// index.html: the summary matrix over every case of the catalogue and every agent (docs/reports.md,
// index.html). Agent names come from the peer (Server header, URL query) and are escaped everywhere.
import { ALL_CASES } from '../cases/index.js';
import { categoryOf, idSlug, subcategoryOf } from '../cases/ids.js';
import { CATEGORY_TITLES, SUBCATEGORY_TITLES } from '../cases/titles.js';
import type { CaseResult } from '../fuzz/result.js';
import type { ReportFloat } from '../fuzz/traffic.js';
import type { CloseVerdict, MainVerdict } from '../fuzz/verdicts.js';
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

interface CellStyle {
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

/**
 * Close cell per `behaviorClose`: the peer's close code where the closing went acceptably, else
 * Unclean or Fail (docs/reports.md, index.html).
 */
const CLOSE_CELLS: Record<CloseVerdict, { showCode: boolean; text: string; cssClass: string }> = {
  OK: { showCode: true, text: '', cssClass: 'case_ok' },
  'FAILED BY CLIENT': { showCode: true, text: '', cssClass: 'case_almost' },
  'WRONG CODE': { showCode: true, text: '', cssClass: 'case_non_strict' },
  UNCLEAN: { showCode: false, text: 'Unclean', cssClass: 'case_failed' },
  INFORMATIONAL: { showCode: true, text: '', cssClass: 'case_info' },
  FAILED: { showCode: false, text: 'Fail', cssClass: 'case_failed' },
};

export function closeCellStyle(behaviorClose: CloseVerdict, remoteCloseCode: number | null): CellStyle {
  const cell = CLOSE_CELLS[behaviorClose];
  return { text: cell.showCode ? pyValue(remoteCloseCode) : cell.text, cssClass: cell.cssClass };
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
  return `<tr class="case_subcategory_row"><td class="case_subcategory" colspan="${2 * agentCount + 1}">${subcategory} ${title}</td></tr>`;
}

/**
 * The matrix rows. A category row (with the agent names) opens each new category and is repeated before
 * every titled subcategory; categories without subcategory titles (2, 3, 5) get a single category row.
 * Yielded one by one: with thousands of agents the whole matrix is larger than a string can be.
 */
export function* matrixRows(cases: readonly IndexCase[], byAgent: ReadonlyMap<string, ReadonlyMap<string, CaseResult>>): Generator<string> {
  const agents = sortedAgents(byAgent);
  const stems = agentFileStems(agents);
  let previousCategoryTitle: string | undefined;
  let previousSubTitle: string | undefined;
  for (const { id } of cases) {
    const category = categoryOf(id);
    const categoryTitle = CATEGORY_TITLES[category] ?? 'Misc';
    const subcategory = subcategoryOf(id);
    const subTitle = SUBCATEGORY_TITLES[subcategory];
    if (categoryTitle !== previousCategoryTitle || subTitle !== previousSubTitle) {
      yield categoryRow(category, categoryTitle, agents);
      previousSubTitle = undefined; // forgotten: a titled subcategory now gets its own row
    }
    if (subTitle !== undefined && subTitle !== previousSubTitle) yield subcategoryRow(subcategory, subTitle, agents.length);
    previousCategoryTitle = categoryTitle;
    previousSubTitle = subTitle;
    const cells = agents.map((agent) => resultCells(byAgent.get(agent)?.get(id), stems.get(agent))).join('');
    yield `<tr class="agent_case_result_row"><td class="case"><a href="#case_desc_${idSlug(id)}">Case ${id}</a></td>${cells}</tr>`;
  }
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

/** index.html over `cases` (the whole catalogue unless a test passes a subset). */
export function renderIndexPage(results: CaseResult[], meta: ReportMeta, cases: readonly IndexCase[] = ALL_CASES): string {
  return [...indexPageParts(results, meta, cases)].join('\n');
}

/** index.html in pieces of at most one matrix row each, to be joined with "\n" (or written one by one). */
export function* indexPageParts(results: CaseResult[], meta: ReportMeta, cases: readonly IndexCase[] = ALL_CASES): Generator<string> {
  const byAgent = indexResults(results);
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
    '</div>',
    '<table id="agent_case_results">',
  ];
  yield* matrixRows(cases, byAgent);
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

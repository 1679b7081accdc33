// Pieces shared by the per-case pages and index.html: escaping and the stylesheets
// (colours as listed in docs/reports.md, index.html; the style text itself is wsfuzz's own).

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escape text for element content and quoted attribute values. Everything that comes from the peer or the
 * network goes through here (the original inserted it raw, which let a peer inject markup and script).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Plain-text page header, shown where the original put its logo images. */
export const REPORT_HEADER = 'wsfuzz WebSocket conformance report';

export function reportHeaderHtml(): string {
  return `<p class="report_header">${REPORT_HEADER}</p>`;
}

/** Shared by every page. */
export const COMMON_CSS = `
body {
   background-color: #f4f4f4;
   color: #333;
   font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif;
   font-size: 14px;
   margin: 0 2em;
}
a, a:visited { color: inherit; }
h2 { font-size: 1.4em; margin: 1.2em 0 0.6em; }
h3 { font-size: 1.1em; margin: 1em 0 0.4em; }
hr { border: none; border-top: 1px solid #bbb; }
.report_header {
   font-size: 1.6em;
   font-weight: bold;
   margin: 0.6em 0;
}
.case_text_block {
   border-radius: 6px;
   border: 1px solid #ccc;
   background-color: #fff;
   padding: 0.8em 1em;
   margin: 1em 0;
   line-height: 1.4em;
}
`;

/** Per-case pages: title box, text blocks, handshake dumps, statistics tables, wire log. */
export const CASE_CSS = `
/* Stays at the top of the window while the page scrolls (wire logs are long). */
p.case_nav { margin: 0.6em 0; padding: 0.3em 0; position: sticky; top: 0; background-color: #f4f4f4; }
p.case_nav a, p.case_nav span {
   display: inline-block;
   border-radius: 4px;
   padding: 0.2em 0.7em;
   margin-right: 0.4em;
   text-decoration: none;
}
p.case_nav a, p.case_nav a:visited { background-color: #048; color: #fff; }
p.case_nav span { background-color: #ddd; color: #999; }
p.case {
   color: #fff;
   border-radius: 6px;
   padding: 0.6em 1em;
   margin: 1em 0;
}
p.case_ok { background-color: #0a0; }
p.case_non_strict, p.case_no_close { background-color: #9a0; }
p.case_info { background-color: #4095BF; }
p.case_unimplemented { background-color: #800080; }
p.case_failed { background-color: #900; }
.case_pickle {
   font-family: Consolas, "Courier New", monospace;
   font-size: 0.9em;
   word-wrap: break-word;
}
.case_notes { border-color: #4095BF; }
.warning {
   color: #900;
   font-style: italic;
}
pre.http_dump {
   font-family: Consolas, "Courier New", monospace;
   background-color: #222;
   color: #eee;
   padding: 0.6em 1em;
   white-space: pre-wrap;
   word-wrap: break-word;
}
table.stats {
   border-collapse: collapse;
   margin-bottom: 1em;
}
table.stats td {
   padding: 0.2em 0.8em;
   text-align: right;
}
table.stats td.left { text-align: left; }
tr.stats_header { background-color: #000; color: #fff; }
tr.stats_row { background-color: #fc3; color: #000; }
tr.stats_total { background-color: #888; color: #fff; font-weight: bold; }
#wirelog pre {
   font-family: Consolas, "Courier New", monospace;
   color: #fff;
   margin: 0;
   padding: 0 0.4em;
   white-space: pre;
}
pre.wirelog_rx_octets { background-color: #060; }
pre.wirelog_tx_octets { background-color: #600; }
pre.wirelog_tx_octets_sync { background-color: #606; }
pre.wirelog_rx_frame { background-color: #0a0; }
pre.wirelog_tx_frame { background-color: #a00; }
pre.wirelog_tx_frame_sync { background-color: #a0a; }
pre.wirelog_delay, pre.wirelog_kill_after, pre.wirelog_tcp_closed_by_peer { background-color: #000; }
pre.wirelog_tcp_closed_by_me { background-color: #008; }
`;

/** Verdict colours (docs/reports.md, index.html): index cells, summary counts, the browser page's counts. */
export const VERDICT_CSS = `.case_ok, .case_almost, .case_non_strict, .case_no_close, .case_info, .case_unimplemented, .case_failed, .case_missing {
   color: #fff;
   text-align: center;
}
.case_ok { background-color: #0a0; }
.case_almost { background-color: #6d6; }
.case_non_strict, .case_no_close { background-color: #9a0; }
.case_info { background-color: #4095BF; }
.case_unimplemented { background-color: #800080; }
.case_failed { background-color: #900; }
.case_missing { background-color: #a05a2c; }`;

/** index.html: legend, agent summary, summary matrix, toggle buttons, case descriptions. */
export const INDEX_CSS = `
#toggle_button, #failures_only_button {
   position: fixed;
   z-index: 1;
   top: 1em;
   right: 1em;
   background-color: #048;
   color: #fff;
   border-radius: 4px;
   padding: 0.4em 0.8em;
   cursor: pointer;
}
#failures_only_button { top: 3.4em; }
.unselectable { user-select: none; -webkit-user-select: none; }
#master_report_header { margin-bottom: 1.5em; }
#case_outcome_desc { border-collapse: collapse; }
#case_outcome_desc td { padding: 0.3em 0.8em; }
td.outcome_desc { text-align: left; color: #333; }
#failures_only_button::before { content: "\\2610\\00a0"; }
#failures_only:checked + #failures_only_button { background-color: #900; }
#failures_only:checked + #failures_only_button::before { content: "\\2611\\00a0"; }
#failures_only:focus-visible + #failures_only_button { outline: 2px solid #fc3; }
/* The checkbox is operated through its label; it stays in the page (keyboard, no script needed). */
#failures_only { position: fixed; top: 3.4em; right: 1em; opacity: 0; margin: 0; }
#failures_only:checked ~ #agent_case_results tbody:not(.has_failure),
#failures_only:checked ~ #agent_case_results tr.agent_case_result_row:not(.has_failure) { display: none; }
#no_failures { display: none; font-style: italic; }
#failures_only:checked ~ #no_failures { display: block; }
.unselectable { user-select: none; -webkit-user-select: none; }
#master_report_header { margin-bottom: 1.5em; }
#case_outcome_desc { border-collapse: collapse; }
#case_outcome_desc td { padding: 0.3em 0.8em; }
td.outcome_desc { text-align: left; color: #333; }
#agent_summary { border-collapse: collapse; margin-top: 1.2em; }
#agent_summary th, #agent_summary td {
   padding: 0.25em 0.6em;
   border: 1px solid #f4f4f4;
   text-align: center;
}
#agent_summary th { background-color: #000; color: #fff; font-weight: normal; }
#agent_summary th.summary_group { background-color: #333; }
#agent_summary td.zero { background-color: #fff; color: #999; }
#agent_summary td.agent { text-align: left; }
#agent_case_results { border-collapse: collapse; }
#agent_case_results td {
   padding: 0.2em 0.6em;
   border: 1px solid #f4f4f4;
   white-space: nowrap;
}
${VERDICT_CSS}
td.case_category { background-color: #000; color: #fff; font-weight: bold; }
td.case_subcategory { background-color: #333; color: #fff; }
/* Long titles (13.x: up to ~250 characters) wrap instead of widening the matrix. */
#agent_case_results td.case_subcategory { white-space: normal; }
div.subcategory_title { max-width: 50em; }
td.case { background-color: #666; color: #fff; }
td.agent { background-color: #048; color: #fff; text-align: center; font-weight: bold; }
/* Agent names come from the peer (Server header, URL): they may be long; they wrap rather than widen. */
#agent_case_results td.agent, #agent_summary td.agent { white-space: normal; overflow-wrap: anywhere; min-width: 6em; }
td.close { font-size: 0.85em; }
.case_duration { font-size: 0.8em; }
a.up { font-size: 0.85em; }
`;

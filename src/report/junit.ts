// --junit FILE: the run as JUnit XML for CI test views (README "In CI"). One <testsuite> per agent
// and category, one <testcase> per case; a case that fails by the pass rule (docs/verdicts.md, Pass and fail) has a
// <failure> with the result texts and its case page; UNIMPLEMENTED cases are <skipped>.
// Agent names and result texts come from the peer: escaped, and characters XML 1.0 forbids removed.
import path from 'node:path';
import { categoryOf, compareIds } from '../cases/ids.js';
import { CATEGORY_TITLES, caseTitle } from '../cases/titles.js';
import type { CaseResult } from '../fuzz/result.js';
import { agentFileStems, caseFileBase } from './naming.js';
import { isFailure } from '../fuzz/verdicts.js';

/** Characters outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text content: illegal characters removed, markup characters escaped. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; line breaks and tabs as references so parsers keep them. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export interface JunitOptions {
  /** The report directory as the user gave it; case page paths in failures are joined onto it. */
  reportDir: string;
}

/** `stem`: the agent's report file name stem (report/naming.ts). */
function testcase(r: CaseResult, stem: string, options: JunitOptions): string {
  const open = `    <testcase classname="${xmlAttr(`wsfuzz.${r.agent}.${categoryOf(r.id)}`)}" name="${xmlAttr(`${r.id} ${caseTitle(r.id)}`)}" time="${seconds(r.duration)}"`;
  if (r.behavior === 'UNIMPLEMENTED') {
    return `${open}>\n      <skipped message="${xmlAttr(`UNIMPLEMENTED: ${r.result}`)}"/>\n    </testcase>`;
  }
  if (!isFailure(r)) return `${open}/>`;
  const page = path.join(options.reportDir, `${caseFileBase(stem, r.id)}.html`);
  const body = [
    `Result: ${r.behavior}: ${r.result}`,
    `Close: ${r.behaviorClose}: ${r.resultClose} (remote close code ${r.remoteCloseCode ?? 'none'})`,
    `Case page: ${page}`,
  ].join('\n');
  const message = `${r.behavior} / ${r.behaviorClose}`;
  return `${open}>\n      <failure message="${xmlAttr(message)}" type="${xmlAttr(r.behavior)}">${xmlText(body)}</failure>\n    </testcase>`;
}

function sortedStrings(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The whole document; agents in string order, categories and cases in ID order. */
export function renderJunit(results: readonly CaseResult[], options: JunitOptions): string {
  const groups = new Map<string, Map<string, CaseResult[]>>();
  for (const r of results) {
    let byCategory = groups.get(r.agent);
    if (!byCategory) groups.set(r.agent, (byCategory = new Map()));
    const category = categoryOf(r.id);
    let list = byCategory.get(category);
    if (!list) byCategory.set(category, (list = []));
    list.push(r);
  }
  const stems = agentFileStems(groups.keys());
  const suites: string[] = [];
  let totalFailures = 0;
  let totalMs = 0;
  for (const agent of sortedStrings(groups.keys())) {
    const byCategory = groups.get(agent)!;
    for (const category of [...byCategory.keys()].sort(compareIds)) {
      const cases = byCategory.get(category)!.sort((a, b) => compareIds(a.id, b.id));
      const failures = cases.filter(isFailure).length;
      const skipped = cases.filter((r) => r.behavior === 'UNIMPLEMENTED').length;
      const ms = cases.reduce((sum, r) => sum + r.duration, 0);
      totalFailures += failures;
      totalMs += ms;
      const name = `${category} ${CATEGORY_TITLES[category] ?? 'Misc'} (${agent})`;
      suites.push(
        `  <testsuite name="${xmlAttr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(ms)}">\n` +
          cases.map((r) => testcase(r, stems.get(agent)!, options)).join('\n') +
          '\n  </testsuite>',
      );
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="wsfuzz" tests="${results.length}" failures="${totalFailures}" errors="0" time="${seconds(totalMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

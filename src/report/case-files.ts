// Case files written as cases finish (docs/reports.md, File names): a run keeps only each finished
// case's summary in memory (src/fuzz/result.ts, summaryOnly), whatever its length or its peer's
// traffic. index.json and index.html are written from the summaries at the end (write.ts), which
// also corrects the links of pages whose neighbours or file-name stem turned out different.
import path from 'node:path';
import type { CaseOutcome } from '../fuzz/result.js';
import { summaryOnly } from '../fuzz/result.js';
import { toReportJson } from './json.js';
import { agentFileStems, caseFileBase } from './naming.js';
import { renderCasePage, type CaseNeighbours } from './html-case.js';
import { ensureDirectory, writeFileAtomic } from './atomic-file.js';
import type { ReportMeta } from './write.js';

export class CaseFiler {
  /** The agents filed so far: their file-name stems depend on the whole set (naming.ts). */
  private readonly agents = new Set<string>();
  /** Filings not finished yet. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The report directory, created (once) before the first file. */
  private directory: Promise<void> | null = null;

  constructor(
    private readonly outdir: string,
    private readonly meta: ReportMeta,
    /** Told the name (inside outdir) of every file written. */
    private readonly onWritten: (name: string) => void = () => undefined,
  ) {}

  /**
   * Write the case's JSON and HTML page, then drop from memory what only the page needs. The page
   * links to the neighbours it has once every case in `dueIds` (the agent's cases, in catalogue
   * order) has finished; writeReports corrects it when the run ends otherwise.
   */
  file(outcome: CaseOutcome, dueIds: readonly string[]): Promise<void> {
    const done = this.write(outcome, dueIds).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
    return done;
  }

  /** Resolves when every filing begun so far has ended (successfully or not). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async write(outcome: CaseOutcome, dueIds: readonly string[]): Promise<void> {
    const r = outcome.result;
    this.agents.add(r.agent);
    const stem = agentFileStems(this.agents).get(r.agent)!;
    const i = dueIds.indexOf(r.id);
    const previous = i > 0 ? dueIds[i - 1] : undefined;
    const next = i >= 0 ? dueIds[i + 1] : undefined;
    const links: CaseNeighbours = { stem, ...(previous !== undefined ? { previous } : {}), ...(next !== undefined ? { next } : {}) };
    const base = caseFileBase(stem, r.id);
    await (this.directory ??= ensureDirectory(this.outdir));
    await writeFileAtomic(path.join(this.outdir, `${base}.json`), toReportJson(r));
    this.onWritten(`${base}.json`);
    await writeFileAtomic(path.join(this.outdir, `${base}.html`), renderCasePage(outcome, this.meta, links));
    this.onWritten(`${base}.html`);
    outcome.result = summaryOnly(r);
    outcome.filed = links;
  }
}

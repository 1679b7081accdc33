// Console progress for long runs: a live line on terminals, one line per category in logs (CI).
import { categoryOf } from '../cases/ids.js';
import { CATEGORY_TITLES } from '../cases/titles.js';
import { casesText } from '../report/summary.js';
import { isFailure } from '../fuzz/verdicts.js';
import type { ProgressEvent } from '../modes/fuzzingclient.js';
import { printable } from './terminal.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export class ProgressPrinter {
  private readonly tty: boolean;
  private category: string | null = null;
  private categoryCases = 0;
  private categoryFailures = 0;
  private categoryStarted = 0;
  private liveLine = false;

  constructor(
    private readonly verbosity: Verbosity,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  private write(line: string): void {
    if (this.liveLine) {
      this.out.write('\r\x1b[K');
      this.liveLine = false;
    }
    this.out.write(printable(line) + '\n');
  }

  private flushCategory(): void {
    if (this.category === null) return;
    const secs = ((performance.now() - this.categoryStarted) / 1000).toFixed(1);
    const title = CATEGORY_TITLES[this.category] ?? 'Misc';
    const fails = this.categoryFailures ? `, ${this.categoryFailures} failing` : '';
    if (this.verbosity !== 'quiet') this.write(`  ${this.category} ${title}: ${casesText(this.categoryCases)}${fails} (${secs} s)`);
    this.category = null;
  }

  handle = (event: ProgressEvent): void => {
    switch (event.kind) {
      case 'server-start':
        this.flushCategory();
        if (this.verbosity !== 'quiet') this.write(`Running ${casesText(event.cases)} against ${event.url}`);
        break;
      case 'connect-failed':
        this.write(`  warning: cannot connect to ${event.url} for case ${event.caseId}: ${event.reason}` + (event.giveUp ? ' (giving up on this server)' : ''));
        break;
      case 'case-skipped':
        if (this.verbosity === 'verbose') this.write(`  ${event.caseId} skipped for agent ${event.agent} (exclude-agent-cases)`);
        break;
      case 'case-done': {
        const r = event.outcome.result;
        const cat = categoryOf(r.id);
        if (cat !== this.category) {
          this.flushCategory();
          this.category = cat;
          this.categoryCases = 0;
          this.categoryFailures = 0;
          this.categoryStarted = performance.now();
        }
        this.categoryCases++;
        if (isFailure(r)) this.categoryFailures++;
        if (this.verbosity === 'verbose') {
          this.write(`  ${r.agent} ${r.id.padEnd(8)} ${r.behavior} / ${r.behaviorClose}  ${r.duration} ms`);
        } else if (this.tty && this.verbosity === 'normal') {
          this.out.write(`\r\x1b[K  ${event.index}/${event.total}  ${r.id}`);
          this.liveLine = true;
        }
        if (event.index === event.total) this.flushCategory();
        break;
      }
    }
  };

  done(): void {
    this.flushCategory();
  }
}

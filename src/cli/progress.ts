// Console progress for long runs: a live line on terminals; in logs (CI, no TTY) one line per category
// plus a progress line whenever 10 s pass without a line, so no category runs for minutes in silence.
import { categoryOf } from '../cases/ids.js';
import { CATEGORY_TITLES } from '../cases/titles.js';
import { casesText } from '../report/summary.js';
import { isFailure } from '../fuzz/verdicts.js';
import type { ProgressEvent } from '../modes/fuzzingclient.js';
import { printable } from './terminal.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** Seconds without output after which a log gets a progress line. */
export const HEARTBEAT_SECONDS = 10;

export interface ProgressOptions {
  /** Milliseconds on a monotonic clock (tests pass a fake one). */
  now?: () => number;
  /** Run the heartbeat timer (off in tests, which call heartbeat() themselves). */
  timer?: boolean;
}

export class ProgressPrinter {
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly useTimer: boolean;
  private category: string | null = null;
  private categoryCases = 0;
  private categoryFailures = 0;
  private categoryStarted = 0;
  /** When the last case finished (or the server run started): where the next category's time begins. */
  private lastCaseAt = 0;
  private liveLine = false;
  /** The current server's run: cases finished (done or skipped) of total, failures, start time. */
  private run: { done: number; total: number; failures: number; started: number; last: string | null } | null = null;
  private lastLineAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly verbosity: Verbosity,
    private readonly out: NodeJS.WriteStream = process.stderr,
    options: ProgressOptions = {},
  ) {
    this.tty = Boolean(out.isTTY);
    this.now = options.now ?? (() => performance.now());
    this.useTimer = options.timer ?? true;
  }

  /** Plain progress lines are for logs: normal verbosity without a terminal (verbose prints every case). */
  private get heartbeats(): boolean {
    return !this.tty && this.verbosity === 'normal';
  }

  private write(line: string): void {
    if (this.liveLine) {
      this.out.write('\r\x1b[K');
      this.liveLine = false;
    }
    this.out.write(printable(line) + '\n');
    this.lastLineAt = this.now();
  }

  private flushCategory(): void {
    if (this.category === null) return;
    const secs = ((this.lastCaseAt - this.categoryStarted) / 1000).toFixed(1);
    const title = CATEGORY_TITLES[this.category] ?? 'Misc';
    const fails = this.categoryFailures ? `, ${this.categoryFailures} failing` : '';
    if (this.verbosity !== 'quiet') this.write(`  ${this.category} ${title}: ${casesText(this.categoryCases)}${fails} (${secs} s)`);
    this.category = null;
  }

  /** "  progress: 140/517 cases, 2 failing, 95 s (last: 12.1.3)". */
  progressLine(): string | null {
    const r = this.run;
    if (r === null) return null;
    const secs = Math.round((this.now() - r.started) / 1000);
    const fails = r.failures ? `, ${r.failures} failing` : '';
    const last = r.last === null ? '' : ` (last: ${r.last})`;
    return `  progress: ${r.done}/${r.total} cases${fails}, ${secs} s${last}`;
  }

  /** Print the progress line if this is a log and nothing was printed for HEARTBEAT_SECONDS. */
  heartbeat(): void {
    if (!this.heartbeats || this.run === null) return;
    if (this.now() - this.lastLineAt < HEARTBEAT_SECONDS * 1000) return;
    const line = this.progressLine();
    if (line !== null) this.write(line);
  }

  private startTimer(): void {
    if (!this.useTimer || !this.heartbeats || this.timer !== null) return;
    this.timer = setInterval(() => this.heartbeat(), 1000);
    this.timer.unref();
  }

  handle = (event: ProgressEvent): void => {
    switch (event.kind) {
      case 'server-start':
        this.flushCategory();
        this.run = { done: 0, total: event.cases, failures: 0, started: this.now(), last: null };
        this.lastCaseAt = this.now();
        if (this.verbosity !== 'quiet') this.write(`Running ${casesText(event.cases)} against ${event.url}`);
        this.startTimer();
        break;
      case 'connect-failed':
        this.write(`  warning: cannot connect to ${event.url} for case ${event.caseId}: ${event.reason}` + (event.giveUp ? ' (giving up on this server)' : ''));
        break;
      case 'case-skipped':
        if (this.run) this.run.done++;
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
          this.categoryStarted = this.lastCaseAt;
        }
        this.lastCaseAt = this.now();
        this.categoryCases++;
        const failed = isFailure(r);
        if (failed) this.categoryFailures++;
        if (this.run) {
          this.run.done = Math.max(this.run.done, event.index);
          this.run.total = event.total;
          this.run.last = r.id;
          if (failed) this.run.failures++;
        }
        if (this.verbosity === 'verbose') {
          this.write(`  ${r.agent} ${r.id.padEnd(8)} ${r.behavior} / ${r.behaviorClose}  ${r.duration} ms`);
        } else if (this.tty && this.verbosity === 'normal') {
          this.out.write(`\r\x1b[K  ${event.index}/${event.total}  ${r.id}`);
          this.liveLine = true;
        }
        if (event.index === event.total) this.flushCategory();
        else this.heartbeat();
        break;
      }
    }
  };

  done(): void {
    this.flushCategory();
    this.run = null;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}

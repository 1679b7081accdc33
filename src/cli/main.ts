// The wsfuzz command line: parse arguments and spec files, run a mode, print, set the exit code.
// Exit codes: 0 = every case passed, 1 = some case failed, 2 = usage, configuration or connection error.
import { existsSync } from 'node:fs';
import { defaultJobs } from '../modes/schedule.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SelectionError } from '../cases/selection.js';
import { OptionsError } from '../fuzz/options.js';
import { CaseFiler } from '../report/case-files.js';
import { runFuzzingClient, type FuzzingClientConfig, type FuzzingClientRun } from '../modes/fuzzingclient.js';
import type { CaseOutcome } from '../fuzz/result.js';
import { checkWritableDirectory, ReportWriteError, writeReports } from '../report/write.js';
import { MergeError } from '../report/merge.js';
import { casesText, summarize, summaryLine } from '../report/summary.js';
import { PRODUCT } from '../version.js';
import { ConfigError, checkWsUrl } from './spec.js';
import { resolveCaseList, resolveFuzzingClient, resolveFuzzingServer, type CommonOptions } from '../api/options.js';
import { spawn } from 'node:child_process';
import { startFuzzingServer } from '../modes/fuzzingserver.js';
import { ProgressPrinter, type Verbosity } from './progress.js';
import { printable } from './terminal.js';
import { interruptOnSignals, signalExitCode } from './interrupt.js';
import { dispatch, type CommandTable } from './commands.js';
import { wstest } from './wstest.js';
import { mergeReportsCommand } from './merge-reports.js';
import { CI_RESULT_OPTIONS, finishCiResults, NO_CI_RESULTS, prepareCiResults, type CiResults } from './ci-results.js';
import { listLines, resolveSelection, SELECTION_OPTIONS } from './selection.js';
import { consoleText, handshakeFailureLines, incompleteDriverLines } from './run-outcome.js';
import { isAgentCaseExcluded } from '../cases/selection.js';

/** Set when a signal ended a run: cases still in flight must not keep the process alive. */
let exitAtOnce = false;

const EXIT_OK = 0;
const EXIT_FAILURES = 1;
const EXIT_ERROR = 2;

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function parseJobs(value: string | undefined): number {
  if (value === undefined) return 1;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new ConfigError('--jobs must be an integer 1..64');
  return jobs;
}

/** A TCP port from the command line: digits only, 0..65535 (Number('') would be 0, i.e. any port). */
function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('--port must be an integer 0..65535');
  return port;
}

/** Listening failures (port in use, bad address) are the user's to fix: one line, not a stack. */
async function listening<T>(host: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      throw new ConfigError(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
    }
    throw err;
  }
}

function verbosityOf(values: { verbose?: boolean; quiet?: boolean }): Verbosity {
  return values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal';
}

/** The options both fuzzing modes take from the command line: spec, selection, shard, outdir. */
function commonOptions(
  spec: string | undefined,
  values: { cases?: string; exclude?: string; outdir?: string; shard?: string },
): CommonOptions {
  return {
    spec,
    cases: values.cases,
    exclude: values.exclude,
    outdir: values.outdir,
    shard: values.shard,
    warn: (line: string) => console.error(line),
  };
}

async function fuzzingClient(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      wsuri: { type: 'string', short: 'w' },
      agent: { type: 'string' },
      cases: { type: 'string' },
      exclude: { type: 'string' },
      spec: { type: 'string', short: 's' },
      outdir: { type: 'string' },
      'user-agent': { type: 'string' },
      'connect-timeout': { type: 'string' },
      jobs: { type: 'string' },
      'max-time': { type: 'string' },
      verbose: { type: 'boolean' },
      quiet: { type: 'boolean' },
      mode: { type: 'string', short: 'm' },
      ...SELECTION_OPTIONS,
      ...CI_RESULT_OPTIONS,
    },
    strict: true,
  });
  let specFile = values.spec;
  const url = values.url ?? values.wsuri;
  if (specFile === undefined && url === undefined) {
    if (existsSync('fuzzingclient.json')) {
      specFile = 'fuzzingclient.json';
      console.error(`Using implicit spec file '${path.resolve(specFile)}'`);
    } else if (!values.list) {
      throw new ConfigError('give the server to test with --url ws://host:port, or a spec file with --spec fuzzingclient.json');
    }
  }
  const common = commonOptions(specFile, values);
  if (values.list) return printList(await resolveCaseList(common, 'fuzzingclient'));
  const ci = await prepareCiResults(values);
  const { config, outdir, ignoredSpecKeys } = await resolveFuzzingClient({
    ...common,
    url,
    agent: values.agent,
    userAgent: values['user-agent'],
    connectTimeout: values['connect-timeout'] !== undefined ? Number(values['connect-timeout']) : undefined,
    jobs: values.jobs !== undefined ? Number(values.jobs) : undefined,
    maxTime: values['max-time'] !== undefined ? Number(values['max-time']) : undefined,
  });
  for (const key of ignoredSpecKeys) console.error(`note: spec key '${key}' is not used by fuzzingclient and was ignored`);
  await checkWritableDirectory(outdir);
  const { run, signal } = await interruptibleRun(config, new ProgressPrinter(verbosityOf(values)), outdir);
  return signal === null ? finishRun(run, outdir, ci) : partialReport(run, signal, outdir, ci);
}

/** Run fuzzingclient until it ends or SIGINT/SIGTERM stops it (`signal`: the one that did). */
async function interruptibleRun(
  config: FuzzingClientConfig,
  progress: ProgressPrinter,
  outdir: string,
): Promise<{ run: FuzzingClientRun; signal: NodeJS.Signals | null }> {
  const interrupt = interruptOnSignals();
  // Each case's files are written as it finishes; the run keeps only summaries (report/case-files.ts).
  const filer = new CaseFiler(outdir, { product: PRODUCT, generatedAt: new Date() });
  try {
    const run = await runFuzzingClient({ ...config, signal: interrupt.signal, onOutcome: (o, due) => filer.file(o, due) }, progress.handle);
    progress.done();
    return { run, signal: interrupt.received() };
  } finally {
    interrupt.dispose();
  }
}

/** The report of an interrupted run: the cases finished so far; exit status 128 + the signal's number. */
async function partialReport(run: FuzzingClientRun, signal: NodeJS.Signals, outdir: string, ci: CiResults): Promise<number> {
  exitAtOnce = true;
  console.error(`wsfuzz: ${signal}: the run was interrupted; writing a partial report (${casesText(run.outcomes.length)} finished)`);
  await finishRun(run, outdir, ci);
  console.error('wsfuzz: the report is partial: the cases not finished show as Missing');
  return signalExitCode(signal);
}

/** --list: the selected cases, one per line. */
function printList(selected: readonly string[]): number {
  for (const line of listLines(selected)) console.log(line);
  return EXIT_OK;
}

/** Report the servers that could not be reached or were renamed, then the results; returns the exit code. */
async function finishRun(run: FuzzingClientRun, outdir: string, ci: CiResults): Promise<number> {
  const unreachable = run.servers.filter((s) => s.unreachable);
  for (const s of unreachable) console.error(printable(`wsfuzz: error: cannot connect to ${s.url}: ${s.firstConnectError ?? 'unknown error'}`));
  if (run.notRun > 0) console.error(`wsfuzz: the run's time limit was reached: ${casesText(run.notRun)} not run (reported as failed)`);
  for (const r of run.renamedAgents) {
    console.error(`wsfuzz: warning: ${r.url} has the agent name ${consoleText(r.from, 80)} of an earlier server; its results are filed as ${consoleText(r.to, 80)}`);
  }
  return reportRun(run.outcomes, outdir, ci, { errors: unreachable.length > 0 });
}

interface RunEnd {
  /** A connection or command error: exit status 2 whatever the verdicts. */
  errors: boolean;
  /** Lines saying the run is incomplete (fuzzingserver --run): at least exit status 1. */
  incomplete?: string[];
  /** The cases each agent should have (for --expect). */
  dueIds?: (agent: string) => readonly string[];
}

/** Write the reports, print where they are, how each agent did and the CI results; returns the exit code. */
async function reportRun(outcomes: CaseOutcome[], outdir: string, ci: CiResults, end: RunEnd): Promise<number> {
  const results = outcomes.map((o) => o.result);
  const summaries = summarize(results);
  if (outcomes.length > 0) {
    const written = await writeReports(outdir, outcomes, { product: PRODUCT, generatedAt: new Date() });
    console.log(`Report: ${path.resolve(written.indexHtml)} (index.json beside it)`);
    for (const s of summaries) console.log(printable(summaryLine(s)));
  } else {
    console.log('No results were recorded, so no report was written.');
  }
  for (const line of handshakeFailureLines(results)) console.error(`wsfuzz: ${line}`);
  let status = end.errors ? EXIT_ERROR : summaries.some((s) => s.failures.length > 0) ? EXIT_FAILURES : EXIT_OK;
  status = await finishCiResults(ci, results, { reportDir: outdir, status, ...(end.dueIds ? { dueIds: end.dueIds } : {}) });
  for (const line of end.incomplete ?? []) console.error(`wsfuzz: incomplete run: ${line}`);
  if ((end.incomplete ?? []).length > 0 && status === EXIT_OK) status = EXIT_FAILURES;
  return status;
}

async function fuzzingServer(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      spec: { type: 'string', short: 's' },
      outdir: { type: 'string' },
      cases: { type: 'string' },
      exclude: { type: 'string' },
      run: { type: 'string' },
      'strict-host-port': { type: 'boolean' },
      'allow-host': { type: 'string', multiple: true },
      'allow-origin': { type: 'string', multiple: true },
      'max-agents': { type: 'string' },
      'max-connections': { type: 'string' },
      key: { type: 'string' },
      cert: { type: 'string' },
      verbose: { type: 'boolean' },
      quiet: { type: 'boolean' },
      webport: { type: 'string', short: 'u' },
      ...SELECTION_OPTIONS,
      ...CI_RESULT_OPTIONS,
    },
    strict: true,
  });
  let specFile = values.spec;
  if (specFile === undefined && existsSync('fuzzingserver.json')) {
    specFile = 'fuzzingserver.json';
    console.error(`Using implicit spec file '${path.resolve(specFile)}'`);
  }
  const common = commonOptions(specFile, values);
  if (values.list) return printList(await resolveCaseList(common, 'fuzzingserver'));
  const ci = await prepareCiResults(values);
  const { config, outdir, ignoredSpecKeys } = await resolveFuzzingServer(
    {
      ...common,
      port: values.port !== undefined ? parsePort(values.port) : undefined,
      host: values.host,
      strictHostPort: values['strict-host-port'],
      allowHosts: values['allow-host'],
      allowOrigins: values['allow-origin'],
      maxAgents: values['max-agents'] !== undefined ? Number(values['max-agents']) : undefined,
      maxConnections: values['max-connections'] !== undefined ? Number(values['max-connections']) : undefined,
      keyFile: values.key,
      certFile: values.cert,
    },
    9001,
  );
  await checkWritableDirectory(outdir);
  for (const key of ignoredSpecKeys) console.error(`note: spec key '${key}' is not used by fuzzingserver and was ignored`);
  const quiet = values.quiet ?? false;
  const server = await listening(config.host, config.port, () =>
    startFuzzingServer({
      ...config,
      log: (line) => {
        if (!quiet) console.error(printable(line));
      },
    }),
  );
  console.log(`${PRODUCT} fuzzing server on ${server.url}: ${casesText(server.selected.length)} for any client that connects`);
  const pageHost = server.url.replace(/^ws(s?):/, 'http$1:');
  if (values.run === undefined) console.log(`Test a browser: open ${pageHost}/test_browser.html   Reports: ${pageHost}/reports/index.html`);
  let commandStatus: number | null = null;
  const signals = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const stopped = server.stopRequested.then(() => 'client request');
  const waits: Array<Promise<string>> = [signals, stopped];
  if (values.run !== undefined) {
    const command = values.run.replaceAll('{url}', server.url);
    console.log(`Running: ${command}`);
    const child = spawn(command, { shell: true, stdio: 'inherit', env: { ...process.env, WSFUZZ_URL: server.url } });
    waits.push(
      new Promise((resolve) => {
        child.on('error', (err) => {
          console.error(`wsfuzz: error: cannot run '${command}': ${err.message}`);
          commandStatus = 127;
          resolve('command failed to start');
        });
        child.on('exit', (code, signal) => {
          commandStatus = code ?? (signal ? 128 : 1);
          resolve('command finished');
        });
      }),
    );
  }
  const why = await Promise.race(waits);
  if (!quiet) console.error(`Stopping (${why})`);
  const outcomes = server.results();
  await server.close();
  const commandFailed = commandStatus !== null && commandStatus !== 0;
  if (commandFailed) console.error(`wsfuzz: error: the client command exited with status ${commandStatus}`);
  const selected = config.cases;
  const excludeAgentCases = config.excludeAgentCases;
  const dueIds = (agent: string) => selected.filter((id) => !isAgentCaseExcluded(excludeAgentCases, agent, id));
  return reportRun(outcomes, outdir, ci, {
    errors: commandFailed,
    incomplete: values.run !== undefined ? incompleteDriverLines(outcomes.map((o) => o.result), selected, excludeAgentCases) : [],
    dueIds,
  });
}

async function testeeClient(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { url: { type: 'string' }, wsuri: { type: 'string', short: 'w' }, agent: { type: 'string' }, ident: { type: 'string', short: 'i' }, quiet: { type: 'boolean' } },
    strict: true,
  });
  const url = checkWsUrl(values.url ?? values.wsuri ?? 'ws://127.0.0.1:9001', '--url');
  const agent = values.agent ?? values.ident ?? PRODUCT;
  const { runTesteeClient, TesteeClientError } = await import('../modes/testeeclient.js');
  const tty = process.stderr.isTTY && !values.quiet;
  try {
    const count = await runTesteeClient({
      url,
      agent,
      userAgent: PRODUCT,
      onCase: (n, total) => {
        if (tty) process.stderr.write(`\r\x1b[K  case ${n}/${total}`);
      },
    });
    if (tty) process.stderr.write('\r\x1b[K');
    console.log(printable(`${agent}: ran ${casesText(count)} against ${url}; the fuzzing server has the verdicts and wrote its reports`));
    return EXIT_OK;
  } catch (err) {
    if (err instanceof TesteeClientError) throw new ConfigError(err.message);
    throw err;
  }
}

async function echoServer(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' }, wsuri: { type: 'string', short: 'w' } },
    strict: true,
  });
  // Autobahn style: -w ws://host:port names where to listen.
  const wsuri = values.wsuri !== undefined ? new URL(checkWsUrl(values.wsuri, '--wsuri')) : undefined;
  if (wsuri?.protocol === 'wss:') throw new ConfigError('--wsuri: the echo server does not support TLS (wss://); use ws://');
  const uriPort = wsuri !== undefined ? wsuri.port || '80' : undefined;
  const portText = values.port ?? uriPort;
  const port = portText !== undefined ? parsePort(portText) : 9001;
  const host = values.host ?? (wsuri !== undefined ? wsuri.hostname.replace(/^\[(.*)\]$/, '$1') : '127.0.0.1');
  const { startEchoServer } = await import('../modes/echoserver.js');
  const server = await listening(host, port, () => startEchoServer({ host, port }));
  console.log(`${PRODUCT} echo server listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return EXIT_OK;
}

/** The reference echo server in its own process, so that it and the fuzzer each have a core. */
function startEchoServerProcess(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [process.argv[1]!, 'echoserver', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new ConfigError(`the reference echo server exited (${code}) before listening`)));
  });
}

async function selfTest(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      cases: { type: 'string' },
      exclude: { type: 'string' },
      outdir: { type: 'string' },
      jobs: { type: 'string' },
      verbose: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  });
  const jobs = values.jobs !== undefined ? parseJobs(values.jobs) : defaultJobs();
  const cases = resolveSelection(list(values.cases) ?? ['*'], list(values.exclude) ?? [], undefined, (line) => console.error(line), 'fuzzingclient');
  const outdir = values.outdir ?? './reports/servers';
  await checkWritableDirectory(outdir);
  const server = await startEchoServerProcess();
  console.log(`Started the reference echo server (${PRODUCT}) on ${server.url}; cases run up to ${jobs} at a time`);
  const progress = new ProgressPrinter(verbosityOf(values));
  const started = performance.now();
  try {
    const { run, signal } = await interruptibleRun(
      {
        servers: [{ url: server.url, agent: PRODUCT }],
        cases,
        excludeCases: [],
        excludeAgentCases: {},
        options: {},
        userAgent: PRODUCT,
        jobs,
      },
      progress,
      outdir,
    );
    if (signal !== null) return await partialReport(run, signal, outdir, NO_CI_RESULTS);
    console.log(`Ran ${casesText(run.outcomes.length)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return await finishRun(run, outdir, NO_CI_RESULTS);
  } finally {
    server.stop();
  }
}

const COMMANDS: CommandTable = {
  fuzzingclient: fuzzingClient,
  fuzzingserver: fuzzingServer,
  echoserver: echoServer,
  testeeclient: testeeClient,
  selftest: selfTest,
  'merge-reports': mergeReportsCommand,
};

export function main(argv: string[]): Promise<number> {
  return dispatch(argv, COMMANDS);
}

/** Errors a user can fix get one line; anything else is a wsfuzz bug and shows its stack. */
function report(err: unknown, program: string): number {
  // One line each: some messages (node:util parseArgs) span several.
  const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, ' ');
  if (err instanceof ConfigError || err instanceof SelectionError || err instanceof OptionsError || err instanceof MergeError || err instanceof ReportWriteError) {
    console.error(printable(`${program}: error: ${oneLine(err.message)}`));
    return EXIT_ERROR;
  }
  if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(printable(`${program}: error: ${oneLine(err.message)} (try: ${program} --help)`));
    return EXIT_ERROR;
  }
  console.error(`${program}: internal error (please report this):`);
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  for (const line of stack.split('\n')) console.error(printable(line));
  return EXIT_ERROR;
}

/** Entry point of the `wsfuzz` binary. */
export function run(argv: string[] = process.argv.slice(2)): void {
  settle(main(argv), 'wsfuzz');
}

/** Entry point of the `wstest` binary: Autobahn's command line (wstest -m MODE …). */
export function runWstest(argv: string[] = process.argv.slice(2)): void {
  settle(wstest(argv, COMMANDS), 'wstest');
}

function settle(status: Promise<number>, program: string): void {
  status.then(
    (code) => {
      process.exitCode = code;
      if (exitAtOnce) process.exit(code);
    },
    (err) => {
      process.exitCode = report(err, program);
    },
  );
}

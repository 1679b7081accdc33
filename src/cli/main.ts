// The wsfuzz command line: parse arguments and spec files, run a mode, print, set the exit code.
// Exit codes: 0 = every case passed, 1 = some case failed, 2 = usage, configuration or connection error.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SelectionError } from '../cases/selection.js';
import { OptionsError } from '../fuzz/options.js';
import { runFuzzingClient, type FuzzingClientRun, type ServerSpec } from '../modes/fuzzingclient.js';
import type { CaseOutcome } from '../fuzz/result.js';
import { writeReports } from '../report/write.js';
import { MergeError } from '../report/merge.js';
import { casesText, summarize, summaryLine } from '../report/summary.js';
import { PRODUCT, VERSION } from '../version.js';
import { ConfigError, checkWsUrl, parseFuzzingClientSpec, parseFuzzingServerSpec, readJsonFile } from './spec.js';
import { spawn } from 'node:child_process';
import { startFuzzingServer } from '../modes/fuzzingserver.js';
import { mergeReportsCommand } from './merge-reports.js';
import { ProgressPrinter, type Verbosity } from './progress.js';
import { CI_RESULT_OPTIONS, finishCiResults, NO_CI_RESULTS, prepareCiResults, type CiResults } from './ci-results.js';
import { listLines, resolveSelection, SELECTION_OPTIONS } from './selection.js';
import { consoleText, handshakeFailureLines, incompleteDriverLines } from './run-outcome.js';
import { isAgentCaseExcluded } from '../cases/selection.js';

const USAGE = `Usage: wsfuzz <command> [options]

Commands:
  fuzzingclient   Test WebSocket servers: wsfuzz connects to each and runs every selected case.
  fuzzingserver   Test WebSocket clients: wsfuzz listens; clients drive it (/getCaseCount, /runCase, ...).
  echoserver      Run wsfuzz's reference echo server.
  testeeclient    Run wsfuzz's reference client against a fuzzing server (all its cases).
  selftest        Run the whole suite against the embedded reference echo server (npm start).
  merge-reports   Merge report directories (e.g. the shards of a CI matrix) into one report.

fuzzingclient options:
  --url URL             server to test (ws:// or wss://); overrides the spec's servers
  --agent NAME          name the results are filed under (default: the Server header)
  --cases LIST          comma-separated case patterns, e.g. '1.*,2.3' (default: all)
  --exclude LIST        comma-separated case patterns to leave out, e.g. '9.*,12.*,13.*'
  --list                print the selected cases with their titles and exit (connects to nothing)
  --shard I/N           run only slice I of N of the selection (a CI matrix; see wsfuzz merge-reports)
  --expect FILE         compare with expected results (an index.json, or a file --update-expect wrote);
                        exit status 0 exactly when no selected case differs
  --accept-non-strict   with --expect: behavior OK and NON-STRICT count as the same
  --update-expect FILE  write the run's verdicts into FILE (other cases in FILE are kept)
  --junit FILE          write JUnit XML (one testsuite per category, one testcase per case)
  --spec FILE           Autobahn fuzzingclient.json spec file
  --outdir DIR          report directory (default: ./reports/servers)
  --user-agent TEXT     User-Agent header (default: ${PRODUCT})
  --connect-timeout S   seconds to wait for each TCP connection (default: 30)
  --jobs N              run up to N compression cases (12.x, 13.x) at once (default: 1)
  --verbose, --quiet    more or less progress output

fuzzingserver options:
  --port N              port to listen on (default: 9001, or the spec's url port)
  --host ADDR           address to listen on (default: 127.0.0.1)
  --spec FILE           Autobahn fuzzingserver.json spec file
  --outdir DIR          report directory (default: ./reports/clients)
  --cases, --exclude, --list, --shard, --expect, --accept-non-strict, --update-expect, --junit
                        as above; with --run, a driver that runs fewer cases than selected fails the run
  --run COMMAND         one-shot: start, run COMMAND (a client driver; {url} and $WSFUZZ_URL hold the
                        server URL), write the reports and exit with the run's status
  --strict-host-port    reject a Host header whose port differs from the listening port

echoserver options:
  --port N              port to listen on (default: 9001)
  --host ADDR           address to listen on (default: 127.0.0.1)

merge-reports options: wsfuzz merge-reports --outdir OUT DIR...
  --outdir DIR          the merged report directory (required; not one of the inputs)
  --expect, --accept-non-strict, --update-expect, --junit   as above, on the merged results

testeeclient options:
  --url URL             the fuzzing server (default: ws://127.0.0.1:9001)
  --agent NAME          agent name for the results (default: ${PRODUCT})

Exit status: 0 all cases passed, 1 some case failed, 2 usage, configuration or connection error.
With --expect: 0 no selected case differs from FILE, 1 some does, 2 errors.
Autobahn-style invocations also work: wsfuzz --mode fuzzingclient --spec fuzzingclient.json`;

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
  const spec = specFile !== undefined ? parseFuzzingClientSpec(await readJsonFile(specFile)) : { ignoredKeys: [] as string[] };
  for (const key of spec.ignoredKeys) console.error(`note: spec key '${key}' is not used by fuzzingclient and was ignored`);
  const selected = resolveSelection(list(values.cases) ?? spec.cases ?? ['*'], list(values.exclude) ?? spec.excludeCases ?? [], values.shard, console.error);
  if (values.list) return printList(selected);
  const ci = await prepareCiResults(values);
  let servers: ServerSpec[] = spec.servers ?? [];
  if (url !== undefined) {
    const server: ServerSpec = { url: checkWsUrl(url, '--url') };
    if (values.agent !== undefined) server.agent = values.agent;
    servers = [server];
  } else if (values.agent !== undefined) {
    servers = servers.map((s) => ({ ...s, agent: values.agent }));
  }
  if (servers.length === 0) throw new ConfigError('no server to test: the spec has no "servers" and no --url was given');
  const connectTimeout = values['connect-timeout'] !== undefined ? Number(values['connect-timeout']) : 30;
  if (!(connectTimeout > 0)) throw new ConfigError('--connect-timeout must be a positive number of seconds');
  const outdir = values.outdir ?? spec.outdir ?? './reports/servers';
  const jobs = parseJobs(values.jobs);
  const progress = new ProgressPrinter(verbosityOf(values));
  const run = await runFuzzingClient(
    {
      servers,
      cases: selected,
      excludeCases: [],
      excludeAgentCases: spec.excludeAgentCases ?? {},
      options: spec.options ?? {},
      userAgent: values['user-agent'] ?? PRODUCT,
      connectTimeout,
      jobs,
    },
    progress.handle,
  );
  progress.done();
  return finishRun(run, outdir, ci);
}

/** --list: the selected cases, one per line. */
function printList(selected: readonly string[]): number {
  for (const line of listLines(selected)) console.log(line);
  return EXIT_OK;
}

/** Report the servers that could not be reached or were renamed, then the results; returns the exit code. */
async function finishRun(run: FuzzingClientRun, outdir: string, ci: CiResults): Promise<number> {
  const unreachable = run.servers.filter((s) => s.unreachable);
  for (const s of unreachable) console.error(`wsfuzz: error: cannot connect to ${s.url}: ${s.firstConnectError ?? 'unknown error'}`);
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
    for (const s of summaries) console.log(summaryLine(s));
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
  const spec = specFile !== undefined ? parseFuzzingServerSpec(await readJsonFile(specFile)) : { ignoredKeys: [] as string[] };
  for (const key of spec.ignoredKeys) console.error(`note: spec key '${key}' is not used by fuzzingserver and was ignored`);
  const port = values.port !== undefined ? parsePort(values.port) : (spec.port ?? 9001);
  const outdir = values.outdir ?? spec.outdir ?? './reports/clients';
  const quiet = values.quiet ?? false;
  const host = values.host ?? '127.0.0.1';
  const selected = resolveSelection(list(values.cases) ?? spec.cases ?? ['*'], list(values.exclude) ?? spec.excludeCases ?? [], values.shard, console.error);
  if (values.list) return printList(selected);
  const ci = await prepareCiResults(values);
  const excludeAgentCases = spec.excludeAgentCases ?? {};
  const server = await listening(host, port, () => startFuzzingServer({
    host,
    port,
    cases: selected,
    excludeCases: [],
    excludeAgentCases,
    options: spec.options ?? {},
    outdir,
    product: PRODUCT,
    strictHostPort: values['strict-host-port'] ?? false,
    log: (line) => {
      if (!quiet) console.error(line);
    },
  }));
  console.log(`${PRODUCT} fuzzing server on ${server.url}: ${casesText(server.selected.length)} for any client that connects`);
  const pageHost = server.url.replace(/^ws:/, 'http:');
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
    console.log(`${agent}: ran ${casesText(count)} against ${url}; the fuzzing server has the verdicts and wrote its reports`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof TesteeClientError) throw new ConfigError(err.message);
    throw err;
  }
}

async function echoServer(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' } },
    strict: true,
  });
  const port = values.port !== undefined ? parsePort(values.port) : 9001;
  const host = values.host ?? '127.0.0.1';
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
  const jobs = values.jobs !== undefined ? parseJobs(values.jobs) : Math.min(4, availableParallelism());
  const selected = resolveSelection(list(values.cases) ?? ['*'], list(values.exclude) ?? [], undefined, console.error);
  const server = await startEchoServerProcess();
  console.log(`Started the reference echo server (${PRODUCT}) on ${server.url}; compression cases run ${jobs} at a time`);
  const progress = new ProgressPrinter(verbosityOf(values));
  const started = performance.now();
  try {
    const run = await runFuzzingClient(
      {
        servers: [{ url: server.url, agent: PRODUCT }],
        cases: selected,
        excludeCases: [],
        excludeAgentCases: {},
        options: {},
        userAgent: PRODUCT,
        jobs,
      },
      progress.handle,
    );
    progress.done();
    console.log(`Ran ${casesText(run.outcomes.length)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return await finishRun(run, values.outdir ?? './reports/servers', NO_CI_RESULTS);
  } finally {
    server.stop();
  }
}

export async function main(argv: string[]): Promise<number> {
  let [command, ...rest] = argv;
  // Autobahn-style: wsfuzz --mode fuzzingclient --spec file.json
  const modeAt = argv.findIndex((a) => a === '--mode' || a === '-m');
  if (modeAt >= 0 && argv[modeAt + 1] !== undefined) {
    command = argv[modeAt + 1];
    rest = argv.filter((_, i) => i !== modeAt && i !== modeAt + 1);
  }
  switch (command) {
    case 'fuzzingclient':
      return fuzzingClient(rest);
    case 'fuzzingserver':
      return fuzzingServer(rest);
    case 'echoserver':
      return echoServer(rest);
    case 'testeeclient':
      return testeeClient(rest);
    case 'selftest':
      return selfTest(rest);
    case 'merge-reports':
      return mergeReportsCommand(rest);
    case '--version':
    case 'version':
      console.log(VERSION);
      return EXIT_OK;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? EXIT_ERROR : EXIT_OK;
    default:
      throw new ConfigError(`unknown command '${command}' (try: wsfuzz --help)`);
  }
}

/** Errors a user can fix get one line; anything else is a wsfuzz bug and shows its stack. */
function report(err: unknown): number {
  // One line each: some messages (node:util parseArgs) span several.
  const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, ' ');
  if (err instanceof ConfigError || err instanceof SelectionError || err instanceof OptionsError || err instanceof MergeError) {
    console.error(`wsfuzz: error: ${oneLine(err.message)}`);
    return EXIT_ERROR;
  }
  if (err instanceof TypeError && (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`wsfuzz: error: ${oneLine(err.message)} (try: wsfuzz --help)`);
    return EXIT_ERROR;
  }
  console.error('wsfuzz: internal error (please report this):');
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return EXIT_ERROR;
}

/** Entry point of the `wsfuzz` binary. */
export function run(argv: string[] = process.argv.slice(2)): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.exitCode = report(err);
    },
  );
}

// Help texts: the overview (`wsfuzz --help`), one usage text per command (`wsfuzz COMMAND --help`)
// and the wstest-style overview (`wstest --help`).
import { PRODUCT } from '../version.js';

export const COMMAND_NAMES = ['fuzzingclient', 'fuzzingserver', 'echoserver', 'testeeclient', 'selftest', 'merge-reports'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

interface CommandHelp {
  /** One line for the command list. */
  summary: string;
  /** The synopsis after `wsfuzz `. */
  synopsis: string;
  options: string;
}

const SELECTION = `  --cases LIST          comma-separated case patterns, e.g. '1.*,2.3' (default: all)
  --exclude LIST        comma-separated case patterns to leave out, e.g. '9.*,12.*,13.*'`;

const CI_RESULTS = `  --expect FILE         compare with expected results (an index.json, or a file --update-expect wrote);
                        exit status 0 exactly when no selected case differs
  --accept-non-strict   with --expect: behavior OK and NON-STRICT count as the same
  --update-expect FILE  write the run's verdicts into FILE (other cases in FILE are kept)
  --junit FILE          write JUnit XML (one testsuite per category, one testcase per case)`;

const SELECTION_CI = `${SELECTION}
  --list                print the selected cases with their titles and exit (connects to nothing)
  --shard I/N           run only slice I of N of the selection (a CI matrix; see merge-reports)
${CI_RESULTS}`;

const HELP: Record<CommandName, CommandHelp> = {
  fuzzingclient: {
    summary: 'Test WebSocket servers: wsfuzz connects to each and runs every selected case.',
    synopsis: 'fuzzingclient (--url URL | --spec FILE) [options]',
    options: `  --url URL             server to test (ws:// or wss://); overrides the spec's servers (-w, --wsuri)
  --agent NAME          name the results are filed under (default: the Server header)
${SELECTION_CI}
  --spec FILE           Autobahn fuzzingclient.json spec file (-s; default: ./fuzzingclient.json if it exists)
  --outdir DIR          report directory (default: ./reports/servers)
  --user-agent TEXT     User-Agent header (default: ${PRODUCT})
  --connect-timeout S   seconds to wait for each TCP connection (default: 30)
  --jobs N              run up to N cases at once, compression cases counting half
                        (default: one per core; 1: one at a time)
  --max-time S          start no case after S seconds; the cases left are reported as not run
  --verbose, --quiet    more or less progress output (-d, --debug: same as --verbose)`,
  },
  fuzzingserver: {
    summary: 'Test WebSocket clients: wsfuzz listens; clients drive it (/getCaseCount, /runCase, ...).',
    synopsis: 'fuzzingserver [--port N] [--spec FILE] [--run COMMAND] [options]',
    options: `  --port N              port to listen on (default: 9001, or the spec's url port)
  --host ADDR           address to listen on (default: 127.0.0.1)
  --spec FILE           Autobahn fuzzingserver.json spec file (-s; default: ./fuzzingserver.json if it exists)
  --outdir DIR          report directory (default: ./reports/clients)
${SELECTION_CI}
  --run COMMAND         one-shot: start, run COMMAND (a client driver; {url} and $WSFUZZ_URL hold the
                        server URL), write the reports and exit with the run's status; a driver that
                        runs fewer cases than selected fails the run
  --strict-host-port    reject a Host header whose port differs from the listening port
  --allow-host NAME     also accept this host name in Host headers (repeatable; IP literals and
                        localhost are always accepted)
  --allow-origin PAT    also accept web pages of this origin, '*' a wildcard (repeatable; e.g.
                        'http://localhost:8080', or 'null' for file:// pages)
  --max-agents N        keep results for at most N agents (default: 100)
  --max-connections N   at most N connections at once, further ones get HTTP 503 (default: the
                        spec's maxConnections, else 100; 0: no limit)
  --key FILE, --cert FILE
                        TLS: serve wss:// (and the pages over https) with this PEM key and certificate
  --verbose, --quiet    more or less output (-d, --debug: same as --verbose)
  -u, --webport N       accepted for Autobahn compatibility and ignored (pages are served on --port)`,
  },
  echoserver: {
    summary: "Run wsfuzz's reference echo server.",
    synopsis: 'echoserver [--port N] [--host ADDR]',
    options: `  --port N              port to listen on (default: 9001)
  --host ADDR           address to listen on (default: 127.0.0.1)
  -w, --wsuri URL       listen on this ws:// URL's host and port (Autobahn style)`,
  },
  testeeclient: {
    summary: "Run wsfuzz's reference client against a fuzzing server (all its cases).",
    synopsis: 'testeeclient [--url URL] [--agent NAME]',
    options: `  --url URL             the fuzzing server (default: ws://127.0.0.1:9001; -w, --wsuri)
  --agent NAME          agent name for the results (default: ${PRODUCT}; -i, --ident)
  --quiet               no progress line`,
  },
  selftest: {
    summary: 'Run the whole suite against the embedded reference echo server (npm start).',
    synopsis: 'selftest [options]',
    options: `${SELECTION}
  --outdir DIR          report directory (default: ./reports/servers)
  --jobs N              run up to N cases at once, compression cases counting half
                        (default: one per core; 1: one at a time)
  --verbose, --quiet    more or less progress output (-d, --debug: same as --verbose)`,
  },
  'merge-reports': {
    summary: 'Merge report directories (e.g. the shards of a CI matrix) into one report.',
    synopsis: 'merge-reports --outdir OUT DIR...',
    options: `  --outdir DIR          the merged report directory (required; not one of the inputs)
${CI_RESULTS}`,
  },
};

const EXIT_STATUS = `Exit status: 0 all cases passed, 1 some case failed, 2 usage, configuration or connection error.
With --expect: 0 no selected case differs from FILE, 1 some does, 2 errors.`;

/** `wsfuzz COMMAND --help`. */
export function commandUsage(command: CommandName, program = 'wsfuzz'): string {
  const help = HELP[command];
  return `Usage: ${program} ${help.synopsis}

${help.summary}

Options:
${help.options}
  -h, --help            show this help

${EXIT_STATUS}`;
}

/** `wsfuzz --help`: every command with its options. */
export function overallUsage(): string {
  const list = COMMAND_NAMES.map((c) => `  ${c.padEnd(16)}${HELP[c].summary}`).join('\n');
  const sections = COMMAND_NAMES.map((c) => `${c} options:\n${HELP[c].options}`).join('\n\n');
  return `Usage: wsfuzz <command> [options]
       wsfuzz <command> --help      the options of one command
       wsfuzz --version

Commands:
${list}

${sections}

${EXIT_STATUS}
Autobahn-style invocations also work: wsfuzz --mode fuzzingclient --spec fuzzingclient.json, or the
wstest command: wstest -m fuzzingclient -s fuzzingclient.json`;
}

/** `wstest --help`: the original's command line, as wsfuzz's wstest command takes it. */
export function wstestUsage(): string {
  return `Usage: wstest -m MODE [options]        (wsfuzz's drop-in for Autobahn's wstest)

Modes:
  fuzzingclient   -s SPEC | -w URL     test WebSocket servers (spec default: ./fuzzingclient.json)
  fuzzingserver   [-s SPEC]            test WebSocket clients (spec default: ./fuzzingserver.json)
  echoserver      -w URL               reference echo server listening on URL's host and port
  testeeserver    -w URL               the same (wsfuzz's reference server is its testee server)
  testeeclient    -w URL [-i AGENT]    reference client against a fuzzing server

Options:
  -m, --mode MODE       the mode (required)
  -s, --spec FILE       Autobahn spec file
  -w, --wsuri URL       WebSocket URL
  -i, --ident NAME      agent name (testeeclient)
  -u, --webport N       accepted and ignored (fuzzingserver serves its pages on its own port)
  -d, --debug           verbose output
  -a, --autobahnversion print the version and exit
  -h, --help            show this help (with -m MODE: that mode's wsfuzz options, which also work here)

${EXIT_STATUS}`;
}

// The `wstest` command: Autobahn's command line (`wstest -m MODE -s SPEC`, `-w URL`, `-d`, `-a`), so a
// project switches by changing the program name in its scripts. Modes map onto wsfuzz commands;
// the options are the commands' own, which include Autobahn's short forms (-s, -w, -i, -u).
import { VERSION } from '../version.js';
import { dispatch, parseInvocation, withoutCommand, type CommandTable } from './commands.js';
import { wstestUsage } from './help.js';
import { ConfigError } from './spec.js';

/** Autobahn's modes that wsfuzz has, and the wsfuzz command for each. */
const MODES: Record<string, string> = {
  fuzzingclient: 'fuzzingclient',
  fuzzingserver: 'fuzzingserver',
  echoserver: 'echoserver',
  // Autobahn's testee server is its echo server set up to be fuzzed; wsfuzz's echo server is that.
  testeeserver: 'echoserver',
  testeeclient: 'testeeclient',
};

/** Autobahn's other modes: named in the error so that it is clear they exist but are not provided. */
const NOT_PROVIDED = new Set(['echoclient', 'broadcastserver', 'broadcastclient', 'massconnect', 'serializer']);

export async function wstest(argv: readonly string[], commands: CommandTable): Promise<number> {
  const { command: mode, byMode, args } = parseInvocation(argv);
  if (mode === undefined || !byMode) {
    return withoutCommand(argv, {
      versionFlags: ['-a', '--autobahnversion', '--version'],
      version: `wsfuzz ${VERSION} (wstest-compatible)`,
      usage: wstestUsage,
      missing: 'wstest needs a mode: -m fuzzingclient, -m fuzzingserver, ... (try: wstest --help)',
    });
  }
  const command = MODES[mode];
  if (command === undefined) {
    const why = NOT_PROVIDED.has(mode) ? 'is not provided by wsfuzz' : 'is not a wstest mode';
    throw new ConfigError(`mode '${mode}' ${why} (modes: ${Object.keys(MODES).join(', ')})`);
  }
  return dispatch([command, ...args], commands);
}

// The top-level command dispatch: which command an argument list names (`wsfuzz CMD …`, or Autobahn's
// `--mode CMD`, `--mode=CMD`, `-m CMD`), the arguments every command shares (`--help`/`-h`,
// `--debug`/`-d`) and `--version`. The commands themselves parse the rest.
import { VERSION } from '../version.js';
import { ConfigError } from './spec.js';
import { commandUsage, isCommandName, overallUsage, type CommandName } from './help.js';

export type Command = (args: string[]) => Promise<number>;
export type CommandTable = Record<CommandName, Command>;

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;

export interface Invocation {
  /** The command or mode named, if any. */
  command: string | undefined;
  /** Whether it was named with --mode/-m (Autobahn style) rather than as the first word. */
  byMode: boolean;
  /** The remaining arguments. */
  args: string[];
}

/** Arguments before a `--` (after it, everything is a positional value). */
function optionPart(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
}

/**
 * Split off the command. An option's value never starts with a dash unless written `--opt=-x`
 * (node:util parseArgs rejects `--opt -x`), so scanning for exact tokens is safe.
 */
export function parseInvocation(argv: readonly string[]): Invocation {
  const options = optionPart(argv);
  for (let i = 0; i < options.length; i++) {
    const a = options[i]!;
    let mode: string | undefined;
    let used = 1;
    if (a === '--mode' || a === '-m') {
      mode = options[i + 1];
      used = 2;
      if (mode === undefined || mode.startsWith('-')) throw new ConfigError(`${a} needs a mode, e.g. ${a} fuzzingclient`);
    } else if (a.startsWith('--mode=')) {
      mode = a.slice('--mode='.length);
    } else if (/^-m[a-z]/.test(a)) {
      mode = a.slice(2);
    } else {
      continue;
    }
    const args = [...argv.slice(0, i), ...argv.slice(i + used)];
    // `wsfuzz fuzzingclient --mode fuzzingclient …` names it twice; that is not a positional argument.
    if (args[0] === mode) args.shift();
    return { command: mode, byMode: true, args };
  }
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) return { command: undefined, byMode: false, args: [...argv] };
  return { command: first, byMode: false, args: rest };
}

/** Whether the arguments ask for help. */
export function wantsHelp(args: readonly string[]): boolean {
  return optionPart(args).some((a) => a === '--help' || a === '-h');
}

/** `-d`/`--debug` (Autobahn's verbose logging) means `--verbose` where a command has it; elsewhere it is accepted and ignored. */
function withDebugAsVerbose(command: CommandName, args: readonly string[]): string[] {
  const end = args.indexOf('--');
  const options = end < 0 ? [...args] : args.slice(0, end);
  const after = end < 0 ? [] : args.slice(end);
  const hasVerbose = command !== 'echoserver' && command !== 'testeeclient';
  const mapped = options.flatMap((a) => (a === '-d' || a === '--debug' ? (hasVerbose ? ['--verbose'] : []) : [a]));
  return [...mapped, ...after];
}

export interface NoCommand {
  /** Flags that print `version`. */
  versionFlags: readonly string[];
  version: string;
  usage: () => string;
  /** The error when there are arguments but no command. */
  missing: string;
}

/** Arguments without a command: the version, the usage (status 0 when asked for, 2 for no arguments), or an error. */
export function withoutCommand(args: readonly string[], program: NoCommand): number {
  if (args.some((a) => program.versionFlags.includes(a))) {
    console.log(program.version);
    return EXIT_OK;
  }
  if (wantsHelp(args) || args.length === 0) {
    console.log(program.usage());
    return args.length === 0 ? EXIT_USAGE : EXIT_OK;
  }
  throw new ConfigError(program.missing);
}

/** Run the command `argv` names; returns the exit status. */
export async function dispatch(argv: readonly string[], commands: CommandTable): Promise<number> {
  const { command, byMode, args } = parseInvocation(argv);
  if (command === undefined) {
    return withoutCommand(args, {
      versionFlags: ['--version', '-v'],
      version: VERSION,
      usage: overallUsage,
      missing: `no command given before '${args[0]}' (try: wsfuzz --help)`,
    });
  }
  if (command === 'version') {
    console.log(VERSION);
    return EXIT_OK;
  }
  if (command === 'help') {
    const topic = args[0];
    console.log(topic !== undefined && isCommandName(topic) ? commandUsage(topic) : overallUsage());
    return EXIT_OK;
  }
  if (!isCommandName(command)) {
    throw new ConfigError(`unknown ${byMode ? 'mode' : 'command'} '${command}' (try: wsfuzz --help)`);
  }
  if (wantsHelp(args)) {
    console.log(commandUsage(command));
    return EXIT_OK;
  }
  return commands[command](withDebugAsVerbose(command, args));
}

// The options a user gives fuzzingclient and fuzzingserver, from the command line or the API, resolved
// into the modes' configurations: spec file (Autobahn's format) first, explicit options over it,
// then the defaults; every value checked, a bad one a ConfigError with a one-line message.
import type { AgentExclusions } from '../cases/selection.js';
import { resolveSelection } from '../cli/selection.js';
import type { CaseMode } from '../fuzz/handshake-case.js';
import { ConfigError, checkWsUrl, parseFuzzingClientSpec, parseFuzzingServerSpec, readJsonFile } from '../cli/spec.js';
import type { FuzzingClientConfig, ServerSpec } from '../modes/fuzzingclient.js';
import type { FuzzingServerConfig } from '../modes/fuzzingserver.js';
import { readFile } from 'node:fs/promises';
import { PRODUCT } from '../version.js';
import { MAX_TIMEOUT_SECONDS } from '../fuzz/options.js';

/** Case patterns: a list, or one comma-separated string as on the command line ('1.*,2.3'). */
export type CasePatterns = string | readonly string[];

/** What both modes take. */
export interface CommonOptions {
  /** An Autobahn spec file (fuzzingclient.json / fuzzingserver.json), or its parsed content. */
  spec?: string | Record<string, unknown>;
  /** Case patterns to run (default: the spec's `cases`, else all). */
  cases?: CasePatterns;
  /** Case patterns to leave out (default: the spec's `exclude-cases`). */
  exclude?: CasePatterns;
  /** Agent pattern => case patterns not run for matching agents (the spec's `exclude-agent-cases`). */
  excludeAgentCases?: AgentExclusions;
  /** Protocol options (the spec's `options`, e.g. `{ failByDrop: true }`). */
  options?: Record<string, unknown>;
  /** Report directory. */
  outdir?: string;
  /** Run only slice I of N of the selection, as "I/N" (a CI matrix; see merge-reports). */
  shard?: string;
  /** Receives warnings (e.g. an unknown case ID among the exclusions); default: ignored. */
  warn?: (line: string) => void;
}

export interface FuzzingClientOptions extends CommonOptions {
  /** The server to test (ws:// or wss://); replaces the spec's and `servers`. */
  url?: string;
  /** Name the results are filed under (default: the server's Server header). */
  agent?: string;
  /** Several servers, as in a spec's `servers` (run one after the other). */
  servers?: ServerSpec[];
  /** User-Agent header (default: wsfuzz/VERSION). */
  userAgent?: string;
  /** Seconds to wait for each TCP connection (default 30). */
  connectTimeout?: number;
  /** Run up to this many compression cases (12.x, 13.x) at once (default 1). */
  jobs?: number;
  /** Start no case after this many seconds; the cases left are reported as not run. */
  maxTime?: number;
}

export interface FuzzingServerOptions extends CommonOptions {
  /** Port to listen on (default: the spec's url port, else the mode's default). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Reject a Host header whose port differs from the listening port. */
  strictHostPort?: boolean;
  /** Host names accepted in Host headers besides IP literals, localhost and `host`. */
  allowHosts?: string[];
  /** `*`-wildcard patterns of web origins accepted besides the server's own. */
  allowOrigins?: string[];
  /** Most agents results are kept for (default 100). */
  maxAgents?: number;
  /** Most connections at once (default: the spec's maxConnections, else 100; 0: no limit). */
  maxConnections?: number;
  /** TLS (wss://): PEM private key and certificate files (default: the spec's `key` and `cert` with a wss:// `url`). */
  keyFile?: string;
  certFile?: string;
}

export const DEFAULT_CLIENT_OUTDIR = './reports/servers';
export const DEFAULT_SERVER_OUTDIR = './reports/clients';

export interface Resolved<Config> {
  config: Config;
  outdir: string;
  /** Keys of the spec that wsfuzz does not use (Autobahn ignores them too). */
  ignoredSpecKeys: string[];
}

function patterns(value: CasePatterns | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? value.split(',') : value;
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * The case patterns resolved now into the literal IDs that will run (exclusions and the shard applied),
 * so that a selection of nothing is a usage error and not an empty run, and what runs is what --list shows.
 */
function selection(o: CommonOptions, specCases: string[] | undefined, specExclude: string[] | undefined, mode: CaseMode): string[] {
  const cases = patterns(o.cases) ?? specCases ?? ['*'];
  const exclude = patterns(o.exclude) ?? specExclude ?? [];
  return resolveSelection(cases, exclude, o.shard, o.warn ?? (() => {}), mode);
}

/** The selected case IDs of a spec file and options, without anything else (for --list). */
export async function resolveCaseList(o: CommonOptions, kind: 'fuzzingclient' | 'fuzzingserver'): Promise<string[]> {
  const json = await specJson(o.spec);
  const spec: { cases?: string[]; excludeCases?: string[] } =
    json === undefined ? {} : kind === 'fuzzingclient' ? parseFuzzingClientSpec(json) : parseFuzzingServerSpec(json);
  return selection(o, spec.cases, spec.excludeCases, kind);
}

/** A PEM file for TLS; a problem is a one-line ConfigError naming the file. */
async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new ConfigError(`${what}: cannot read ${file}: ${(err as Error).message}`);
  }
}

async function specJson(spec: string | Record<string, unknown> | undefined): Promise<unknown> {
  return typeof spec === 'string' ? readJsonFile(spec) : spec;
}

export async function resolveFuzzingClient(o: FuzzingClientOptions): Promise<Resolved<FuzzingClientConfig>> {
  const json = await specJson(o.spec);
  const spec = json !== undefined ? parseFuzzingClientSpec(json) : { ignoredKeys: [] as string[] };
  let servers: ServerSpec[] = o.servers ?? spec.servers ?? [];
  if (o.url !== undefined) {
    const server: ServerSpec = { url: checkWsUrl(o.url, '--url') };
    if (o.agent !== undefined) server.agent = o.agent;
    servers = [server];
  } else if (o.agent !== undefined) {
    servers = servers.map((s) => ({ ...s, agent: o.agent }));
  }
  if (servers.length === 0) throw new ConfigError('no server to test: the spec has no "servers" and no --url was given');
  const connectTimeout = o.connectTimeout ?? 30;
  if (!(connectTimeout > 0) || connectTimeout > MAX_TIMEOUT_SECONDS) {
    throw new ConfigError(`--connect-timeout must be a positive number of seconds (at most ${MAX_TIMEOUT_SECONDS})`);
  }
  if (o.maxTime !== undefined && !(o.maxTime > 0 && Number.isFinite(o.maxTime))) throw new ConfigError('--max-time must be a positive number of seconds');
  const jobs = o.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new ConfigError('--jobs must be an integer 1..64');
  const cases = selection(o, spec.cases, spec.excludeCases, 'fuzzingclient');
  return {
    config: {
      servers,
      cases,
      excludeCases: [],
      excludeAgentCases: o.excludeAgentCases ?? spec.excludeAgentCases ?? {},
      options: o.options ?? spec.options ?? {},
      userAgent: o.userAgent ?? PRODUCT,
      connectTimeout,
      jobs,
      ...(o.maxTime !== undefined ? { maxTimeSeconds: o.maxTime } : {}),
    },
    outdir: o.outdir ?? spec.outdir ?? DEFAULT_CLIENT_OUTDIR,
    ignoredSpecKeys: spec.ignoredKeys,
  };
}

/** The fuzzing server's configuration, without its log; `defaultPort` applies when neither option nor spec names one. */
export async function resolveFuzzingServer(o: FuzzingServerOptions, defaultPort: number): Promise<Resolved<Omit<FuzzingServerConfig, 'log'>>> {
  const json = await specJson(o.spec);
  const spec = json !== undefined ? parseFuzzingServerSpec(json) : { ignoredKeys: [] as string[] };
  const port = o.port ?? spec.port ?? defaultPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('--port must be an integer 0..65535');
  const cases = selection(o, spec.cases, spec.excludeCases, 'fuzzingserver');
  const outdir = o.outdir ?? spec.outdir ?? DEFAULT_SERVER_OUTDIR;
  if (o.maxAgents !== undefined && !(Number.isInteger(o.maxAgents) && o.maxAgents >= 1)) throw new ConfigError('--max-agents must be a positive integer');
  const keyFile = o.keyFile ?? spec.tls?.keyFile;
  const certFile = o.certFile ?? spec.tls?.certFile;
  if ((keyFile === undefined) !== (certFile === undefined)) throw new ConfigError('TLS needs both --key and --cert');
  const tls = keyFile !== undefined && certFile !== undefined ? { key: await readPem(keyFile, '--key'), cert: await readPem(certFile, '--cert') } : undefined;
  if (o.maxConnections !== undefined && !(Number.isInteger(o.maxConnections) && o.maxConnections >= 0)) {
    throw new ConfigError('--max-connections must be a non-negative integer (0: no limit)');
  }
  return {
    config: {
      host: o.host ?? '127.0.0.1',
      port,
      cases,
      excludeCases: [],
      excludeAgentCases: o.excludeAgentCases ?? spec.excludeAgentCases ?? {},
      options: o.options ?? spec.options ?? {},
      outdir,
      product: PRODUCT,
      strictHostPort: o.strictHostPort ?? false,
      allowHosts: o.allowHosts ?? [],
      allowOrigins: o.allowOrigins ?? [],
      ...(o.maxAgents !== undefined ? { maxAgents: o.maxAgents } : {}),
      ...(o.maxConnections !== undefined ? { maxConnections: o.maxConnections } : {}),
      ...(tls !== undefined ? { tls } : {}),
    },
    outdir,
    ignoredSpecKeys: spec.ignoredKeys,
  };
}

// The options a user gives fuzzingclient and fuzzingserver, from the command line or the API, resolved
// into the modes' configurations: spec file (Autobahn's format) first, explicit options over it,
// then the defaults; every value checked, a bad one a ConfigError with a one-line message.
import { ALL_IDS } from '../cases/index.js';
import { selectCases, type AgentExclusions } from '../cases/selection.js';
import { ConfigError, checkWsUrl, parseFuzzingClientSpec, parseFuzzingServerSpec, readJsonFile } from '../cli/spec.js';
import type { FuzzingClientConfig, ServerSpec } from '../modes/fuzzingclient.js';
import type { FuzzingServerConfig } from '../modes/fuzzingserver.js';
import { PRODUCT } from '../version.js';

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
}

export interface FuzzingServerOptions extends CommonOptions {
  /** Port to listen on (default: the spec's url port, else the mode's default). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Reject a Host header whose port differs from the listening port. */
  strictHostPort?: boolean;
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

/** The case patterns resolved now, so that a selection of nothing is a usage error and not an empty run. */
export function checkSelection(cases: string[], exclude: string[]): void {
  if (selectCases(cases, exclude, ALL_IDS).length === 0) {
    throw new ConfigError(`no cases selected (cases: ${JSON.stringify(cases)}, excluded: ${JSON.stringify(exclude)})`);
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
  if (!(connectTimeout > 0)) throw new ConfigError('--connect-timeout must be a positive number of seconds');
  const jobs = o.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new ConfigError('--jobs must be an integer 1..64');
  const cases = patterns(o.cases) ?? spec.cases ?? ['*'];
  const excludeCases = patterns(o.exclude) ?? spec.excludeCases ?? [];
  checkSelection(cases, excludeCases);
  return {
    config: {
      servers,
      cases,
      excludeCases,
      excludeAgentCases: o.excludeAgentCases ?? spec.excludeAgentCases ?? {},
      options: o.options ?? spec.options ?? {},
      userAgent: o.userAgent ?? PRODUCT,
      connectTimeout,
      jobs,
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
  const cases = patterns(o.cases) ?? spec.cases ?? ['*'];
  const excludeCases = patterns(o.exclude) ?? spec.excludeCases ?? [];
  checkSelection(cases, excludeCases);
  const outdir = o.outdir ?? spec.outdir ?? DEFAULT_SERVER_OUTDIR;
  return {
    config: {
      host: o.host ?? '127.0.0.1',
      port,
      cases,
      excludeCases,
      excludeAgentCases: o.excludeAgentCases ?? spec.excludeAgentCases ?? {},
      options: o.options ?? spec.options ?? {},
      outdir,
      product: PRODUCT,
      strictHostPort: o.strictHostPort ?? false,
    },
    outdir,
    ignoredSpecKeys: spec.ignoredKeys,
  };
}

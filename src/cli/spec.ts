// Spec files in Autobahn's format (docs/modes.md, Spec files), validated with clear messages.
import { readJsonText } from '../report/read.js';
import type { AgentExclusions } from '../cases/selection.js';
import type { ServerSpec } from '../modes/fuzzingclient.js';

export class ConfigError extends Error {}

/** The keys both spec kinds share. */
interface CommonSpec {
  outdir?: string;
  cases?: string[];
  excludeCases?: string[];
  excludeAgentCases?: AgentExclusions;
  options?: Record<string, unknown>;
  /** Keys present in the file that wsfuzz does not use (Autobahn ignores them too). */
  ignoredKeys: string[];
}

export interface FuzzingClientSpec extends CommonSpec {
  servers?: ServerSpec[];
}

const FUZZINGCLIENT_KEYS = new Set(['outdir', 'servers', 'cases', 'exclude-cases', 'exclude-agent-cases', 'options']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ConfigError(`${where} must be a list of strings`);
  return v as string[];
}

function optionalString(v: unknown, where: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ConfigError(`${where} must be a string`);
  return v;
}

function options(v: unknown, where: string): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new ConfigError(`${where} must be an object`);
  return v;
}

function agentExclusions(v: unknown): AgentExclusions | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new ConfigError('"exclude-agent-cases" must be an object mapping agent patterns to lists of case patterns');
  // Null prototype: an agent pattern named "__proto__" or "constructor" is an ordinary key.
  const out: AgentExclusions = Object.create(null) as AgentExclusions;
  for (const [agent, list] of Object.entries(v)) out[agent] = stringList(list, `"exclude-agent-cases"."${agent}"`);
  return out;
}

/** Check a WebSocket URL; returns it normalised or throws ConfigError. */
export function checkWsUrl(text: string, where: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${where}: '${text}' is not a URL (expected ws://host:port/path)`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ConfigError(`${where}: '${text}' must start with ws:// or wss://`);
  }
  if (url.hash) throw new ConfigError(`${where}: '${text}' must not contain a fragment`);
  return url.toString();
}

function server(v: unknown, i: number): ServerSpec {
  const where = `"servers"[${i}]`;
  if (!isObject(v)) throw new ConfigError(`${where} must be an object with a "url"`);
  if (typeof v.url !== 'string') throw new ConfigError(`${where}.url is required and must be a string`);
  const spec: ServerSpec = { url: checkWsUrl(v.url, `${where}.url`) };
  const agent = optionalString(v.agent, `${where}.agent`);
  if (agent !== undefined) spec.agent = agent;
  const origin = optionalString(v.origin, `${where}.origin`);
  if (origin !== undefined) spec.origin = origin;
  const hostname = optionalString(v.hostname, `${where}.hostname`);
  if (hostname !== undefined) spec.hostname = hostname;
  if (v.protocols !== undefined) spec.protocols = stringList(v.protocols, `${where}.protocols`);
  const opts = options(v.options, `${where}.options`);
  if (opts !== undefined) spec.options = opts;
  return spec;
}

/** outdir, cases, exclude-cases, exclude-agent-cases, options: the same in both spec kinds. */
function readCommonKeys(json: Record<string, unknown>, spec: CommonSpec): void {
  const outdir = optionalString(json.outdir, '"outdir"');
  if (outdir !== undefined) spec.outdir = outdir;
  if (json.cases !== undefined) spec.cases = stringList(json.cases, '"cases"');
  if (json['exclude-cases'] !== undefined) spec.excludeCases = stringList(json['exclude-cases'], '"exclude-cases"');
  const exclusions = agentExclusions(json['exclude-agent-cases']);
  if (exclusions !== undefined) spec.excludeAgentCases = exclusions;
  const opts = options(json.options, '"options"');
  if (opts !== undefined) spec.options = opts;
}

export function parseFuzzingClientSpec(json: unknown): FuzzingClientSpec {
  if (!isObject(json)) throw new ConfigError('the spec must be a JSON object');
  const spec: FuzzingClientSpec = { ignoredKeys: Object.keys(json).filter((k) => !FUZZINGCLIENT_KEYS.has(k)) };
  if (json.servers !== undefined) {
    if (!Array.isArray(json.servers)) throw new ConfigError('"servers" must be a list of objects');
    spec.servers = json.servers.map(server);
  }
  readCommonKeys(json, spec);
  return spec;
}

/** Read and parse a JSON file; any problem becomes a one-line ConfigError naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
  return (await readJsonText(file, (message) => new ConfigError(message))).json;
}

export interface FuzzingServerSpec extends CommonSpec {
  /** Port taken from the spec's url (host and path are not used for listening). */
  port?: number;
  /** A wss:// url: TLS with these PEM files (the spec's `key` and `cert`, paths). */
  tls?: { keyFile: string; certFile: string };
}

const FUZZINGSERVER_KEYS = new Set(['url', 'outdir', 'cases', 'exclude-cases', 'exclude-agent-cases', 'options', 'protocols', 'webport', 'key', 'cert']);

export function parseFuzzingServerSpec(json: unknown): FuzzingServerSpec {
  if (!isObject(json)) throw new ConfigError('the spec must be a JSON object');
  const spec: FuzzingServerSpec = { ignoredKeys: Object.keys(json).filter((k) => !FUZZINGSERVER_KEYS.has(k)) };
  if (json.url !== undefined) {
    if (typeof json.url !== 'string') throw new ConfigError('"url" must be a string like ws://127.0.0.1:9001');
    const url = new URL(checkWsUrl(json.url, '"url"'));
    if (url.search) throw new ConfigError('"url" must not contain a query');
    const secure = url.protocol === 'wss:';
    spec.port = Number(url.port || (secure ? 443 : 80));
    if (secure) {
      const keyFile = optionalString(json.key, '"key"');
      const certFile = optionalString(json.cert, '"cert"');
      if (keyFile === undefined || certFile === undefined) {
        throw new ConfigError('"url": a wss:// url needs "key" and "cert" (paths of the TLS private key and certificate, PEM)');
      }
      spec.tls = { keyFile, certFile };
    }
  }
  // key and cert serve a wss:// url only.
  if (spec.tls === undefined) for (const key of ['key', 'cert']) if (json[key] !== undefined) spec.ignoredKeys.push(key);
  readCommonKeys(json, spec);
  return spec;
}

// Mode fuzzingserver: wsfuzz is the server; WebSocket clients under test drive it through the URL
// API (docs/modes.md, fuzzingserver URL API: /getCaseCount, /runCase, /getCaseInfo, /getCaseStatus,
// /updateReports, /stopServer). The same port serves a browser driver page and the reports.
import { FileStorage, StorageBudget } from './compression-files.js';
import { SharedCompressedStreams, type SharedCompression } from '../fuzz/shared-compression.js';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import { caseById, modeIds } from '../cases/index.js';
import { isAgentCaseExcluded, selectCases, type AgentExclusions } from '../cases/selection.js';
import type { CaseDefinition, CaseHandlers, CaseSession, RawFrame } from '../fuzz/case.js';
import { acceptDeflate } from '../fuzz/deflate.js';
import { applyOptions, DEFAULT_OPTIONS, OptionsError, type FuzzerOptions } from '../fuzz/options.js';
import type { CaseOutcome } from '../fuzz/result.js';
import { caseOutcome } from '../fuzz/run.js';
import { FuzzSession } from '../fuzz/session.js';
import { Opcode } from '../protocol/frame.js';
import { buildHttpErrorResponse, buildServerResponse, checkClientRequest, type ClientRequest } from '../protocol/handshake.js';
import { HeadReader, headerValue, headText } from '../protocol/http.js';
import { ReportWriteError, writeReports, type WrittenReport } from '../report/write.js';
import { caseNeighbours, renderCasePage } from '../report/html-case.js';
import { toReportJson } from '../report/json.js';
import { agentFileStems, caseFileBase } from '../report/naming.js';
import { CaseFiler } from '../report/case-files.js';
import { browserPage, liveCaseResult, startPage } from './browser-page.js';
import { isLoopback, WebGuard } from './web-guard.js';

export interface FuzzingServerConfig {
  host: string;
  port: number;
  cases: string[];
  excludeCases: string[];
  excludeAgentCases: AgentExclusions;
  /** Protocol options (applied after failByDrop=false). */
  options: Record<string, unknown>;
  outdir: string;
  /** Server header and report product token. */
  product: string;
  /** Reject a Host port that differs from the listening port (the original does; behind port mapping it breaks). */
  strictHostPort?: boolean;
  /** Host names (besides IP literals, localhost and `host`) accepted in Host headers. */
  allowHosts?: string[];
  /** `*`-wildcard patterns of web origins accepted besides the server's own (and the spec's allowedOrigins). */
  allowOrigins?: string[];
  /** Most agents the server keeps results for (default DEFAULT_MAX_AGENTS); /runCase for a new agent beyond it is refused. */
  maxAgents?: number;
  /**
   * Most connections open at once (default: the spec option maxConnections, else
   * DEFAULT_MAX_CONNECTIONS; 0 = no limit); further ones get HTTP 503.
   */
  maxConnections?: number;
  /** TLS (wss://, and https for the pages): PEM private key and certificate. */
  tls?: { key: Buffer | string; cert: Buffer | string };
  /** Seconds /getCaseStatus waits for a case that is not running (default STATUS_WAIT_SECONDS). */
  statusWaitSeconds?: number;
  log?: (line: string) => void;
}

export interface FuzzingServer {
  port: number;
  url: string;
  /** Selected case IDs; /runCase?case=N is the N-th (1-based). */
  selected: readonly string[];
  /** All results so far, by agent then case ID. */
  results(): CaseOutcome[];
  writeReports(): Promise<WrittenReport>;
  /** Resolves when a client asked the server to stop (/stopServer, shutdownOnComplete). */
  stopRequested: Promise<void>;
  close(): Promise<void>;
}

/** Raised while dispatching a request path: answered with HTTP 500 (as the original does). */
class DispatchError extends Error {}

/** A request refused by policy (agent limit, /stopServer from afar): answered with HTTP 403. */
class RefusedError extends DispatchError {}

export const DEFAULT_MAX_AGENTS = 100;
/** Connections open at once: far more than any client driver uses, few enough to bound memory. */
export const DEFAULT_MAX_CONNECTIONS = 100;

/** How long /getCaseStatus waits for a case that is not running (a running case ends within its own bound). */
const STATUS_WAIT_SECONDS = 60;

/** A /getCaseStatus connection waiting for a result. */
interface StatusWaiter {
  answer(outcome: CaseOutcome): void;
  giveUp(reason: string): void;
}

/** The spec option maxConnections: a non-negative integer, 0 = no limit. */
function maxConnectionsOption(options: Record<string, unknown>): number | undefined {
  const value = options.maxConnections;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new OptionsError(`option 'maxConnections' must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The spec option allowedOrigins: a list of `*`-wildcard patterns. */
function allowedOriginsOption(options: Record<string, unknown>): string[] {
  const value = options.allowedOrigins;
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new OptionsError(`option 'allowedOrigins' must be a list of strings, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

const MAX_HEAD = 64 * 1024;

/** A control connection (count, info, status, reports): a tiny script run by the fuzzing session. */
function controlScript(name: string, onOpen: (s: CaseSession) => void | CaseHandlers): CaseDefinition {
  return {
    id: name,
    description: '',
    expectation: '',
    expected: {},
    expectedClose: { closedByMe: true, closeCode: [1000], requireClean: false },
    suppressClose: true,
    onOpen,
  };
}

function sendTextAndClose(s: CaseSession, text: string): void {
  s.sendMessage(Buffer.from(text, 'utf8'), false);
  s.sendCloseFrame();
}

/** Query parameters: URL-decoded, empty values absent, repeated agent/case/... an error. */
function queryParams(query: string): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const [key, value] of new URLSearchParams(query)) {
    if (seen.has(key) && ['agent', 'case', 'casetuple', 'shutdownOnComplete'].includes(key)) {
      throw new DispatchError(`parameter '${key}' given more than once`);
    }
    seen.add(key);
    if (value !== '') out.set(key, value);
  }
  return out;
}

export async function startFuzzingServer(config: FuzzingServerConfig): Promise<FuzzingServer> {
  const log = config.log ?? (() => undefined);
  const selected = selectCases(config.cases, config.excludeCases, modeIds('fuzzingserver'));
  const options: FuzzerOptions = applyOptions({ ...DEFAULT_OPTIONS, failByDrop: false }, config.options);
  const results = new Map<string, Map<string, CaseOutcome>>();
  const waiters = new Map<string, StatusWaiter>();
  /** Cases being run now, by agent and case ID: settled once the result is stored (or the case was skipped). */
  const running = new Map<string, Promise<void>>();
  /** Agents accepted by /runCase (at most maxAgents). */
  const agents = new Set<string>();
  /**
   * Per agent, the compressed messages its compression cases share (src/fuzz/shared-compression.ts),
   * counted on the selection: a client that runs every case once frees each stream after its last
   * case. All agents together keep at most the budget's octets; past it cases compress themselves.
   */
  const compressionBudget = new StorageBudget();
  const compression = new Map<string, SharedCompressedStreams>();
  const compressionFor = (agent: string): SharedCompressedStreams => {
    let streams = compression.get(agent);
    if (!streams) {
      streams = new SharedCompressedStreams(
        selected.flatMap((id) => caseById(id).sharedSequence ?? []),
        new FileStorage(undefined, compressionBudget),
      );
      compression.set(agent, streams);
    }
    return streams;
  };
  const maxAgents = config.maxAgents ?? DEFAULT_MAX_AGENTS;
  const statusWait = config.statusWaitSeconds ?? STATUS_WAIT_SECONDS;
  const maxConnections = config.maxConnections ?? maxConnectionsOption(config.options) ?? DEFAULT_MAX_CONNECTIONS;
  /** Report files this server wrote: the only files of the outdir it serves. */
  const written = new Set<string>();
  // Each finished case's files are written at once; only its summary stays in memory.
  const filer = new CaseFiler(config.outdir, { product: config.product, generatedAt: new Date() }, (name) => written.add(name));
  /** Each agent's due cases (selected, minus exclude-agent-cases) in catalogue order: its pages' neighbours. */
  const dueIds = new Map<string, readonly string[]>();
  const dueFor = (agent: string): readonly string[] => {
    let ids = dueIds.get(agent);
    if (!ids) dueIds.set(agent, (ids = selected.filter((id) => !isAgentCaseExcluded(config.excludeAgentCases, agent, id))));
    return ids;
  };
  const guard = new WebGuard({
    boundHost: config.host,
    allowHosts: config.allowHosts ?? [],
    allowOrigins: [...allowedOriginsOption(config.options), ...(config.allowOrigins ?? [])],
  });
  const sockets = new Set<net.Socket>();
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  const secure = config.tls !== undefined;
  // Over TLS a connection counts once its TLS handshake is done; one that never completes it is
  // dropped after the opening-handshake timeout like a silent one.
  const server: net.Server = config.tls
    ? tls.createServer({ key: config.tls.key, cert: config.tls.cert, handshakeTimeout: (options.openHandshakeTimeout > 0 ? options.openHandshakeTimeout : 60) * 1000 })
    : net.createServer();
  let port = config.port;

  /** Case N (1-based) from case= (wins) or casetuple=. */
  function resolveCase(params: Map<string, string>): { n: number; id: string } {
    const caseParam = params.get('case');
    if (caseParam !== undefined) {
      if (!/^\s*[+-]?\d+\s*$/.test(caseParam)) throw new DispatchError(`case '${caseParam}' is not a number`);
      const n = Number(caseParam);
      if (n < 1 || n > selected.length) throw new DispatchError(`case ${n} is out of range 1..${selected.length}`);
      return { n, id: selected[n - 1]! };
    }
    const tuple = params.get('casetuple');
    if (tuple !== undefined) {
      const index = selected.indexOf(tuple.trim());
      if (index < 0) throw new DispatchError(`case '${tuple}' is not among the selected cases`);
      return { n: index + 1, id: selected[index]! };
    }
    throw new DispatchError('missing case (case=N or casetuple=ID)');
  }

  function requireAgent(params: Map<string, string>): string {
    const agent = params.get('agent');
    if (agent === undefined) throw new DispatchError('missing agent');
    return agent;
  }

  function store(outcome: CaseOutcome): void {
    const { agent, id } = outcome.result;
    let forAgent = results.get(agent);
    if (!forAgent) results.set(agent, (forAgent = new Map()));
    forAgent.set(id, outcome);
    const key = `${agent}\u0000${id}`;
    const waiter = waiters.get(key);
    if (waiter) {
      waiters.delete(key);
      waiter.answer(outcome);
    }
  }

  function allResults(): CaseOutcome[] {
    return [...results.values()].flatMap((m) => [...m.values()]);
  }

  async function reports(): Promise<WrittenReport> {
    await filer.settled();
    const report = await writeReports(config.outdir, allResults(), { product: config.product, generatedAt: new Date() });
    for (const name of report.names) written.add(name);
    return report;
  }

  /** Accept the upgrade and run `def` as the server side of the connection. */
  function runSession(
    socket: net.Socket,
    chunks: Buffer[],
    request: ClientRequest,
    head: string,
    rest: Buffer,
    def: CaseDefinition,
    unbounded: boolean,
    isExcluded?: () => boolean,
    shared?: SharedCompression,
  ): FuzzSession {
    const acceptance = acceptDeflate(def.deflate, request.deflateOffers);
    // A category-14 case writes its own response (src/fuzz/handshake-case.ts).
    const own = def.handshake?.response?.(request);
    const response =
      own?.text ??
      buildServerResponse({
        key: request.key,
        headers: [`Server: ${config.product}`, `X-Powered-By: ${config.product}`],
        extensions: acceptance?.response ?? null,
      });
    const session = new FuzzSession(def, options, true, {
      unbounded,
      ...(isExcluded ? { isExcluded: () => isExcluded() } : {}),
      ...(shared ? { compression: shared } : {}),
    });
    session.startServer(socket, chunks, head, response, own ? own.deflate : (acceptance?.agreement ?? null), rest);
    return session;
  }

  async function dispatch(socket: net.Socket, chunks: Buffer[], request: ClientRequest, head: string, rest: Buffer): Promise<void> {
    const params = queryParams(request.query);
    const run = (def: CaseDefinition) => runSession(socket, chunks, request, head, rest, def, true);
    switch (request.path) {
      case '/getCaseCount':
        run(controlScript('getCaseCount', (s) => sendTextAndClose(s, String(selected.length))));
        return;
      case '/getCaseInfo': {
        const { id } = resolveCase(params);
        const description = caseById(id).description.split('<')[0]!.replace(/\s+/g, ' ').trim();
        const info = `{"id": ${JSON.stringify(id)}, "description": ${JSON.stringify(description)}}`;
        run(controlScript('getCaseInfo', (s) => sendTextAndClose(s, info)));
        return;
      }
      case '/getCaseStatus': {
        const { id } = resolveCase(params);
        const agent = requireAgent(params);
        const key = `${agent}\u0000${id}`;
        let timer: NodeJS.Timeout | undefined;
        let waiter: StatusWaiter | undefined;
        const session = run(
          controlScript('getCaseStatus', (s) => {
            const answer = (o: CaseOutcome) => {
              if (s.state === 'OPEN') sendTextAndClose(s, `{"behavior": "${o.result.behavior}"}`);
            };
            const existing = results.get(agent)?.get(id);
            if (existing) return answer(existing);
            // One waiter per (agent, case); the one it replaces is answered with a Close, not left open.
            const mine: StatusWaiter = {
              answer,
              giveUp: (reason) => {
                if (s.state === 'OPEN') s.sendClose(1000, reason);
              },
            };
            waiter = mine;
            waiters.get(key)?.giveUp('replaced by a newer /getCaseStatus request');
            waiters.set(key, mine);
            const check = () => {
              if (running.has(key)) timer = setTimeout(check, statusWait * 1000);
              else if (waiters.get(key) === mine) {
                waiters.delete(key);
                mine.giveUp(`no result for this case within ${statusWait} s`);
              }
            };
            timer = setTimeout(check, statusWait * 1000);
          }),
        );
        void session.done.then(() => {
          clearTimeout(timer);
          if (waiter && waiters.get(key) === waiter) waiters.delete(key);
        });
        return;
      }
      case '/updateReports': {
        requireAgent(params);
        const shutdown = /^(true|yes)$/i.test(params.get('shutdownOnComplete') ?? '');
        const written = await reports();
        log(`Report generation complete: ${written.indexHtml}`);
        const session = run(controlScript('updateReports', (s) => s.sendCloseFrame()));
        if (shutdown) {
          await session.done;
          requestStop();
        }
        return;
      }
      case '/stopServer':
        if (!isLoopback(socket.remoteAddress)) throw new RefusedError(`/stopServer is accepted from loopback addresses only, not from ${socket.remoteAddress}`);
        socket.destroy();
        requestStop();
        return;
      case '/runCase': {
        const { n, id } = resolveCase(params);
        const agent = requireAgent(params);
        if (!agents.has(agent)) {
          if (agents.size >= maxAgents) {
            throw new RefusedError(`agent limit reached: this server keeps results for at most ${maxAgents} agents (--max-agents)`);
          }
          agents.add(agent);
        }
        const def = caseById(id);
        const excluded = () => isAgentCaseExcluded(config.excludeAgentCases, agent, id);
        const key = `${agent}\u0000${id}`;
        let finished!: () => void;
        const settledRun = new Promise<void>((resolve) => (finished = resolve));
        running.set(key, settledRun);
        const shared = compressionFor(agent);
        try {
          const session = runSession(socket, chunks, request, head, rest, def, false, excluded, shared);
          const record = await session.done;
          if (record.excluded) {
            log(`Skipping test case ${id} for agent ${agent} by test configuration!`);
            return;
          }
          const outcome = caseOutcome(def, record, { agent, caseNumber: n });
          store(outcome);
          await filer.file(outcome, dueFor(agent));
        } finally {
          shared.release(def.sharedSequence);
          if (running.get(key) === settledRun) running.delete(key);
          finished();
        }
        return;
      }
      default:
        run(directCommands());
    }
  }

  /**
   * GET /caseResult?agent=A&case=N (or casetuple=ID): the browser page's live view of one case, as JSON
   * (browser-page.ts, liveCaseResult), or null when there is none (not run, or skipped by
   * exclude-agent-cases). While that case is running for that agent, the answer waits for its end.
   */
  async function caseResultJson(query: string): Promise<string> {
    const params = queryParams(query);
    const { id } = resolveCase(params);
    const agent = requireAgent(params);
    await running.get(`${agent}\u0000${id}`);
    const outcome = results.get(agent)?.get(id);
    const stem = agentFileStems(results.keys()).get(agent) ?? '';
    return JSON.stringify(outcome ? liveCaseResult(outcome.result, stem) : null);
  }

  /** A per-case page or JSON file of a result held in memory (it exists before /updateReports writes it). */
  function liveReportFile(file: string): string | undefined {
    const all = allResults();
    const stems = agentFileStems(results.keys());
    for (const outcome of all) {
      if (outcome.filed) continue; // its files are written (and served as such)
      const { agent, id } = outcome.result;
      const base = caseFileBase(stems.get(agent)!, id);
      if (file === `${base}.json`) return toReportJson(outcome.result);
      if (file === `${base}.html`) {
        const neighbours = caseNeighbours(all.map((o) => o.result));
        return renderCasePage(outcome, { product: config.product, generatedAt: new Date() }, neighbours(agent, id));
      }
    }
    return undefined;
  }

  function httpResponse(socket: net.Socket, status: string, type: string, body: Buffer): void {
    socket.end(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 ${status}\r\nServer: ${config.product}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`),
        body,
      ]),
    );
  }

  async function serveHttp(socket: net.Socket, resource: string): Promise<void> {
    const url = new URL(resource, 'http://x');
    const pathname = url.pathname;
    const html = 'text/html; charset=utf-8';
    const text = 'text/plain; charset=utf-8';
    if (pathname === '/' || pathname === '/index.html') {
      httpResponse(socket, '200 OK', html, Buffer.from(startPage(config.product, selected.length)));
    } else if (pathname === '/test_browser.html') {
      httpResponse(socket, '200 OK', html, Buffer.from(browserPage(config.product)));
    } else if (pathname === '/caseResult') {
      try {
        httpResponse(socket, '200 OK', 'application/json', Buffer.from(await caseResultJson(url.search.slice(1))));
      } catch (err) {
        if (!(err instanceof DispatchError)) throw err;
        httpResponse(socket, '400 Bad Request', 'application/json', Buffer.from(JSON.stringify({ error: err.message })));
      }
    } else if (pathname.startsWith('/reports/')) {
      // Only what this server made: the files it wrote, or a case it holds in memory (not yet written).
      const file = pathname.slice('/reports/'.length);
      const live = written.has(file) ? undefined : liveReportFile(file);
      const body = written.has(file) ? await readReportFile(file) : live !== undefined ? Buffer.from(live) : null;
      if (body === null) httpResponse(socket, '404 Not Found', text, Buffer.from('No such report file (reports are written on /updateReports).\n'));
      else httpResponse(socket, '200 OK', file.endsWith('.json') ? 'application/json' : html, body);
    } else {
      httpResponse(socket, '404 Not Found', text, Buffer.from('Not found\n'));
    }
  }

  /** A report file this server wrote, if it is still a regular file (never a link planted since). */
  async function readReportFile(file: string): Promise<Buffer | null> {
    try {
      const handle = await open(path.join(config.outdir, file), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
      try {
        return (await handle.stat()).isFile() ? await handle.readFile() : null;
      } finally {
        await handle.close();
      }
    } catch {
      return null;
    }
  }

  function onConnection(socket: net.Socket): void {
    const full = maxConnections > 0 && sockets.size >= maxConnections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (full) {
      log(`refused a connection from ${socket.remoteAddress}: ${maxConnections} connections are open (maxConnections)`);
      socket.end(buildHttpErrorResponse(503, 'maximum number of connections reached'));
      return;
    }
    socket.setNoDelay(options.tcpNoDelay);
    const reader = new HeadReader(MAX_HEAD);
    const timeoutSeconds = options.openHandshakeTimeout > 0 ? options.openHandshakeTimeout : 60;
    const timer = setTimeout(() => socket.destroy(), timeoutSeconds * 1000);
    const onData = (chunk: Buffer) => {
      const split = reader.push(chunk);
      if (split.kind === 'incomplete') return;
      socket.off('data', onData);
      clearTimeout(timer);
      if (split.kind === 'too-large') {
        socket.end(buildHttpErrorResponse(400, 'HTTP request header too large'));
        return;
      }
      const head = headText(split.head);
      const check = checkClientRequest(head, {
        port,
        secure,
        strictHostPort: config.strictHostPort ?? false,
        versions: [13, 8],
      });
      if (!check.ok && !check.plainHttp) {
        socket.end(buildHttpErrorResponse(check.status, check.reason, check.extraHeaders));
        return;
      }
      const httpHead = check.ok ? check.request.head : check.head!;
      const host = headerValue(httpHead, 'host');
      const hostVerdict = guard.checkHost(host);
      const originVerdict = guard.checkOrigin(check.ok ? check.request.origin : (headerValue(httpHead, 'origin') ?? null), host);
      const refusal = !hostVerdict.ok ? hostVerdict.reason : !originVerdict.ok ? originVerdict.reason : null;
      if (refusal !== null) {
        log(`refused a request from ${socket.remoteAddress}: ${refusal}`);
        if (check.ok) socket.end(buildHttpErrorResponse(403, `WebSocket connection denied: ${refusal}`));
        else httpResponse(socket, '403 Forbidden', 'text/plain; charset=utf-8', Buffer.from(`Forbidden: ${refusal}\n`));
        return;
      }
      if (!check.ok) {
        void serveHttp(socket, head.split(' ')[1] ?? '/').catch(() => socket.destroy());
        return;
      }
      for (const warning of check.request.warnings) log(`note: ${warning} (accepted)`);
      dispatch(socket, reader.chunks, check.request, head, split.rest).catch((err: unknown) => {
        if (err instanceof DispatchError || err instanceof ReportWriteError) log(`rejected ${check.request.resource}: ${err.message}`);
        else log(`internal error on ${check.request.resource}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (socket.destroyed) return;
        if (err instanceof RefusedError) socket.end(buildHttpErrorResponse(403, err.message));
        else socket.end(buildHttpErrorResponse(500, 'Internal Server Error'));
      });
    };
    socket.on('data', onData);
  }

  if (config.tls) {
    server.on('secureConnection', onConnection);
    server.on('tlsClientError', () => undefined);
    // TCP connections still in their TLS handshake are bounded too.
    if (maxConnections > 0) server.maxConnections = 2 * maxConnections;
  } else {
    server.on('connection', onConnection);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : config.port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    port,
    url: `${secure ? 'wss' : 'ws'}://${hostForUrl}:${port}`,
    selected,
    results: allResults,
    writeReports: reports,
    stopRequested,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
        .then(() => filer.settled())
        .finally(() => {
          for (const streams of compression.values()) streams.close();
        }),
  };
}

/** A direct command asking for more than any case sends: answered with Close 1008. */
class DirectCommandError extends Error {}

/** The largest message any case sends (9.x: 16 MiB); one command may ask for at most this many octets. */
const DIRECT_MAX_OCTETS = 16 * 1024 * 1024;
/** Most separate writes (chopsize) one command may ask for. */
const DIRECT_MAX_WRITES = 100_000;

function integerField(f: Record<string, unknown>, key: string, min: number, max: number, fallback: number): number {
  const value = f[key] ?? fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new DirectCommandError(`${key} must be an integer ${min}..${max}`);
  return n;
}

/** One frame of a sendframe/sendframes/echo command, its numbers checked. */
function directFrame(f: Record<string, unknown>): RawFrame {
  const frame: RawFrame = {
    opcode: integerField(f, 'opcode', 0, 15, Opcode.TEXT),
    payload: Buffer.from(String(f.payload ?? ''), 'utf8'),
    fin: f.fin === undefined ? true : Boolean(f.fin),
    rsv: integerField(f, 'rsv', 0, 7, 0),
    sync: Boolean(f.sync),
  };
  if (f.payload_len != null) frame.repeatLength = integerField(f, 'payload_len', 0, DIRECT_MAX_OCTETS, 0);
  if (f.chopsize != null) frame.chop = integerField(f, 'chopsize', 1, DIRECT_MAX_OCTETS, 1);
  return frame;
}

function checkDirectTotals(frames: readonly RawFrame[]): void {
  let octets = 0;
  let writes = 0;
  for (const f of frames) {
    const length = f.repeatLength ?? f.payload!.length;
    octets += length;
    writes += f.chop ? Math.ceil((length + 14) / f.chop) : 1;
  }
  if (octets > DIRECT_MAX_OCTETS) throw new DirectCommandError(`asks for ${octets} payload octets; at most ${DIRECT_MAX_OCTETS} per command`);
  if (writes > DIRECT_MAX_WRITES) throw new DirectCommandError(`asks for ${writes} writes (chopsize); at most ${DIRECT_MAX_WRITES} per command`);
}

/**
 * Direct command mode (docs/modes.md, Direct command mode): any other path; each text message is a JSON
 * [command, argument]. No results are recorded. (The original's explicit-mask quirk is not kept:
 * a "mask" argument is ignored.)
 */
function directCommands(): CaseDefinition {
  return controlScript('direct', (s) => ({
    onMessage(payload, binary) {
      let command: unknown;
      try {
        command = binary ? undefined : JSON.parse(payload.toString('utf8'));
      } catch {
        command = undefined;
      }
      if (!Array.isArray(command) || typeof command[0] !== 'string') {
        s.sendCloseFrame(1003, Buffer.from('direct command mode: expected a JSON [command, argument] text message'));
        return;
      }
      const [name, arg] = command as [string, Record<string, unknown>];
      const a = arg ?? {};
      if (name === 'close') {
        const code = a.code === undefined ? undefined : Number(a.code);
        if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) return;
        s.sendClose(code, a.reason === undefined ? undefined : String(a.reason));
        return;
      }
      let frames: RawFrame[];
      try {
        if (name === 'sendframe') frames = [directFrame(a)];
        else if (name === 'sendframes' && Array.isArray(arg)) frames = arg.map((f) => directFrame((f ?? {}) as Record<string, unknown>));
        else if (name === 'echo') frames = [directFrame({ opcode: Opcode.TEXT, payload: a.payload, payload_len: a.payload_len })];
        else return;
        checkDirectTotals(frames);
      } catch (err) {
        if (!(err instanceof DirectCommandError)) throw err;
        s.sendCloseFrame(1008, Buffer.from(`direct command mode: ${err.message}`.slice(0, 123)));
        return;
      }
      for (const f of frames) s.sendFrame(f);
    },
  }));
}

// Mode fuzzingserver: wsfuzz is the server; WebSocket clients under test drive it through the URL
// API (docs/modes.md, fuzzingserver URL API: /getCaseCount, /runCase, /getCaseInfo, /getCaseStatus,
// /updateReports, /stopServer). The same port serves a browser driver page and the reports.
import net from 'node:net';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { ALL_IDS, caseById } from '../cases/index.js';
import { isAgentCaseExcluded, selectCases, type AgentExclusions } from '../cases/selection.js';
import type { CaseDefinition, CaseHandlers, CaseSession } from '../fuzz/case.js';
import { acceptDeflate } from '../fuzz/deflate.js';
import { applyOptions, DEFAULT_OPTIONS, type FuzzerOptions } from '../fuzz/options.js';
import type { CaseOutcome } from '../fuzz/result.js';
import { caseOutcome } from '../fuzz/run.js';
import { FuzzSession } from '../fuzz/session.js';
import { Opcode } from '../protocol/frame.js';
import { buildHttpErrorResponse, buildServerResponse, checkClientRequest, type ClientRequest } from '../protocol/handshake.js';
import { HeadReader, headText } from '../protocol/http.js';
import { writeReports, type WrittenReport } from '../report/write.js';
import { caseNeighbours, renderCasePage } from '../report/html-case.js';
import { toReportJson } from '../report/json.js';
import { caseFileBase } from '../report/naming.js';
import { browserPage, liveCaseResult, startPage } from './browser-page.js';

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
  const selected = selectCases(config.cases, config.excludeCases, ALL_IDS);
  const options: FuzzerOptions = applyOptions({ ...DEFAULT_OPTIONS, failByDrop: false }, config.options);
  const results = new Map<string, Map<string, CaseOutcome>>();
  const waiters = new Map<string, (outcome: CaseOutcome) => void>();
  /** Cases being run now, by agent and case ID: settled once the result is stored (or the case was skipped). */
  const running = new Map<string, Promise<void>>();
  const sockets = new Set<net.Socket>();
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  const server = net.createServer();
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
      waiter(outcome);
    }
  }

  function allResults(): CaseOutcome[] {
    return [...results.values()].flatMap((m) => [...m.values()]);
  }

  function reports(): Promise<WrittenReport> {
    return writeReports(config.outdir, allResults(), { product: config.product, generatedAt: new Date() });
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
  ): FuzzSession {
    const acceptance = acceptDeflate(def.deflate, request.deflateOffers);
    const response = buildServerResponse({
      key: request.key,
      headers: [`Server: ${config.product}`, `X-Powered-By: ${config.product}`],
      extensions: acceptance?.response ?? null,
    });
    const session = new FuzzSession(def, options, true, {
      unbounded,
      ...(isExcluded ? { isExcluded: () => isExcluded() } : {}),
    });
    session.startServer(socket, chunks, head, response, acceptance?.agreement ?? null, rest);
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
        run(
          controlScript('getCaseStatus', (s) => {
            const answer = (o: CaseOutcome) => {
              if (s.state === 'OPEN') sendTextAndClose(s, `{"behavior": "${o.result.behavior}"}`);
            };
            const existing = results.get(agent)?.get(id);
            if (existing) answer(existing);
            else waiters.set(`${agent}\u0000${id}`, answer);
          }),
        );
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
        socket.destroy();
        requestStop();
        return;
      case '/runCase': {
        const { n, id } = resolveCase(params);
        const agent = requireAgent(params);
        const def = caseById(id);
        const excluded = () => isAgentCaseExcluded(config.excludeAgentCases, agent, id);
        const key = `${agent}\u0000${id}`;
        let finished!: () => void;
        const settledRun = new Promise<void>((resolve) => (finished = resolve));
        running.set(key, settledRun);
        try {
          const session = runSession(socket, chunks, request, head, rest, def, false, excluded);
          const record = await session.done;
          if (record.excluded) {
            log(`Skipping test case ${id} for agent ${agent} by test configuration!`);
            return;
          }
          store(caseOutcome(def, record, { agent, caseNumber: n }));
        } finally {
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
    return JSON.stringify(outcome ? liveCaseResult(outcome.result) : null);
  }

  /** A per-case page or JSON file of a result held in memory (it exists before /updateReports writes it). */
  function liveReportFile(file: string): string | undefined {
    const all = allResults();
    for (const outcome of all) {
      const { agent, id } = outcome.result;
      const base = caseFileBase(agent, id);
      if (file === `${base}.json`) return toReportJson(outcome.result);
      if (file === `${base}.html`) {
        const neighbours = caseNeighbours(all.map((o) => o.result));
        return renderCasePage(outcome, { product: config.product, generatedAt: new Date() }, neighbours(agent, id));
      }
    }
    return undefined;
  }

  async function serveHttp(socket: net.Socket, resource: string): Promise<void> {
    const url = new URL(resource, 'http://x');
    const pathname = url.pathname;
    let status = '200 OK';
    let type = 'text/html; charset=utf-8';
    let body: Buffer;
    if (pathname === '/' || pathname === '/index.html') {
      body = Buffer.from(startPage(config.product, selected.length));
    } else if (pathname === '/test_browser.html') {
      body = Buffer.from(browserPage(config.product));
    } else if (pathname === '/caseResult') {
      type = 'application/json';
      try {
        body = Buffer.from(await caseResultJson(url.search.slice(1)));
      } catch (err) {
        if (!(err instanceof DispatchError)) throw err;
        status = '400 Bad Request';
        body = Buffer.from(JSON.stringify({ error: err.message }));
      }
    } else if (pathname.startsWith('/reports/') && /^[\w.-]+$/.test(pathname.slice('/reports/'.length))) {
      const file = pathname.slice('/reports/'.length);
      const live = liveReportFile(file);
      try {
        body = live !== undefined ? Buffer.from(live) : await readFile(path.join(config.outdir, file));
        type = file.endsWith('.json') ? 'application/json' : type;
      } catch {
        status = '404 Not Found';
        body = Buffer.from(`No report file ${file} yet (reports are written on /updateReports).\n`);
        type = 'text/plain; charset=utf-8';
      }
    } else {
      status = '404 Not Found';
      body = Buffer.from('Not found\n');
      type = 'text/plain; charset=utf-8';
    }
    socket.end(
      Buffer.concat([
        Buffer.from(`HTTP/1.1 ${status}\r\nServer: ${config.product}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`),
        body,
      ]),
    );
  }

  function onConnection(socket: net.Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
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
        secure: false,
        strictHostPort: config.strictHostPort ?? false,
        versions: [13, 8],
      });
      if (!check.ok) {
        if (check.plainHttp) void serveHttp(socket, head.split(' ')[1] ?? '/').catch(() => socket.destroy());
        else socket.end(buildHttpErrorResponse(check.status, check.reason, check.extraHeaders));
        return;
      }
      for (const warning of check.request.warnings) log(`note: ${warning} (accepted)`);
      dispatch(socket, reader.chunks, check.request, head, split.rest).catch((err: unknown) => {
        if (!(err instanceof DispatchError)) log(`internal error on ${check.request.resource}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        else log(`rejected ${check.request.resource}: ${err.message}`);
        if (!socket.destroyed) socket.end(buildHttpErrorResponse(500, 'Internal Server Error'));
      });
    };
    socket.on('data', onData);
  }

  server.on('connection', onConnection);
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
    url: `ws://${hostForUrl}:${port}`,
    selected,
    results: allResults,
    writeReports: reports,
    stopRequested,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
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
      const frame = (f: Record<string, unknown>) =>
        s.sendFrame({
          opcode: Number(f.opcode ?? Opcode.TEXT),
          payload: Buffer.from(String(f.payload ?? ''), 'utf8'),
          fin: f.fin === undefined ? true : Boolean(f.fin),
          rsv: Number(f.rsv ?? 0),
          ...(f.payload_len != null ? { repeatLength: Number(f.payload_len) } : {}),
          ...(f.chopsize != null ? { chop: Number(f.chopsize) } : {}),
          sync: Boolean(f.sync),
        });
      if (name === 'sendframe') frame(arg ?? {});
      else if (name === 'sendframes' && Array.isArray(arg)) for (const f of arg) frame(f as Record<string, unknown>);
      else if (name === 'close') {
        const a = arg ?? {};
        const code = a.code === undefined ? undefined : Number(a.code);
        if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) return;
        s.sendClose(code, a.reason === undefined ? undefined : String(a.reason));
      } else if (name === 'echo') {
        const a = arg ?? {};
        s.sendFrame({
          opcode: Opcode.TEXT,
          payload: Buffer.from(String(a.payload ?? ''), 'utf8'),
          ...(a.payload_len != null ? { repeatLength: Number(a.payload_len) } : {}),
        });
      }
    },
  }));
}

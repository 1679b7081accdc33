// The reference echo server: a conforming WebSocket server (RFC 6455 + RFC 7692) that returns every
// message with the same type. It is wsfuzz's default peer and the baseline for benchmarks.
// Protocol lives in protocol/connection.ts; this file only does sockets, timers and the HTTP head.
import net from 'node:net';
import { Connection, negotiateDeflateAsServer } from '../protocol/connection.js';
import { buildHttpErrorResponse, buildServerResponse, checkClientRequest } from '../protocol/handshake.js';
import { HeadReader, headText, headerValue, sanitizeHttpText } from '../protocol/http.js';
import { PRODUCT } from '../version.js';

export interface EchoServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Largest message accepted (after decompression); default 64 MiB. */
  maxMessageSize?: number;
  /** How long to wait for the peer's Close after sending ours (and to linger after ending TCP). */
  closeTimeoutMs?: number;
  /** How long a client may take to send its opening handshake. */
  openTimeoutMs?: number;
  /** Told about unexpected internal errors (a bug, not bad input); the connection is dropped. */
  onError?: (error: unknown) => void;
}

export interface EchoServer {
  port: number;
  url: string;
  /** Stop listening, close open WebSocket connections (1001), resolve once every socket is gone. */
  close(): Promise<void>;
}

const SUPPORTED_VERSIONS = [13];
/** Largest opening handshake head we wait for. */
const MAX_HANDSHAKE_BYTES = 16 * 1024;
/** Stop reading while more than this is waiting to be written (the peer reads too slowly). */
const MAX_PENDING_WRITE = 4 * 1024 * 1024;
/** HTTP request methods are tokens (RFC 7230 §3.1.1); anything else cannot be a request. */
const TOKEN_BYTE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/;
const MAX_METHOD_LENGTH = 32;
const REQUEST_LINE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ \S+ HTTP\/\d\.\d$/;
const MAX_REASON_LENGTH = 200;

const PLAIN_PAGE = `${PRODUCT} echo server: connect with a WebSocket client to have your messages echoed.\n`;

interface ServerContext {
  port: number;
  maxMessageSize: number | undefined;
  closeTimeoutMs: number;
  openTimeoutMs: number;
  shuttingDown: boolean;
  onError: (error: unknown) => void;
}

/** One TCP connection: HTTP head first, then a WebSocket Connection, then draining until closed. */
class EchoSession {
  private phase: 'handshake' | 'websocket' | 'ending' = 'handshake';
  /** Reads the request head; released once the head is complete. */
  private head: HeadReader | null = new HeadReader(MAX_HANDSHAKE_BYTES);
  private connection: Connection | null = null;
  private openTimer: NodeJS.Timeout | null = null;
  private closeTimer: NodeJS.Timeout | null = null;
  private lingerTimer: NodeJS.Timeout | null = null;
  private readPaused = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly context: ServerContext,
    private readonly onGone: (session: EchoSession) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.guard(() => this.onData(chunk)));
    socket.on('end', () => this.guard(() => this.onEnd()));
    socket.on('drain', () => this.guard(() => this.onDrain()));
    // An error just ends this connection ('close' follows).
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
    this.openTimer = setTimeout(() => this.guard(() => this.onOpenTimeout()), context.openTimeoutMs);
  }

  /** Server shutdown: close the WebSocket (1001) or drop a connection still in its handshake. */
  shutdown(): void {
    this.guard(() => {
      if (this.phase === 'websocket' && this.connection!.state === 'open') {
        this.connection!.close(1001, 'server shutting down');
        this.pump();
      } else if (this.phase === 'handshake') {
        this.socket.destroy();
      }
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Nothing a peer sends may crash the server: any unexpected error drops this connection. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.socket.destroy();
      try {
        this.context.onError(error);
      } catch {
        // A failing diagnostics hook must not take the server down either.
      }
    }
  }

  private onData(chunk: Buffer): void {
    if (this.phase === 'websocket') {
      this.connection!.receiveData(chunk);
      this.pump();
    } else if (this.phase === 'handshake') {
      this.onHandshakeData(chunk);
    }
    // 'ending': keep reading so that unread data does not turn our FIN into a reset.
  }

  private onHandshakeData(chunk: Buffer): void {
    const reader = this.head!;
    const split = reader.push(chunk);
    if (split.kind === 'too-large') {
      this.rejectHandshake(431, 'Request Header Fields Too Large');
      return;
    }
    if (split.kind === 'incomplete') {
      // Answer garbage at once instead of waiting for a CRLFCRLF that may never come.
      if (!this.couldBeRequestLine(reader.buffered)) this.rejectHandshake(400, this.badRequestLine(reader.buffered));
      return;
    }
    this.head = null;
    this.acceptOrReject(split.head, split.rest);
  }

  /** True while the octets so far can still begin an HTTP request line. */
  private couldBeRequestLine(data: Buffer): boolean {
    const space = data.indexOf(0x20);
    const method = data.subarray(0, space < 0 ? Math.min(data.length, MAX_METHOD_LENGTH + 1) : space).toString('latin1');
    if (method.length > MAX_METHOD_LENGTH || !TOKEN_BYTE.test(method)) return false;
    const lineEnd = data.indexOf('\r\n');
    return lineEnd < 0 || REQUEST_LINE.test(data.subarray(0, lineEnd).toString('latin1'));
  }

  private badRequestLine(data: Buffer): string {
    const lineEnd = data.indexOf('\r\n');
    const line = data.subarray(0, lineEnd < 0 ? Math.min(data.length, 64) : Math.min(lineEnd, 64)).toString('latin1');
    return `Bad HTTP request status line '${line}'`;
  }

  private acceptOrReject(head: Buffer, rest: Buffer): void {
    const result = checkClientRequest(headText(head), {
      port: this.context.port,
      secure: false,
      strictHostPort: false,
      versions: SUPPORTED_VERSIONS,
    });
    if (!result.ok) {
      if (result.plainHttp) {
        this.answerPlainHttp();
        return;
      }
      // handshake.ts names the fuzzer's versions (13,8,0); this server speaks only RFC 6455.
      const supported = SUPPORTED_VERSIONS.join(',');
      const reason = result.reason.replace(/\(supported versions: [^)]*\)/, `(supported versions: ${supported})`);
      const extra = (result.extraHeaders ?? []).map((h) =>
        /^sec-websocket-version:/i.test(h) ? `Sec-WebSocket-Version: ${supported}` : h,
      );
      this.rejectHandshake(result.status, reason, extra);
      return;
    }
    if (this.context.shuttingDown) {
      this.rejectHandshake(503, 'Service Unavailable');
      return;
    }
    const request = result.request;
    const deflate = negotiateDeflateAsServer(headerValue(request.head, 'sec-websocket-extensions'));
    const response = buildServerResponse({
      key: request.key,
      headers: [`Server: ${PRODUCT}`],
      // An echo speaks every subprotocol; clients such as ws abort if none is selected.
      protocol: request.protocols[0] ?? null,
      extensions: deflate?.response ?? null,
    });
    this.clearOpenTimer();
    this.socket.write(response);
    this.connection = new Connection({
      role: 'server',
      deflate: deflate?.settings ?? null,
      ...(this.context.maxMessageSize !== undefined ? { maxMessageSize: this.context.maxMessageSize } : {}),
    });
    this.phase = 'websocket';
    if (rest.length > 0) {
      this.connection.receiveData(rest);
      this.pump();
    }
  }

  private answerPlainHttp(): void {
    const body = Buffer.from(PLAIN_PAGE, 'utf8');
    const head = [
      'HTTP/1.1 200 OK',
      `Server: ${PRODUCT}`,
      'Content-Type: text/plain; charset=utf-8',
      `Content-Length: ${body.length}`,
      'Connection: close',
    ].join('\r\n');
    this.socket.write(Buffer.concat([Buffer.from(head + '\r\n\r\n', 'latin1'), body]));
    this.endTcp();
  }

  private rejectHandshake(status: number, reason: string, extraHeaders: string[] = []): void {
    const shortReason = sanitizeHttpText(reason).slice(0, MAX_REASON_LENGTH);
    const headers = [`Server: ${PRODUCT}`, ...extraHeaders, 'Content-Length: 0', 'Connection: close'];
    this.socket.write(buildHttpErrorResponse(status, shortReason, headers), 'latin1');
    this.endTcp();
  }

  /** Echo every message, write what the Connection queued, and follow its TCP and timer signals. */
  private pump(): void {
    const connection = this.connection!;
    for (let event = connection.nextEvent(); event !== null; event = connection.nextEvent()) {
      if (event.type === 'text') connection.sendText(event.data);
      else if (event.type === 'binary') connection.sendBinary(event.data);
    }
    this.flush();
    if (connection.shouldCloseTcp) {
      this.endTcp();
    } else if (connection.needsCloseTimer && this.closeTimer === null) {
      this.closeTimer = setTimeout(() => this.guard(() => this.onCloseTimeout()), this.context.closeTimeoutMs);
    }
  }

  private flush(): void {
    const chunks = this.connection!.dataToSend();
    if (chunks.length === 0 || this.socket.destroyed) return;
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!);
    } else {
      this.socket.cork();
      for (const chunk of chunks) this.socket.write(chunk);
      this.socket.uncork();
    }
    if (this.socket.writableLength > MAX_PENDING_WRITE && !this.readPaused && this.phase === 'websocket') {
      this.readPaused = true;
      this.socket.pause();
    }
  }

  private onDrain(): void {
    if (this.readPaused) {
      this.readPaused = false;
      this.socket.resume();
    }
  }

  private onCloseTimeout(): void {
    this.closeTimer = null;
    if (this.phase !== 'websocket') return;
    this.connection!.closeTimeoutExpired();
    this.pump();
  }

  private onOpenTimeout(): void {
    this.openTimer = null;
    if (this.phase === 'handshake') this.rejectHandshake(408, 'Request Timeout');
  }

  private onEnd(): void {
    if (this.phase === 'websocket') {
      this.connection!.receiveEof();
      this.pump();
    }
    // With allowHalfOpen off, Node ends our side too once the peer has.
  }

  /**
   * End our side after the queued octets; keep reading (and discarding) so the peer's last frames
   * do not make the kernel reset the connection; destroy if the peer never closes its side.
   */
  private endTcp(): void {
    if (this.phase === 'ending') return;
    this.phase = 'ending';
    this.clearOpenTimer();
    this.clearCloseTimer();
    this.socket.end();
    if (this.readPaused) {
      this.readPaused = false;
      this.socket.resume();
    }
    this.lingerTimer = setTimeout(() => this.socket.destroy(), this.context.closeTimeoutMs);
  }

  private onClose(): void {
    this.clearOpenTimer();
    this.clearCloseTimer();
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    // Releases the compression streams if the transport vanished mid-connection.
    if (this.connection !== null && this.connection.state !== 'closed') {
      this.guard(() => {
        this.connection!.receiveEof();
        this.connection!.eventsReceived();
      });
    }
    this.onGone(this);
  }

  private clearOpenTimer(): void {
    if (this.openTimer !== null) clearTimeout(this.openTimer);
    this.openTimer = null;
  }

  private clearCloseTimer(): void {
    if (this.closeTimer !== null) clearTimeout(this.closeTimer);
    this.closeTimer = null;
  }
}

export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const host = options.host ?? '127.0.0.1';
  const context: ServerContext = {
    port: 0,
    maxMessageSize: options.maxMessageSize,
    closeTimeoutMs: options.closeTimeoutMs ?? 1000,
    openTimeoutMs: options.openTimeoutMs ?? 5000,
    shuttingDown: false,
    onError: options.onError ?? (() => undefined),
  };
  const sessions = new Set<EchoSession>();
  const server = net.createServer((socket) => {
    const session = new EchoSession(socket, context, (gone) => sessions.delete(gone));
    sessions.add(session);
  });
  // Errors after listening (e.g. EMFILE on accept) must not take the process down.
  const ignoreError = (): void => undefined;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      server.on('error', ignoreError);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  context.port = address.port;
  const urlHost = net.isIPv6(host) ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      context.shuttingDown = true;
      server.close(() => resolve());
      for (const session of sessions) session.shutdown();
      // Peers that ignore our Close are dropped after the close timeout (and its linger).
      const deadline = setTimeout(() => {
        for (const session of sessions) session.destroy();
      }, 2 * context.closeTimeoutMs + 100);
      deadline.unref();
    });
    return closing;
  };

  return { port: address.port, url: `ws://${urlHost}:${address.port}/`, close };
}

// A minimal permessage-deflate echo peer on raw frames, for defects ws cannot produce. It accepts
// the offer with no context takeover in both directions (so every message is self-contained) and
// echoes each message's compressed payload as it came, through `echo`.
import net from 'node:net';
import { FrameDecoder, encodeFrame, Opcode } from '../../src/protocol/frame.js';
import { buildServerResponse, checkClientRequest } from '../../src/protocol/handshake.js';
import { headText, splitHead } from '../../src/protocol/http.js';
import type { RunningPeer } from './base.js';

export interface RawDeflateHooks {
  /** Sec-WebSocket-Extensions response value. */
  extensions: string;
  /** Send the echo of one message: `opcode`, its compressed payload, whether it was compressed. */
  echo(send: (frame: Buffer) => void, opcode: number, payload: Buffer, compressed: boolean): void;
}

export function startRawDeflatePeer(hooks: RawDeflateHooks): Promise<RunningPeer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let decoder: FrameDecoder | null = null;
    let message: { opcode: number; compressed: boolean; parts: Buffer[] } | null = null;
    let frameOpcode = 0;
    let frameFin = true;
    const send = (frame: Buffer) => {
      if (!socket.destroyed) socket.write(frame);
    };
    socket.on('data', (chunk: Buffer) => {
      if (decoder === null) {
        head = Buffer.concat([head, chunk]);
        const split = splitHead(head);
        if (split.kind !== 'complete') return;
        const check = checkClientRequest(headText(split.head), { port: 0, secure: false, strictHostPort: false, versions: [13] });
        if (!check.ok) {
          socket.destroy();
          return;
        }
        socket.write(buildServerResponse({ key: check.request.key, extensions: hooks.extensions }));
        decoder = new FrameDecoder();
        chunk = split.rest;
      }
      for (const ev of decoder.push(chunk)) {
        if (ev.type === 'header') {
          frameOpcode = ev.header.opcode;
          frameFin = ev.header.fin;
          if (frameOpcode === Opcode.TEXT || frameOpcode === Opcode.BINARY) {
            message = { opcode: frameOpcode, compressed: (ev.header.rsv & 4) !== 0, parts: [] };
          }
        } else if (ev.type === 'payload') {
          if (frameOpcode < 8) message?.parts.push(Buffer.from(ev.data));
        } else if (frameOpcode === Opcode.CLOSE) {
          send(encodeFrame({ opcode: Opcode.CLOSE, payload: Buffer.from([0x03, 0xe8]) }));
          socket.end();
        } else if (frameOpcode < 8 && frameFin && message) {
          hooks.echo(send, message.opcode, Buffer.concat(message.parts), message.compressed);
          message = null;
        }
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      resolve({
        url: `ws://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

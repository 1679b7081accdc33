// Defect: a ws echo server with permessage-deflate that alters one octet of its 5th echo.
import { WebSocketServer } from 'ws';
import type { RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  return new Promise((resolve) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true }, () => {
      const address = wss.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        url: `ws://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close(() => done());
          }),
      });
    });
    wss.on('connection', (ws) => {
      let count = 0;
      ws.on('message', (data, isBinary) => {
        const copy = Buffer.from(data as Buffer);
        if (++count === 5 && copy.length > 0) copy[copy.length - 1] ^= 0x01; // keeps ASCII text valid UTF-8
        ws.send(copy, { binary: isBinary });
      });
      ws.on('error', () => {});
    });
  });
}

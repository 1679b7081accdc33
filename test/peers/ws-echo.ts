// No defect of ours: the `ws` 8.23.0 echo server of the golden measurements, in this process.
// (ws-echo-server.ts next to it is the same peer as a separate process, for other tests.)
// `reply` lets a peer in this folder alter what it echoes (one defect), on the same server.
import type net from 'node:net';
import { WebSocketServer } from 'ws';
import type { RunningPeer } from './base.js';

/** What to send back for the `index`-th message (0-based) of a connection. */
export type Reply = (data: Buffer, isBinary: boolean, index: number) => Buffer;

export function start(reply: Reply = (data) => data): Promise<RunningPeer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  wss.on('connection', (ws) => {
    let index = 0;
    ws.on('message', (data, isBinary) => ws.send(reply(data as Buffer, isBinary, index++), { binary: isBinary }));
    ws.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    wss.on('listening', () => {
      const { port } = wss.address() as net.AddressInfo;
      resolve({
        url: `ws://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close(() => done());
          }),
      });
    });
  });
}

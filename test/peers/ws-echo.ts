// No defect of ours: the `ws` 8.23.0 echo server of the golden measurements, in this process.
// (ws-echo-server.ts next to it is the same peer as a separate process, for other tests.)
import type net from 'node:net';
import { WebSocketServer } from 'ws';
import type { RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
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

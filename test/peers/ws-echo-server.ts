// The `ws` package (8.23.0) as an echo server: the same peer the golden verdicts were measured
// against (shared/golden/peers/ws-echo-server.cjs). Run as its own process:
//   node dist/test/peers/ws-echo-server.js [--no-deflate]
// It prints "listening <port>" once ready.
import { WebSocketServer } from 'ws';

const perMessageDeflate = !process.argv.includes('--no-deflate');
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate }, () => {
  const address = wss.address();
  if (typeof address === 'object' && address !== null) process.stdout.write(`listening ${address.port}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
  ws.on('error', () => {});
});
process.on('SIGTERM', () => process.exit(0));

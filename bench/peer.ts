// A peer process for the benchmark: the `ws` echo server or wsfuzz's reference echo server.
// Prints "listening <port>" when ready. Over its IPC channel it answers any message with its CPU
// time and peak memory so far ({ userUs, systemUs, maxRssKiB }); SIGTERM ends it.
import { WebSocketServer } from 'ws';
import { startEchoServer } from '../src/modes/echoserver.js';

const kind = process.argv[2];

export interface PeerUsage {
  userUs: number;
  systemUs: number;
  maxRssKiB: number;
}

function usage(): PeerUsage {
  const cpu = process.cpuUsage();
  return { userUs: cpu.user, systemUs: cpu.system, maxRssKiB: process.resourceUsage().maxRSS };
}

if (kind === 'ws') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true }, () => {
    const address = wss.address();
    if (typeof address === 'object' && address !== null) process.stdout.write(`listening ${address.port}\n`);
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
    ws.on('error', () => {});
  });
} else if (kind === 'wsfuzz') {
  const server = await startEchoServer({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`listening ${server.port}\n`);
} else {
  process.stderr.write('usage: peer.js ws|wsfuzz\n');
  process.exit(2);
}
process.on('message', () => process.send?.(usage()));
process.on('SIGTERM', () => process.exit(0));

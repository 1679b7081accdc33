// The `ws` package (8.23.0) as a client under test: the driver the golden client verdicts were
// measured with (shared/golden/peers/ws-client-driver.cjs): getCaseCount, runCase for every N
// with permessage-deflate offered, echoing every message, then updateReports.
//   node dist/test/peers/ws-client-driver.js ws://127.0.0.1:9001 [agent]
import WebSocket from 'ws';

const base = process.argv[2] ?? 'ws://127.0.0.1:9001';
const agent = process.argv[3] ?? 'ws';

function connect(path: string, options: WebSocket.ClientOptions, onMessage?: (ws: WebSocket, data: WebSocket.RawData, binary: boolean) => void): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(base + path, options);
    ws.on('message', (data, binary) => onMessage?.(ws, data, binary));
    ws.on('close', () => resolve());
    ws.on('error', () => {});
  });
}

let count = 0;
await connect('/getCaseCount', {}, (_ws, data) => {
  count = parseInt(data.toString(), 10);
});
for (let n = 1; n <= count; n++) {
  await connect(`/runCase?case=${n}&agent=${encodeURIComponent(agent)}`, { perMessageDeflate: true }, (ws, data, binary) =>
    ws.send(data as Buffer, { binary }),
  );
}
await connect(`/updateReports?agent=${encodeURIComponent(agent)}`, {});
process.stdout.write(`ran ${count} cases\n`);

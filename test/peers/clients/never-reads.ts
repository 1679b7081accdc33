// Defect: opens a /runCase connection, sends the opening handshake and never reads anything from it
// (not even the response), so everything the fuzzer sends piles up on the fuzzer's side.
import net from 'node:net';
import { randomBytes } from 'node:crypto';

/** Open the connection; resolves once the request is written. Destroy the socket to end it. */
export function open(baseUrl: string, caseNumber: number, agent: string): Promise<net.Socket> {
  const url = new URL(baseUrl);
  const socket = net.connect({ host: url.hostname, port: Number(url.port) });
  socket.on('error', () => undefined);
  socket.pause();
  const request = [
    `GET /runCase?case=${caseNumber}&agent=${encodeURIComponent(agent)} HTTP/1.1`,
    `Host: ${url.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write(request, () => resolve(socket)));
  });
}

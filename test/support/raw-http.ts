// Raw HTTP/1.1 exchanges with a local server: the request exactly as written, the answer until close.
import net from 'node:net';

/** One raw HTTP exchange: `request` as written, everything the server sends until it closes. */
export function rawHttp(port: number, request: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(request, 'latin1'));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

/** GET `target` with Host 127.0.0.1:<port> and any further header lines. */
export function httpGet(port: number, target: string, headers: string[] = []): Promise<string> {
  return rawHttp(port, [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...headers, '', ''].join('\r\n'));
}

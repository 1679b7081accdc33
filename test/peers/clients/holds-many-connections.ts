// Defect: opens TCP connections to the server and holds them open without sending anything.
import net from 'node:net';

export interface HeldConnections {
  /** Resolves with everything each connection received once the server closed it (or it was released). */
  answers: Array<Promise<string>>;
  release(): void;
}

export async function run(port: number, count: number): Promise<HeldConnections> {
  const sockets: net.Socket[] = [];
  const answers: Array<Promise<string>> = [];
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    answers.push(new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    sockets.push(socket);
  }
  return { answers, release: () => sockets.forEach((s) => s.destroy()) };
}

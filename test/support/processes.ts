// Starting peers as child processes (so the peer's CPU and event loop are its own, as in real runs).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const distTest = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface PeerProcess {
  port: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Start `dist/test/<script>` and wait for its "listening <port>" line. */
export function startPeerProcess(script: string, args: string[] = []): Promise<PeerProcess> {
  const child = spawn(process.execPath, [path.join(distTest, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /listening (\d+)/.exec(buffered);
      if (!m) return;
      child.stdout!.off('data', onData);
      const port = Number(m[1]);
      resolve({
        port,
        url: `ws://127.0.0.1:${port}`,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
}

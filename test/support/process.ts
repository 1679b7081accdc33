// Running the package's bin scripts (bin/wsfuzz.js, bin/wstest.js, or an installed copy) as child
// processes, with a kill timer so that nothing can hang a test.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function show(r: RunResult): string {
  return `status ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stdout:\n${r.stdout}--- stderr:\n${r.stderr}`;
}

export interface RunningProcess {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<RunResult>;
  /** Resolves with the first match of `re` in stdout; rejects if the process ends first. */
  waitFor(re: RegExp): Promise<RegExpExecArray>;
  /** The same for stderr. */
  waitForStderr(re: RegExp): Promise<RegExpExecArray>;
}

/** Start `command args` in `cwd` with environment `baseEnv`; killed after `timeoutMs`. */
export function startProcess(command: string, args: readonly string[], cwd: string, timeoutMs = 30_000, baseEnv: NodeJS.ProcessEnv = process.env): RunningProcess {
  // Without NODE_TEST_CONTEXT (set by `node --test` for its own children): a child that runs tests
  // is a test run of its own, reporting in the reporter it is given.
  const { NODE_TEST_CONTEXT: _, ...env } = baseEnv;
  const child = spawn(command, args, { cwd, env: { ...env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const timer = setTimeout(() => {
    stderr += `\n[test: killed after ${timeoutMs} ms]\n`;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exited = new Promise<RunResult>((resolve) => {
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
  const waitOn = (stream: NodeJS.ReadableStream, text: () => string, re: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(text());
        if (!m) return;
        stream.off('data', check);
        resolve(m);
      };
      stream.on('data', check);
      check();
      void exited.then((r) => reject(new Error(`${command} ${args.join(' ')} ended before printing ${re}\n${show(r)}`)));
    });
  return {
    child,
    exited,
    waitFor: (re) => waitOn(child.stdout, () => stdout, re),
    waitForStderr: (re) => waitOn(child.stderr, () => stderr, re),
  };
}

/** Run `node script args` to completion. */
export function runNode(script: string, args: readonly string[], cwd: string, timeoutMs?: number): Promise<RunResult> {
  return startProcess(process.execPath, [script, ...args], cwd, timeoutMs).exited;
}

// SIGINT/SIGTERM during a fuzzingclient run: the first one aborts the run (so that the cases
// finished so far are written as a partial report); a second one gets Node's default handling and
// ends the process at once.
import { constants } from 'node:os';

export interface Interrupt {
  signal: AbortSignal;
  /** The signal that aborted the run, if one did. */
  received(): NodeJS.Signals | null;
  /** Stop listening (the default handling applies again). */
  dispose(): void;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function interruptOnSignals(): Interrupt {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const handlers = SIGNALS.map((name) => {
    const handler = () => {
      received = name;
      dispose();
      controller.abort();
    };
    process.once(name, handler);
    return [name, handler] as const;
  });
  function dispose(): void {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
  return { signal: controller.signal, received: () => received, dispose };
}

/** The shell's exit status for a process ended by `signal`: 128 + its number (130, 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

// Timer requests of the sans-I/O engine: it arms and cancels timers by id; the driver runs them
// with the real clock and reports each one that fires (docs/engine.md, Timers).

export type TimerRequest = { kind: 'arm'; id: number; delayMs: number } | { kind: 'cancel'; id: number };

interface PendingTimer {
  run: () => void;
  /** Runs even once the connection is CLOSED (e.g. ending TCP a peer never closes). */
  always: boolean;
}

export class TimerTable {
  private nextId = 1;
  private readonly pending = new Map<number, PendingTimer>();
  private requests: TimerRequest[] = [];

  arm(seconds: number, run: () => void, always = false): number {
    const id = this.nextId++;
    this.pending.set(id, { run, always });
    this.requests.push({ kind: 'arm', id, delayMs: Math.max(0, seconds * 1000) });
    return id;
  }

  cancel(id: number | null): void {
    if (id === null || !this.pending.delete(id)) return;
    this.requests.push({ kind: 'cancel', id });
  }

  /** The timer `id` fired: what to run (undefined when it was cancelled meanwhile). */
  fired(id: number): PendingTimer | undefined {
    const timer = this.pending.get(id);
    this.pending.delete(id);
    return timer;
  }

  cancelAll(): void {
    for (const id of this.pending.keys()) this.requests.push({ kind: 'cancel', id });
    this.pending.clear();
  }

  take(): TimerRequest[] {
    const out = this.requests;
    this.requests = [];
    return out;
  }
}

// Defect: asks /getCaseStatus for a case it never runs, and keeps the connection open waiting.
import { runClient, type ClientRun } from './base.js';

/** `opened` runs when the handshake completed (the server has registered the waiter by then). */
export function run(baseUrl: string, agent: string, opened: () => void = () => undefined): Promise<ClientRun> {
  return runClient(`${baseUrl}/getCaseStatus?case=1&agent=${encodeURIComponent(agent)}`, { onOpen: opened }, { maxMs: 60_000 });
}

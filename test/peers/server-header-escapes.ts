// Defect: its Server header carries terminal control sequences and a bare CR followed by a fake
// summary line and a GitHub Actions command (a correct echo server otherwise).
import { buildServerResponse } from '../../src/protocol/handshake.js';
import { startPeer, type RunningPeer } from './base.js';

export const SERVER_HEADER = 'evil\x1b[2J\x1b[31m\r::error file=x.js::forged\rws: 517 cases: 517 OK; no failures\x07';

export function start(): Promise<RunningPeer> {
  return startPeer({ response: (key) => buildServerResponse({ key, headers: [`Server: ${SERVER_HEADER}`] }) });
}

// Defect: names itself differently on every connection (Server: shifty-1, shifty-2, ...), as a
// hostile server in a multi-server spec could, to spread or misfile its results.
import { buildServerResponse } from '../../src/protocol/handshake.js';
import { startPeer, type RunningPeer } from './base.js';

export function start(): Promise<RunningPeer> {
  let connections = 0;
  return startPeer({ response: (key) => buildServerResponse({ key, headers: [`Server: shifty-${++connections}`] }) });
}

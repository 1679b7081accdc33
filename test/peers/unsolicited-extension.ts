// Defect: accepts permessage-deflate in its handshake response although the client did not offer it.
import { startPeer, type RunningPeer } from './base.js';
import { buildServerResponse } from '../../src/protocol/handshake.js';

export function start(): Promise<RunningPeer> {
  return startPeer({ response: (key) => buildServerResponse({ key, extensions: 'permessage-deflate' }) });
}

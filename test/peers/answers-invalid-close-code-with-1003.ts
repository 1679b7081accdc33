// Defect: answers a Close with an invalid code (e.g. 0) with 1003 and an explanation, as the
// Undertow server of seed 001 does, instead of 1002. Handshake response shaped like that server's.
import { answerClose, startPeer, type RunningPeer } from './base.js';
import { acceptKey } from '../../src/protocol/handshake.js';

export function start(): Promise<RunningPeer> {
  return startPeer({
    response: (key) =>
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: WebSocket\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
    onClose(conn, info) {
      if (info.code === null || info.reply !== 1002) return answerClose(conn, info);
      conn.sendClose(1003, `UT002026: Invalid close frame status code: ${info.code}`);
      conn.end();
    },
  });
}

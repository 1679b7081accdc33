// Defect: a 200-byte direct command that asks the server to send 2^28 octets (payload_len), or
// many frames of the largest size at once.
import { runClient, type ClientRun } from './base.js';
import { Opcode } from '../../../src/protocol/frame.js';

export const COMMANDS = [
  '["echo", {"payload": "x", "payload_len": 268435456}]',
  '["sendframe", {"opcode": 2, "payload": "x", "payload_len": 268435456}]',
  `["sendframes", [${Array.from({ length: 32 }, () => '{"opcode": 2, "payload": "x", "payload_len": 16777216}').join(', ')}]]`,
  '["sendframe", {"opcode": 2, "payload": "x", "payload_len": 16777216, "chopsize": 1}]',
];

/** Send `command` on a direct-command connection; resolves with what the client saw. */
export function run(baseUrl: string, command: string): Promise<ClientRun> {
  return runClient(`${baseUrl}/direct`, { onOpen: (conn) => conn.send(Opcode.TEXT, Buffer.from(command)) });
}

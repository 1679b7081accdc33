// Defect: a web page of another origin: its requests carry that page's Origin header, as a browser
// sends it for any page that opens a WebSocket to the local fuzzing server.
import { defaultRequest, runClient, type ClientRun } from './base.js';

export const FOREIGN_ORIGIN = 'http://evil.example';

/** One WebSocket request to `url` sent with `Origin: origin`. */
export function run(url: string, origin = FOREIGN_ORIGIN): Promise<ClientRun> {
  return runClient(url, {}, { request: (parts) => defaultRequest(parts).replace(/\r\n\r\n$/, `\r\nOrigin: ${origin}\r\n\r\n`) });
}

// Defect: DNS rebinding: the request reaches the local server under a foreign host name (a domain
// whose address was switched to 127.0.0.1), so its Host header names that domain.
import { defaultRequest, runClient, type ClientRun } from './base.js';
import { rawHttp } from '../../support/raw-http.js';

export const FOREIGN_HOST = 'rebind.evil.example';

export function run(url: string): Promise<ClientRun> {
  const port = new URL(url).port;
  return runClient(url, {}, { request: (parts) => defaultRequest({ ...parts, hostPort: `${FOREIGN_HOST}:${port}` }) });
}

/** A plain HTTP GET of `target` under the foreign host name. */
export function runHttp(port: number, target: string): Promise<string> {
  return rawHttp(port, `GET ${target} HTTP/1.1\r\nHost: ${FOREIGN_HOST}:${port}\r\n\r\n`);
}

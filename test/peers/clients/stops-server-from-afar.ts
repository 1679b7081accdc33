// Defect: asks the server to stop from another machine (from this machine's non-loopback address).
import { networkInterfaces } from 'node:os';
import { runClient, type ClientRun } from './base.js';

/** An IPv4 address of this machine other than loopback, or null when it has none. */
export function nonLoopbackAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/** /stopServer sent to `address`:`port` (the server must listen there), so it comes from that address. */
export function run(address: string, port: number): Promise<ClientRun> {
  return runClient(`ws://${address}:${port}/stopServer`);
}

// Defect: runs a case under ever new agent names (agent-1, agent-2, ...), as if to fill the
// server with agents. Resolves with the HTTP status of each /runCase handshake.
import { runClient } from './base.js';

export async function run(baseUrl: string, agents: number): Promise<Array<number | null>> {
  const statuses: Array<number | null> = [];
  for (let i = 1; i <= agents; i++) statuses.push((await runClient(`${baseUrl}/runCase?case=1&agent=agent-${i}`)).status);
  return statuses;
}

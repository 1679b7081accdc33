// fuzzingserver verdicts against clients whose verdict depends on how the fuzzer's frames arrive
// (test/peers/clients/batch-reader.ts, close-then-drop.ts). Each client runs as a process of its
// own, so that it can read in the middle of one of the fuzzer's event-loop turns, as a real client
// does. The verdicts are the original's: the frames one case step sends without `sync` leave in
// one TCP segment (docs/engine.md, Writes and turns), so the client reads the valid message and
// the violation together. The fuzzer as server answers a client's Close with its own and closes
// TCP (RFC 6455 §5.5.1, §7.1.1), so the client's Close counts whenever the fuzzer reads it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { CaseResult } from '../../src/fuzz/result.js';
import type { MainVerdict } from '../../src/fuzz/verdicts.js';
import { globalPosition } from '../../src/cases/index.js';
import { fullResults, runProcess, withConfiguredFuzzingServer } from '../support/client-run.js';
import { plainJson } from '../support/results.js';

const asProcess = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'peers', 'clients', 'as-process.js');

/** Run `ids` with the client `name` (its own process) against a fresh fuzzingserver; results by case ID. */
async function run(name: string, ids: string[]): Promise<Map<string, CaseResult>> {
  return withConfiguredFuzzingServer({ cases: ['*'] }, async (server, outdir) => {
    const exit = await runProcess(asProcess, [name, server.url, name, ...ids.map((id) => String(globalPosition(id)))]);
    assert.equal(exit, 0, `client ${name} exited with ${exit}`);
    const results = fullResults(server, outdir).map((o) => o.result).filter((r) => r.agent === name);
    assert.deepEqual(results.map((r) => r.id).sort(), [...ids].sort());
    return new Map(results.map((r) => [r.id, r]));
  });
}

/** The fields that decide the verdict, one line per case, so a failure lists case, expected and got. */
function verdict(r: CaseResult) {
  return {
    behavior: r.behavior,
    behaviorClose: r.behaviorClose,
    remoteCloseCode: r.remoteCloseCode,
    closedByMe: r.closedByMe,
    wasClean: r.wasClean,
    wasNotCleanReason: r.wasNotCleanReason,
    received: plainJson(r.received),
  };
}

/** The client failed the connection with `code` and the fuzzer read that Close: a clean close the peer started. */
function peerFailedCleanly(behavior: MainVerdict, code: number, received: unknown[] = []) {
  return { behavior, behaviorClose: 'OK' as const, remoteCloseCode: code, closedByMe: false, wasClean: true, wasNotCleanReason: null, received };
}

function assertVerdicts(results: Map<string, CaseResult>, expected: Record<string, ReturnType<typeof verdict>>): void {
  const wrong: string[] = [];
  for (const [id, want] of Object.entries(expected)) {
    const got = verdict(results.get(id)!);
    try {
      assert.deepEqual(got, want);
    } catch {
      wrong.push(`${id}: expected ${JSON.stringify(want)}\n        got ${JSON.stringify(got)}`);
    }
  }
  assert.equal(wrong.length, 0, `${wrong.length} verdicts differ from the original's:\n  ${wrong.join('\n  ')}`);
}

describe('fuzzingserver verdicts that depend on the fuzzer\'s write timing', { concurrency: true, timeout: 60_000 }, () => {
  test('batch-reader client: the valid message and the violation of one step arrive in one read => NON-STRICT', async () => {
    // 3.3 and 3.4 / 4.1.5 / 4.2.5 send with sync or chopsize: one write per turn, and whether the
    // client reads them together is a race in the original too, so they are not asserted here.
    const nonStrict = ['3.2', '4.1.3', '4.1.4', '4.2.3', '4.2.4', '5.15'];
    const results = await run('batch-reader', [...nonStrict, '1.1.1', '2.2']);
    assertVerdicts(results, {
      ...Object.fromEntries(nonStrict.map((id) => [id, peerFailedCleanly('NON-STRICT', 1002)])),
      // Controls: nothing to batch, a correct client's verdicts.
      '1.1.1': { ...peerFailedCleanly('OK', 1000, [['message', '', false]]), closedByMe: true },
      '2.2': { ...peerFailedCleanly('OK', 1000, [['pong', 'Hello, world!']]), closedByMe: true },
    });
  });

  test('close-then-drop client: every frame of the step was sent before its Close, so the fuzzer reads that Close', async () => {
    const results = await run('close-then-drop', ['3.2', '5.15', '5.16', '5.17', '6.3.2']);
    assertVerdicts(results, {
      '3.2': peerFailedCleanly('OK', 1002, [['message', 'Hello, world!', false]]),
      '5.15': peerFailedCleanly('OK', 1002, [['message', 'fragment1fragment2', false]]),
      '5.16': peerFailedCleanly('OK', 1002),
      '5.17': peerFailedCleanly('OK', 1002),
      '6.3.2': peerFailedCleanly('OK', 1007),
    });
  });
});

// Spec-file protocol options (src/fuzz/options.ts): inherited names are unknown options, timeouts
// stay within what timers can hold, and the draft version picks the Sec-WebSocket-Version sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOptions, handshakeVersion, DEFAULT_OPTIONS, MAX_TIMEOUT_SECONDS, OptionsError } from '../../src/fuzz/options.js';
import { parseFuzzingClientSpec } from '../../src/cli/spec.js';
import { isAgentCaseExcluded } from '../../src/cases/selection.js';

test('__proto__, constructor, toString and hasOwnProperty are unknown options', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    // JSON.parse makes "__proto__" an own key, as a spec file would.
    const options = JSON.parse(`{"${name}": 1}`) as Record<string, unknown>;
    assert.throws(() => applyOptions(DEFAULT_OPTIONS, options), new RegExp(`unknown option '${name}'$`), name);
  }
});

test('timeouts above 2^31 - 1 ms are refused (a timer would fire after 1 ms)', () => {
  assert.equal(applyOptions(DEFAULT_OPTIONS, { openHandshakeTimeout: MAX_TIMEOUT_SECONDS }).openHandshakeTimeout, MAX_TIMEOUT_SECONDS);
  for (const key of ['openHandshakeTimeout', 'closeHandshakeTimeout', 'serverConnectionDropTimeout']) {
    assert.throws(() => applyOptions(DEFAULT_OPTIONS, { [key]: 3_000_000 }), new RegExp(`option '${key}' must be at most ${MAX_TIMEOUT_SECONDS} seconds`));
  }
});

test('exclude-agent-cases keys named __proto__ or constructor are ordinary agent patterns', () => {
  const spec = parseFuzzingClientSpec(JSON.parse('{"exclude-agent-cases": {"__proto__": ["1.1.1"], "constructor": ["2.*"]}}'));
  const exclusions = spec.excludeAgentCases!;
  assert.deepEqual(Object.keys(exclusions).sort(), ['__proto__', 'constructor']);
  assert.equal(isAgentCaseExcluded(exclusions, '__proto__', '1.1.1'), true);
  assert.equal(isAgentCaseExcluded(exclusions, 'constructor', '2.3'), true);
  assert.equal(isAgentCaseExcluded(exclusions, 'ws', '1.1.1'), false);
  assert.equal(isAgentCaseExcluded(exclusions, 'ws', '2.3'), false);
});


test('draft versions 10-12 send Sec-WebSocket-Version 8, 13-18 send 13', () => {
  for (const v of [10, 11, 12]) assert.equal(handshakeVersion(applyOptions(DEFAULT_OPTIONS, { version: v }).version), 8);
  for (const v of [13, 14, 15, 16, 17, 18]) assert.equal(handshakeVersion(applyOptions(DEFAULT_OPTIONS, { version: v }).version), 13);
  assert.equal(handshakeVersion(DEFAULT_OPTIONS.version), 13);
});

test('any other version is a one-line configuration error', () => {
  for (const v of [0, 8, 9, 19, 13.5, 100]) {
    assert.throws(
      () => applyOptions(DEFAULT_OPTIONS, { version: v }),
      (err: unknown) => err instanceof OptionsError && /^option 'version' must be a draft number from 10 to 18/.test(err.message) && !err.message.includes('\n'),
    );
  }
});

// Spec-file options: the draft version and the Sec-WebSocket-Version it sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOptions, handshakeVersion, DEFAULT_OPTIONS, OptionsError } from '../../src/fuzz/options.js';

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

// Unit tests of src/protocol/close.ts: RFC 6455 §5.5.1 Close bodies and §7.4 status codes,
// with the validity rule of docs/engine.md, Receiving.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloseCode, closeCodeIsValid, encodeClosePayload, parseClosePayload } from '../../src/protocol/close.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/**
 * docs/engine.md, Receiving: a received code is invalid when < 1000, or 1000–2999 and not in
 * {1000,1001,1002,1003,1007,1008,1009,1010,1011}, or ≥ 5000. IANA later registered 1012–1014.
 */
function referenceValid(code: number, registeredLater: boolean): boolean {
  if (code < 1000 || code >= 5000) return false;
  if (code >= 3000) return true;
  if ([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011].includes(code)) return true;
  return registeredLater && code >= 1012 && code <= 1014;
}

describe('RFC 6455 §7.4 status codes (docs/engine.md, Receiving)', () => {
  test('every code 0..5000 (and up to 65535) against the rule, default mode', () => {
    for (let code = 0; code <= 65535; code++) {
      if (closeCodeIsValid(code) !== referenceValid(code, false)) assert.fail(`code ${code}`);
    }
  });

  test('every code 0..65535 with allowRegisteredLater (adds 1012–1014 only)', () => {
    for (let code = 0; code <= 65535; code++) {
      if (closeCodeIsValid(code, true) !== referenceValid(code, true)) assert.fail(`code ${code}`);
    }
  });

  test('explicit boundaries', () => {
    const valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
    const invalid = [0, 1, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535];
    for (const c of valid) assert.equal(closeCodeIsValid(c), true, `${c}`);
    for (const c of invalid) assert.equal(closeCodeIsValid(c), false, `${c}`);
    for (const c of [1012, 1013, 1014]) assert.equal(closeCodeIsValid(c, true), true, `${c} registered later`);
    for (const c of [1004, 1005, 1006, 1015, 1016, 2999, 5000]) assert.equal(closeCodeIsValid(c, true), false, `${c}`);
  });

  test('exactly 2009 valid codes in 0..5000 (9 + 2000), 2012 with allowRegisteredLater', () => {
    let n = 0;
    let m = 0;
    for (let c = 0; c <= 5000; c++) {
      if (closeCodeIsValid(c)) n++;
      if (closeCodeIsValid(c, true)) m++;
    }
    assert.equal(n, 2009);
    assert.equal(m, 2012);
  });

  test('CloseCode constants (RFC 6455 §7.4.1)', () => {
    assert.deepEqual(CloseCode, {
      NORMAL: 1000,
      GOING_AWAY: 1001,
      PROTOCOL_ERROR: 1002,
      UNSUPPORTED_DATA: 1003,
      INVALID_PAYLOAD: 1007,
      POLICY_VIOLATION: 1008,
      MESSAGE_TOO_BIG: 1009,
      MANDATORY_EXTENSION: 1010,
      INTERNAL_ERROR: 1011,
    });
  });
});

describe('RFC 6455 §5.5.1 parseClosePayload', () => {
  test('0 octets: no code, no reason', () => {
    assert.deepEqual(parseClosePayload(Buffer.alloc(0)), { code: null, reason: null });
  });
  test('1 octet: cannot be parsed (null)', () => {
    assert.equal(parseClosePayload(hex('03')), null);
    assert.equal(parseClosePayload(hex('e8')), null);
  });
  test('2 octets: big-endian code, no reason', () => {
    assert.deepEqual(parseClosePayload(hex('03e8')), { code: 1000, reason: null });
    assert.deepEqual(parseClosePayload(hex('0000')), { code: 0, reason: null });
    assert.deepEqual(parseClosePayload(hex('ffff')), { code: 65535, reason: null });
    assert.deepEqual(parseClosePayload(hex('0bb8')), { code: 3000, reason: null });
  });
  test('n octets: code plus the remaining octets as reason (not validated here)', () => {
    assert.deepEqual(parseClosePayload(hex('03e9 627965')), { code: 1001, reason: Buffer.from('bye') });
    assert.deepEqual(parseClosePayload(hex('03ea ff')), { code: 1002, reason: hex('ff') });
    const long = Buffer.concat([hex('0fa0'), Buffer.alloc(123, 0x2a)]);
    const p = parseClosePayload(long);
    assert.equal(p?.code, 4000);
    assert.equal(p?.reason?.length, 123);
  });
});

describe('RFC 6455 §5.5.1 encodeClosePayload', () => {
  test('nothing, code only, code and reason', () => {
    assert.equal(encodeClosePayload().toString('hex'), '');
    assert.equal(encodeClosePayload(null, null).toString('hex'), '');
    assert.equal(encodeClosePayload(1000).toString('hex'), '03e8');
    assert.equal(encodeClosePayload(1000, Buffer.from('ok')).toString('hex'), '03e86f6b');
    assert.equal(encodeClosePayload(3000, new Uint8Array(0)).toString('hex'), '0bb8');
  });
  test('any code is written as 16 bits, valid or not', () => {
    assert.equal(encodeClosePayload(0).toString('hex'), '0000');
    assert.equal(encodeClosePayload(1005).toString('hex'), '03ed');
    assert.equal(encodeClosePayload(65535).toString('hex'), 'ffff');
    assert.equal(encodeClosePayload(65536 + 1000).toString('hex'), '03e8');
  });
  test('a reason without a code is written as is (reproduces malformed bodies)', () => {
    assert.equal(encodeClosePayload(null, hex('41')).toString('hex'), '41');
  });
  test('round trip through parseClosePayload', () => {
    for (const code of [1000, 1011, 3000, 4999, 0, 65535]) {
      for (const reason of [null, Buffer.from('why'), Buffer.from('κόσμε')]) {
        assert.deepEqual(parseClosePayload(encodeClosePayload(code, reason)), { code, reason });
      }
    }
  });
});

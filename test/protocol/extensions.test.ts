// Unit tests of src/protocol/extensions.ts: Sec-WebSocket-Extensions parsing (RFC 6455 §9.1) and
// the permessage-deflate parameters (RFC 7692 §7.1) as docs/cases.md, permessage-deflate fixes them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PERMESSAGE_DEFLATE,
  buildDeflateOffer,
  buildDeflateResponse,
  parseDeflateOffer,
  parseDeflateResponse,
  parseExtensions,
  type DeflateAgreement,
  type DeflateOffer,
} from '../../src/protocol/extensions.js';

/** Parse a header holding exactly one element. */
function one(header: string) {
  const elements = parseExtensions(header);
  assert.equal(elements.length, 1, header);
  return elements[0]!;
}

const NO_AGREEMENT: DeflateAgreement = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: null,
  clientMaxWindowBits: null,
};
const NO_OFFER: DeflateOffer = {
  hasClientMaxWindowBits: false,
  clientNoContextTakeover: false,
  serverNoContextTakeover: false,
  serverMaxWindowBits: null,
};

describe('RFC 6455 §9.1 / docs/cases.md, permessage-deflate: parseExtensions', () => {
  test('a bare extension name', () => {
    assert.deepEqual(parseExtensions('permessage-deflate'), [{ name: 'permessage-deflate', params: [] }]);
    assert.equal(PERMESSAGE_DEFLATE, 'permessage-deflate');
  });

  test('parameters with and without values, in order', () => {
    assert.deepEqual(parseExtensions('permessage-deflate; client_max_window_bits; server_max_window_bits=10'), [
      {
        name: 'permessage-deflate',
        params: [
          { key: 'client_max_window_bits', value: null },
          { key: 'server_max_window_bits', value: '10' },
        ],
      },
    ]);
  });

  test('names and keys are lower-cased; values keep their case', () => {
    assert.deepEqual(parseExtensions('PerMessage-Deflate; Server_No_Context_Takeover; X-Key=MiXeD'), [
      {
        name: 'permessage-deflate',
        params: [
          { key: 'server_no_context_takeover', value: null },
          { key: 'x-key', value: 'MiXeD' },
        ],
      },
    ]);
  });

  test('whitespace around names, keys, "=" and values is trimmed', () => {
    assert.deepEqual(parseExtensions('  permessage-deflate  ;\tclient_max_window_bits =  12  ; server_no_context_takeover  '), [
      {
        name: 'permessage-deflate',
        params: [
          { key: 'client_max_window_bits', value: '12' },
          { key: 'server_no_context_takeover', value: null },
        ],
      },
    ]);
  });

  test('one leading and one trailing double quote are removed from values', () => {
    const values = (h: string): Array<string | null> => one(h).params.map((p) => p.value);
    assert.deepEqual(values('x; a="10"; b="abc; c=abc"; d=""; e="'), ['10', 'abc', 'abc', '', '']);
    assert.deepEqual(values('x; a=""10""'), ['"10"']);
    assert.deepEqual(values('x; a= "9" '), ['9']);
  });

  test('a value runs from the first "=" (it may contain more "=")', () => {
    assert.deepEqual(one('x; a=b=c').params, [{ key: 'a', value: 'b=c' }]);
    assert.deepEqual(one('x; a=').params, [{ key: 'a', value: '' }]);
  });

  test('elements split on "," are kept separately, in order; empty elements are skipped', () => {
    assert.deepEqual(parseExtensions(', permessage-deflate,, x-webkit-deflate-frame ; no_context_takeover , ,permessage-deflate; a=1,'), [
      { name: 'permessage-deflate', params: [] },
      { name: 'x-webkit-deflate-frame', params: [{ key: 'no_context_takeover', value: null }] },
      { name: 'permessage-deflate', params: [{ key: 'a', value: '1' }] },
    ]);
    assert.deepEqual(parseExtensions(''), []);
    assert.deepEqual(parseExtensions(' , ,'), []);
  });

  test('repeated parameters are all kept (the deflate parsers reject them)', () => {
    assert.deepEqual(one('permessage-deflate; a; a=1').params, [
      { key: 'a', value: null },
      { key: 'a', value: '1' },
    ]);
  });
});

describe('docs/cases.md, permessage-deflate: buildDeflateOffer (the exact client offers)', () => {
  const table: Array<[string, boolean, number, string]> = [
    ['13.1', false, 0, 'permessage-deflate; client_no_context_takeover; client_max_window_bits'],
    ['13.2', true, 0, 'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover'],
    ['13.3', false, 9, 'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=9'],
    ['13.4', false, 15, 'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=15'],
    [
      '13.5',
      true,
      9,
      'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9',
    ],
    [
      '13.6',
      true,
      15,
      'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=15',
    ],
  ];
  for (const [id, requestNoContextTakeover, requestMaxWindowBits, header] of table) {
    test(`${id}: (${requestNoContextTakeover ? 'True' : 'False'}, ${requestMaxWindowBits})`, () => {
      assert.equal(buildDeflateOffer({ requestNoContextTakeover, requestMaxWindowBits }), header);
    });
  }

  test('13.7: three offers joined by ", "', () => {
    const joined = [
      { requestNoContextTakeover: true, requestMaxWindowBits: 9 },
      { requestNoContextTakeover: true, requestMaxWindowBits: 0 },
      { requestNoContextTakeover: false, requestMaxWindowBits: 0 },
    ]
      .map(buildDeflateOffer)
      .join(', ');
    assert.equal(
      joined,
      'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9, ' +
        'permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover, ' +
        'permessage-deflate; client_no_context_takeover; client_max_window_bits',
    );
    // ...and a server parses them back as three well-formed offers.
    const offers = parseExtensions(joined).map(parseDeflateOffer);
    assert.deepEqual(offers, [
      { ok: true, offer: { hasClientMaxWindowBits: true, clientNoContextTakeover: true, serverNoContextTakeover: true, serverMaxWindowBits: 9 } },
      { ok: true, offer: { hasClientMaxWindowBits: true, clientNoContextTakeover: true, serverNoContextTakeover: true, serverMaxWindowBits: null } },
      { ok: true, offer: { hasClientMaxWindowBits: true, clientNoContextTakeover: true, serverNoContextTakeover: false, serverMaxWindowBits: null } },
    ]);
  });
});

describe('RFC 7692 §7.1 / docs/cases.md, permessage-deflate: parseDeflateResponse (client side)', () => {
  test('no parameters: plain agreement', () => {
    assert.deepEqual(parseDeflateResponse(one('permessage-deflate')), NO_AGREEMENT);
  });

  test('all four parameters', () => {
    assert.deepEqual(
      parseDeflateResponse(
        one('permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=9'),
      ),
      { serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10, clientMaxWindowBits: 9 },
    );
  });

  test('window bits 8..15 are accepted (quoted too); anything else is refused', () => {
    for (const key of ['server_max_window_bits', 'client_max_window_bits'] as const) {
      const field = key === 'server_max_window_bits' ? 'serverMaxWindowBits' : 'clientMaxWindowBits';
      for (let n = 8; n <= 15; n++) {
        assert.deepEqual(parseDeflateResponse(one(`permessage-deflate; ${key}=${n}`)), { ...NO_AGREEMENT, [field]: n });
        assert.deepEqual(parseDeflateResponse(one(`permessage-deflate; ${key}="${n}"`)), { ...NO_AGREEMENT, [field]: n });
      }
      for (const bad of ['0', '7', '16', '150', '', 'abc', '9.0', '-9', '+9', '0x9', '1e1']) {
        assert.equal(parseDeflateResponse(one(`permessage-deflate; ${key}=${bad}`)), null, `${key}=${bad}`);
      }
    }
  });

  test('window bits without a value are refused in a response (both parameters)', () => {
    assert.equal(parseDeflateResponse(one('permessage-deflate; client_max_window_bits')), null);
    assert.equal(parseDeflateResponse(one('permessage-deflate; server_max_window_bits')), null);
  });

  test('a value on a flag is refused (even an empty one)', () => {
    for (const flag of ['server_no_context_takeover', 'client_no_context_takeover']) {
      assert.equal(parseDeflateResponse(one(`permessage-deflate; ${flag}=true`)), null, flag);
      assert.equal(parseDeflateResponse(one(`permessage-deflate; ${flag}=`)), null, `${flag}= (empty)`);
    }
  });

  test('duplicate parameters are refused', () => {
    for (const p of ['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits=9', 'client_max_window_bits=9']) {
      assert.equal(parseDeflateResponse(one(`permessage-deflate; ${p}; ${p}`)), null, p);
    }
    assert.equal(parseDeflateResponse(one('permessage-deflate; server_max_window_bits=9; server_max_window_bits=10')), null);
  });

  test('unknown parameters are refused', () => {
    assert.equal(parseDeflateResponse(one('permessage-deflate; foo')), null);
    assert.equal(parseDeflateResponse(one('permessage-deflate; max_window_bits=10')), null);
    assert.equal(parseDeflateResponse(one('permessage-deflate; server_no_context_takeover; x=1')), null);
  });

  test('parameter keys are case-insensitive', () => {
    assert.deepEqual(parseDeflateResponse(one('permessage-deflate; Server_Max_Window_Bits=12')), { ...NO_AGREEMENT, serverMaxWindowBits: 12 });
  });
});

describe('RFC 7692 §7.1 / docs/cases.md, permessage-deflate: parseDeflateOffer (server side)', () => {
  const ok = (h: string, offer: Partial<DeflateOffer>): void => {
    assert.deepEqual(parseDeflateOffer(one(h)), { ok: true, offer: { ...NO_OFFER, ...offer } }, h);
  };
  const err = (h: string, error: string): void => {
    assert.deepEqual(parseDeflateOffer(one(h)), { ok: false, error }, h);
  };

  test('no parameters (what a browser may send)', () => {
    ok('permessage-deflate', {});
  });

  test('client_max_window_bits with or without a value 8..15 marks "has cmwb"; other values are malformed', () => {
    ok('permessage-deflate; client_max_window_bits', { hasClientMaxWindowBits: true });
    for (let n = 8; n <= 15; n++) ok(`permessage-deflate; client_max_window_bits=${n}`, { hasClientMaxWindowBits: true });
    ok('permessage-deflate; client_max_window_bits="10"', { hasClientMaxWindowBits: true });
    for (const bad of ['7', '16', '', 'x']) {
      err(
        `permessage-deflate; client_max_window_bits=${bad}`,
        `illegal extension parameter value '${bad}' for parameter 'client_max_window_bits' of extension 'permessage-deflate'`,
      );
    }
  });

  test('server_max_window_bits needs a value 8..15', () => {
    for (let n = 8; n <= 15; n++) ok(`permessage-deflate; server_max_window_bits=${n}`, { serverMaxWindowBits: n });
    for (const bad of ['7', '16', '', 'nine']) {
      err(
        `permessage-deflate; server_max_window_bits=${bad}`,
        `illegal extension parameter value '${bad}' for parameter 'server_max_window_bits' of extension 'permessage-deflate'`,
      );
    }
    const noValue = parseDeflateOffer(one('permessage-deflate; server_max_window_bits'));
    assert.equal(noValue.ok, false, 'server_max_window_bits without a value is malformed');
    if (!noValue.ok) {
      assert.match(noValue.error, /^illegal extension parameter value '.*' for parameter 'server_max_window_bits' of extension 'permessage-deflate'$/);
    }
  });

  test('the two flags take no value', () => {
    ok('permessage-deflate; client_no_context_takeover', { clientNoContextTakeover: true });
    ok('permessage-deflate; server_no_context_takeover', { serverNoContextTakeover: true });
    err(
      'permessage-deflate; client_no_context_takeover=1',
      "illegal extension parameter value '1' for parameter 'client_no_context_takeover' of extension 'permessage-deflate'",
    );
    err(
      'permessage-deflate; server_no_context_takeover=',
      "illegal extension parameter value '' for parameter 'server_no_context_takeover' of extension 'permessage-deflate'",
    );
  });

  test('duplicates are malformed', () => {
    for (const [p, key] of [
      ['client_max_window_bits', 'client_max_window_bits'],
      ['client_max_window_bits=9', 'client_max_window_bits'],
      ['client_no_context_takeover', 'client_no_context_takeover'],
      ['server_no_context_takeover', 'server_no_context_takeover'],
      ['server_max_window_bits=10', 'server_max_window_bits'],
    ]) {
      err(`permessage-deflate; ${p}; ${p}`, `multiple occurrence of extension parameter '${key}' for extension 'permessage-deflate'`);
    }
  });

  test('unknown parameters are malformed', () => {
    err('permessage-deflate; foo', "illegal extension parameter 'foo' for extension 'permessage-deflate'");
    err('permessage-deflate; client_max_window_bits; Mystery=1', "illegal extension parameter 'mystery' for extension 'permessage-deflate'");
  });

  test('everything together', () => {
    ok('permessage-deflate; client_no_context_takeover; client_max_window_bits=12; server_no_context_takeover; server_max_window_bits=9', {
      hasClientMaxWindowBits: true,
      clientNoContextTakeover: true,
      serverNoContextTakeover: true,
      serverMaxWindowBits: 9,
    });
  });
});

describe('docs/cases.md, permessage-deflate: buildDeflateResponse parameter order', () => {
  test('answers of the offer first, then what the server asks, in the fixed order', () => {
    assert.equal(
      buildDeflateResponse(
        { ...NO_OFFER, serverNoContextTakeover: true, serverMaxWindowBits: 10, hasClientMaxWindowBits: true },
        { requestNoContextTakeover: true, requestMaxWindowBits: 9 },
      ),
      'permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_no_context_takeover; client_max_window_bits=9',
    );
    assert.equal(
      buildDeflateResponse({ ...NO_OFFER, serverMaxWindowBits: 15 }, { requestNoContextTakeover: false, requestMaxWindowBits: 15 }),
      'permessage-deflate; server_max_window_bits=15; client_max_window_bits=15',
    );
    assert.equal(
      buildDeflateResponse({ ...NO_OFFER, serverNoContextTakeover: true }, { requestNoContextTakeover: true, requestMaxWindowBits: 0 }),
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover',
    );
  });

  test('fuzzingserver examples against a Chrome-style offer "permessage-deflate; client_max_window_bits"', () => {
    const parsed = parseDeflateOffer(one('permessage-deflate; client_max_window_bits'));
    assert.ok(parsed.ok);
    // 13.5 asks for client_no_context_takeover and client_max_window_bits=9.
    assert.equal(
      buildDeflateResponse(parsed.offer, { requestNoContextTakeover: true, requestMaxWindowBits: 9 }),
      'permessage-deflate; client_no_context_takeover; client_max_window_bits=9',
    );
    // 12.x and 13.1 ask for nothing.
    assert.equal(buildDeflateResponse(parsed.offer, { requestNoContextTakeover: false, requestMaxWindowBits: 0 }), 'permessage-deflate');
  });

  test('every response built from a well-formed offer is accepted by parseDeflateResponse with the same values', () => {
    for (const snct of [false, true]) {
      for (const smwb of [null, 8, 9, 15]) {
        for (const req of [false, true]) {
          for (const cmwb of [0, 9, 15]) {
            const offer = { ...NO_OFFER, hasClientMaxWindowBits: true, serverNoContextTakeover: snct, serverMaxWindowBits: smwb };
            const text = buildDeflateResponse(offer, { requestNoContextTakeover: req, requestMaxWindowBits: cmwb });
            assert.deepEqual(parseDeflateResponse(one(text)), {
              serverNoContextTakeover: snct,
              clientNoContextTakeover: req,
              serverMaxWindowBits: smwb,
              clientMaxWindowBits: cmwb || null,
            }, text);
          }
        }
      }
    }
  });
});

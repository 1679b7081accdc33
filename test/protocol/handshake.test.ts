// Unit tests of src/protocol/handshake.ts: the RFC 6455 §4 opening handshake in both roles, with
// the byte layout and the exact reasons of docs/handshake.md.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  acceptKey,
  buildClientRequest,
  buildHttpErrorResponse,
  buildServerResponse,
  checkClientRequest,
  checkServerResponse,
  type ClientRequestCheck,
  type ClientRequestResult,
  type ServerResponseCheck,
  type ServerResponseResult,
} from '../../src/protocol/handshake.js';

/** RFC 6455 §1.3 example. */
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';

const head = (...lines: string[]): string => lines.join('\r\n') + '\r\n\r\n';

describe('RFC 6455 §1.3 / §4.2.2 Sec-WebSocket-Accept', () => {
  test('acceptKey of the RFC example key', () => {
    assert.equal(acceptKey(KEY), ACCEPT);
  });
  test('acceptKey is base64(SHA-1(key + GUID)) for other keys too', () => {
    for (const k of ['AQIDBAUGBwgJCgsMDQ4PEA==', 'x3JJHMbDL1EzLkh9GBhXDw==']) {
      const expect = createHash('sha1').update(k + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      assert.equal(acceptKey(k), expect);
    }
    assert.equal(acceptKey('x3JJHMbDL1EzLkh9GBhXDw=='), 'HSmrc0sMlYUkAGmm5OPpG2HaGWk=');
  });
});

// ================================================================================= client role

describe('docs/handshake.md, Client request: the request the fuzzer sends (buildClientRequest)', () => {
  const base = { resource: '/', hostPort: 'localhost:9001', key: KEY, userAgent: 'AutobahnTestSuite/25.10.1-25.10.1' };

  test('minimal request: exact octets, header order and CRLF line ends', () => {
    assert.equal(
      buildClientRequest(base),
      'GET / HTTP/1.1\r\n' +
        'User-Agent: AutobahnTestSuite/25.10.1-25.10.1\r\n' +
        'Host: localhost:9001\r\n' +
        'Upgrade: WebSocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Pragma: no-cache\r\n' +
        'Cache-Control: no-cache\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Sec-WebSocket-Version: 13\r\n' +
        '\r\n',
    );
  });

  test('all optional headers, in the documented order: Origin, Protocol (p1,p2), Extensions, Version', () => {
    const ext = 'permessage-deflate; client_no_context_takeover; client_max_window_bits';
    assert.equal(
      buildClientRequest({
        ...base,
        resource: '/runCase?case=3&agent=wsfuzz',
        hostPort: 'example.com:80',
        origin: 'http://example.com',
        protocols: ['chat', 'superchat'],
        extensions: ext,
      }),
      'GET /runCase?case=3&agent=wsfuzz HTTP/1.1\r\n' +
        'User-Agent: AutobahnTestSuite/25.10.1-25.10.1\r\n' +
        'Host: example.com:80\r\n' +
        'Upgrade: WebSocket\r\n' +
        'Connection: Upgrade\r\n' +
        'Pragma: no-cache\r\n' +
        'Cache-Control: no-cache\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
        'Origin: http://example.com\r\n' +
        'Sec-WebSocket-Protocol: chat,superchat\r\n' +
        `Sec-WebSocket-Extensions: ${ext}\r\n` +
        'Sec-WebSocket-Version: 13\r\n' +
        '\r\n',
    );
  });

  test('version 8 (drafts 10-12): Sec-WebSocket-Origin and Sec-WebSocket-Version: 8', () => {
    const r = buildClientRequest({ ...base, origin: 'http://o', version: 8 });
    assert.ok(r.includes('\r\nSec-WebSocket-Origin: http://o\r\nSec-WebSocket-Version: 8\r\n\r\n'));
    assert.ok(!r.includes('\r\nOrigin:'));
  });

  test('empty protocol list, empty or null extensions and null origin are omitted', () => {
    const r = buildClientRequest({ ...base, protocols: [], extensions: '', origin: null });
    assert.equal(r, buildClientRequest(base));
    assert.equal(buildClientRequest({ ...base, extensions: null }), buildClientRequest(base));
  });

  test('the request passes the server-side check (both roles agree)', () => {
    const r = checkClientRequest(buildClientRequest({ ...base, protocols: ['a', 'b'], origin: 'http://x' }), {
      port: 9001,
      secure: false,
      strictHostPort: true,
      versions: [13, 8],
    });
    assert.ok(r.ok);
    assert.equal(r.request.key, KEY);
    assert.deepEqual(r.request.protocols, ['a', 'b']);
    assert.equal(r.request.origin, 'http://x');
  });
});

describe('docs/handshake.md, Checking the server\'s response: checkServerResponse (checkServerResponse)', () => {
  const check: ServerResponseCheck = { key: KEY, offeredDeflate: false, protocols: [] };
  const good = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${ACCEPT}`,
  ];
  const reasonOf = (r: ServerResponseResult): string => (r.ok ? '(accepted)' : r.reason);
  const reject = (lines: string[], reason: string, c: ServerResponseCheck = check): void => {
    assert.equal(reasonOf(checkServerResponse(head(...lines), c)), reason);
  };

  test('accepts the RFC 6455 §1.3 response', () => {
    const r = checkServerResponse(head(...good), check);
    assert.ok(r.ok);
    assert.equal(r.deflate, null);
    assert.equal(r.protocol, null);
    assert.equal(r.server, null);
    assert.equal(r.head.startLine, 'HTTP/1.1 101 Switching Protocols');
  });

  test('accepts case variations, token lists and extra headers; reports the Server header', () => {
    const r = checkServerResponse(
      head('HTTP/1.1 101 Web Socket Protocol Handshake', 'server: TestServer/1.0', 'UPGRADE: WebSocket', 'connection: keep-alive, UPGRADE', `sec-websocket-accept: ${ACCEPT}`, 'X-Other: 1'),
      check,
    );
    assert.ok(r.ok);
    assert.equal(r.server, 'TestServer/1.0');
    // A bare status line without a reason phrase is fine too.
    assert.ok(checkServerResponse(head('HTTP/1.1 101', ...good.slice(1)), check).ok);
  });

  describe('status line', () => {
    test("Bad HTTP response status line '<line>'", () => {
      reject(['HTTP/1.1', ...good.slice(1)], "Bad HTTP response status line 'HTTP/1.1'");
      reject(['', ...good.slice(1)], "Bad HTTP response status line ''");
      assert.equal(reasonOf(checkServerResponse('', check)), "Bad HTTP response status line ''");
    });
    test("Unsupported HTTP version ('<v>')", () => {
      reject(['HTTP/1.0 101 Switching Protocols', ...good.slice(1)], "Unsupported HTTP version ('HTTP/1.0')");
      reject(['http/1.1 101 Switching Protocols', ...good.slice(1)], "Unsupported HTTP version ('http/1.1')");
    });
    test("Bad HTTP status code ('<s>')", () => {
      reject(['HTTP/1.1 abc Switching', ...good.slice(1)], "Bad HTTP status code ('abc')");
      reject(['HTTP/1.1 10x', ...good.slice(1)], "Bad HTTP status code ('10x')");
    });
    test('WebSocket connection upgrade failed (<code><detail>): detail words joined without spaces', () => {
      reject(['HTTP/1.1 404 Not Found'], 'WebSocket connection upgrade failed (404 - NotFound)');
      reject(['HTTP/1.1 500 Internal Server Error'], 'WebSocket connection upgrade failed (500 - InternalServerError)');
      reject(['HTTP/1.1 200 OK', ...good.slice(1)], 'WebSocket connection upgrade failed (200 - OK)');
      reject(['HTTP/1.1 426'], 'WebSocket connection upgrade failed (426)');
      reject(['HTTP/1.1 400 Bad  Request'], 'WebSocket connection upgrade failed (400 - BadRequest)');
    });
  });

  describe('Upgrade, Connection, Sec-WebSocket-Accept', () => {
    const without = (name: string): string[] => good.filter((l) => !l.toLowerCase().startsWith(name));
    test('HTTP Upgrade header missing', () => {
      reject(without('upgrade'), 'HTTP Upgrade header missing');
    });
    test("HTTP Upgrade header different from 'websocket' (case-insensitive) : <value>", () => {
      reject([good[0]!, 'Upgrade: h2c', ...good.slice(2)], "HTTP Upgrade header different from 'websocket' (case-insensitive) : h2c");
      // The whole value must be "websocket": a token list is not enough (unlike the server side).
      reject(
        [good[0]!, 'Upgrade: websocket, h2c', ...good.slice(2)],
        "HTTP Upgrade header different from 'websocket' (case-insensitive) : websocket, h2c",
      );
      // A duplicated header line combines into one list value, which then differs as well.
      reject(
        [...good, 'Upgrade: websocket'],
        "HTTP Upgrade header different from 'websocket' (case-insensitive) : websocket, websocket",
      );
    });
    test('HTTP Connection header missing', () => {
      reject(without('connection'), 'HTTP Connection header missing');
    });
    test("HTTP Connection header does not include 'upgrade' value (case-insensitive) : <value>", () => {
      reject(
        [good[0]!, good[1]!, 'Connection: keep-alive', good[3]!],
        "HTTP Connection header does not include 'upgrade' value (case-insensitive) : keep-alive",
      );
      reject(
        [good[0]!, good[1]!, 'Connection: upgraded, close', good[3]!],
        "HTTP Connection header does not include 'upgrade' value (case-insensitive) : upgraded, close",
      );
      // Repeated Connection lines combine: "keep-alive, Upgrade" contains the token.
      assert.ok(checkServerResponse(head(good[0]!, good[1]!, 'Connection: keep-alive', 'Connection: Upgrade', good[3]!), check).ok);
    });
    test('HTTP Sec-WebSocket-Accept header missing in opening handshake reply', () => {
      reject(without('sec-websocket-accept'), 'HTTP Sec-WebSocket-Accept header missing in opening handshake reply');
    });
    test('HTTP Sec-WebSocket-Accept header appears more than once in opening handshake reply', () => {
      reject([...good, `Sec-WebSocket-Accept: ${ACCEPT}`], 'HTTP Sec-WebSocket-Accept header appears more than once in opening handshake reply');
    });
    test('HTTP Sec-WebSocket-Accept bogus value : expected <a> / got <b>', () => {
      reject(
        [...good.slice(0, 3), 'Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
        `HTTP Sec-WebSocket-Accept bogus value : expected ${ACCEPT} / got AAAAAAAAAAAAAAAAAAAAAAAAAAA=`,
      );
      // The key that was sent matters.
      reject(good, `HTTP Sec-WebSocket-Accept bogus value : expected ${acceptKey('AQIDBAUGBwgJCgsMDQ4PEA==')} / got ${ACCEPT}`, {
        ...check,
        key: 'AQIDBAUGBwgJCgsMDQ4PEA==',
      });
    });
    test('checks run in the documented order (the first failing one is reported)', () => {
      reject(['HTTP/1.1 101 Switching Protocols'], 'HTTP Upgrade header missing');
      reject(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket'], 'HTTP Connection header missing');
      reject(['HTTP/1.0 404 Not Found'], "Unsupported HTTP version ('HTTP/1.0')");
    });
  });

  describe('Sec-WebSocket-Extensions', () => {
    const offered: ServerResponseCheck = { ...check, offeredDeflate: true };
    test('accepted permessage-deflate response yields the agreement', () => {
      const r = checkServerResponse(
        head(...good, 'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=9'),
        offered,
      );
      assert.ok(r.ok);
      assert.deepEqual(r.deflate, {
        serverNoContextTakeover: true,
        clientNoContextTakeover: false,
        serverMaxWindowBits: null,
        clientMaxWindowBits: 9,
      });
    });
    test('no extension header, or an empty one, means no deflate', () => {
      const r = checkServerResponse(head(...good), offered);
      assert.ok(r.ok && r.deflate === null);
      const e = checkServerResponse(head(...good, 'Sec-WebSocket-Extensions: '), offered);
      assert.ok(e.ok && e.deflate === null);
    });
    test('HTTP Sec-WebSocket-Extensions header appears more than once in opening handshake reply', () => {
      reject(
        [...good, 'Sec-WebSocket-Extensions: permessage-deflate', 'Sec-WebSocket-Extensions: permessage-deflate'],
        'HTTP Sec-WebSocket-Extensions header appears more than once in opening handshake reply',
        offered,
      );
    });
    test('multiple occurrence of a permessage-compress extension', () => {
      reject(
        [...good, 'Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate; server_no_context_takeover'],
        'multiple occurrence of a permessage-compress extension',
        offered,
      );
    });
    test("server wants to use extension '<name>' we did not request, haven't implemented or did not enable", () => {
      reject(
        [...good, 'Sec-WebSocket-Extensions: x-webkit-deflate-frame'],
        "server wants to use extension 'x-webkit-deflate-frame' we did not request, haven't implemented or did not enable",
        offered,
      );
      reject(
        [...good, 'Sec-WebSocket-Extensions: permessage-deflate, Foo; bar=1'],
        "server wants to use extension 'foo' we did not request, haven't implemented or did not enable",
        offered,
      );
      // permessage-deflate that was never offered (categories 1-10) is refused the same way.
      reject(
        [...good, 'Sec-WebSocket-Extensions: permessage-deflate'],
        "server wants to use extension 'permessage-deflate' we did not request, haven't implemented or did not enable",
      );
    });
    test('WebSocket permessage-compress extension response from server denied by client (docs/cases.md, permessage-deflate)', () => {
      for (const bad of [
        'permessage-deflate; foo',
        'permessage-deflate; client_max_window_bits',
        'permessage-deflate; server_max_window_bits',
        'permessage-deflate; server_max_window_bits=7',
        'permessage-deflate; client_max_window_bits=16',
        'permessage-deflate; server_no_context_takeover=1',
        'permessage-deflate; client_no_context_takeover; client_no_context_takeover',
      ]) {
        reject([...good, `Sec-WebSocket-Extensions: ${bad}`], 'WebSocket permessage-compress extension response from server denied by client', offered);
      }
    });
  });

  describe('Sec-WebSocket-Protocol', () => {
    const withProtocols: ServerResponseCheck = { ...check, protocols: ['chat', 'superchat'] };
    test('a requested protocol is accepted and reported; an empty value selects none', () => {
      const r = checkServerResponse(head(...good, 'Sec-WebSocket-Protocol: superchat'), withProtocols);
      assert.ok(r.ok);
      assert.equal(r.protocol, 'superchat');
      const e = checkServerResponse(head(...good, 'Sec-WebSocket-Protocol: '), withProtocols);
      assert.ok(e.ok);
      assert.equal(e.protocol, null);
    });
    test('HTTP Sec-WebSocket-Protocol header appears more than once in opening handshake reply', () => {
      reject(
        [...good, 'Sec-WebSocket-Protocol: chat', 'Sec-WebSocket-Protocol: chat'],
        'HTTP Sec-WebSocket-Protocol header appears more than once in opening handshake reply',
        withProtocols,
      );
    });
    test('subprotocol selected by server (<p>) not in subprotocol list requested by client (<list>)', () => {
      reject(
        [...good, 'Sec-WebSocket-Protocol: other'],
        "subprotocol selected by server (other) not in subprotocol list requested by client (['chat', 'superchat'])",
        withProtocols,
      );
      reject([...good, 'Sec-WebSocket-Protocol: chat'], 'subprotocol selected by server (chat) not in subprotocol list requested by client ([])');
      // Comparison is exact (case-sensitive).
      reject(
        [...good, 'Sec-WebSocket-Protocol: Chat'],
        "subprotocol selected by server (Chat) not in subprotocol list requested by client (['chat', 'superchat'])",
        withProtocols,
      );
    });
  });
});

// ================================================================================= server role

describe('docs/handshake.md, Checking the client\'s request: checkClientRequest (checkClientRequest)', () => {
  const check: ClientRequestCheck = { port: 9001, secure: false, strictHostPort: true, versions: [13, 8] };
  const good = [
    'GET /runCase?case=7&agent=my%20client HTTP/1.1',
    'Host: localhost:9001',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${KEY}`,
    'Sec-WebSocket-Version: 13',
  ];
  const replace = (name: string, line: string | null): string[] => {
    const out = good.filter((l) => !l.toLowerCase().startsWith(name.toLowerCase() + ':'));
    if (line !== null) out.push(line);
    return out;
  };
  type Rejection = { status: number; reason: string; extraHeaders?: string[] };
  const outcome = (r: ClientRequestResult): Rejection | 'accepted' =>
    r.ok ? 'accepted' : { status: r.status, reason: r.reason, ...(r.extraHeaders ? { extraHeaders: r.extraHeaders } : {}) };
  const reject = (lines: string[], status: number, reason: string, c: ClientRequestCheck = check): void => {
    assert.deepEqual(outcome(checkClientRequest(head(...lines), c)), { status, reason });
  };

  test('accepts a good request and reports its parts', () => {
    const r = checkClientRequest(head(...good), check);
    assert.ok(r.ok, JSON.stringify(outcome(r)));
    const q = r.request;
    assert.equal(q.method, 'GET');
    assert.equal(q.resource, '/runCase?case=7&agent=my%20client');
    assert.equal(q.path, '/runCase');
    assert.equal(q.query, 'case=7&agent=my%20client');
    assert.equal(q.key, KEY);
    assert.equal(q.version, 13);
    assert.equal(q.origin, null);
    assert.deepEqual(q.protocols, []);
    assert.deepEqual(q.deflateOffers, []);
    assert.deepEqual(q.warnings, []);
  });

  test('accepts the RFC 6455 §1.3 / §4.1 example request (Host without port on port 80)', () => {
    const r = checkClientRequest(
      head(
        'GET /chat HTTP/1.1',
        'Host: server.example.com',
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${KEY}`,
        'Origin: http://example.com',
        'Sec-WebSocket-Protocol: chat, superchat',
        'Sec-WebSocket-Version: 13',
      ),
      { ...check, port: 80 },
    );
    assert.ok(r.ok);
    assert.equal(r.request.path, '/chat');
    assert.equal(r.request.query, '');
    assert.equal(r.request.origin, 'http://example.com');
    assert.deepEqual(r.request.protocols, ['chat', 'superchat']);
  });

  describe('request line', () => {
    test("400 Bad HTTP request status line '<line>'", () => {
      reject(['GET / HTTP/1.1 extra', ...good.slice(1)], 400, "Bad HTTP request status line 'GET / HTTP/1.1 extra'");
      reject(['GET /', ...good.slice(1)], 400, "Bad HTTP request status line 'GET /'");
      reject(['', ...good.slice(1)], 400, "Bad HTTP request status line ''");
    });
    test("405 HTTP method '<m>' not allowed", () => {
      reject(['POST / HTTP/1.1', ...good.slice(1)], 405, "HTTP method 'POST' not allowed");
      reject(['get / HTTP/1.1', ...good.slice(1)], 405, "HTTP method 'get' not allowed");
    });
    test("505 Unsupported HTTP version '<v>'", () => {
      reject(['GET / HTTP/1.0', ...good.slice(1)], 505, "Unsupported HTTP version 'HTTP/1.0'");
      reject(['GET / HTTP/2', ...good.slice(1)], 505, "Unsupported HTTP version 'HTTP/2'");
    });
    test("400 HTTP requested resource contains a fragment identifier '<f>'", () => {
      reject(['GET /chat#part HTTP/1.1', ...good.slice(1)], 400, "HTTP requested resource contains a fragment identifier 'part'");
    });
    test("400 Bad HTTP request resource - could not parse '<uri>'", () => {
      reject(['GET http://[ HTTP/1.1', ...good.slice(1)], 400, "Bad HTTP request resource - could not parse 'http://['");
    });
  });

  describe('Host', () => {
    test('400 HTTP Host header missing in opening handshake request', () => {
      reject(replace('Host', null), 400, 'HTTP Host header missing in opening handshake request');
    });
    test('400 HTTP Host header appears more than once in opening handshake request', () => {
      reject([...good, 'Host: localhost:9001'], 400, 'HTTP Host header appears more than once in opening handshake request');
    });
    test("400 invalid port '<p>' in HTTP Host header '<host>'", () => {
      reject(replace('Host', 'Host: localhost:abc'), 400, "invalid port 'abc' in HTTP Host header 'localhost:abc'");
      reject(replace('Host', 'Host: localhost:'), 400, "invalid port '' in HTTP Host header 'localhost:'");
    });
    test('strict: 400 port <p> in HTTP Host header does not match server listening port', () => {
      reject(
        replace('Host', 'Host: localhost:9002'),
        400,
        "port 9002 in HTTP Host header 'localhost:9002' does not match server listening port 9001",
      );
      reject(replace('Host', 'Host: [::1]:80'), 400, "port 80 in HTTP Host header '[::1]:80' does not match server listening port 9001");
    });
    test('strict: 400 missing port on a non-standard port (wss = False / True)', () => {
      reject(
        replace('Host', 'Host: localhost'),
        400,
        "missing port in HTTP Host header 'localhost' and server runs on non-standard port 9001 (wss = False)",
      );
      reject(
        replace('Host', 'Host: localhost'),
        400,
        "missing port in HTTP Host header 'localhost' and server runs on non-standard port 9001 (wss = True)",
        { ...check, secure: true },
      );
      reject(
        replace('Host', 'Host: [::1]'),
        400,
        "missing port in HTTP Host header '[::1]' and server runs on non-standard port 9001 (wss = False)",
      );
      // 80 is standard only for ws, 443 only for wss.
      reject(
        replace('Host', 'Host: localhost'),
        400,
        "missing port in HTTP Host header 'localhost' and server runs on non-standard port 443 (wss = False)",
        { ...check, port: 443 },
      );
      reject(
        replace('Host', 'Host: localhost'),
        400,
        "missing port in HTTP Host header 'localhost' and server runs on non-standard port 80 (wss = True)",
        { ...check, port: 80, secure: true },
      );
    });
    test('a Host without port is fine on port 80 (ws) and 443 (wss); IPv6 literals are handled', () => {
      assert.ok(checkClientRequest(head(...replace('Host', 'Host: localhost')), { ...check, port: 80 }).ok);
      assert.ok(checkClientRequest(head(...replace('Host', 'Host: localhost')), { ...check, port: 443, secure: true }).ok);
      assert.ok(checkClientRequest(head(...replace('Host', 'Host: [::1]')), { ...check, port: 80 }).ok);
      assert.ok(checkClientRequest(head(...replace('Host', 'Host: [::1]:9001')), check).ok);
    });
    test('non-strict mode: a mismatching or missing port is accepted with a warning (port mapping)', () => {
      const loose = { ...check, strictHostPort: false };
      const a = checkClientRequest(head(...replace('Host', 'Host: localhost:8080')), loose);
      assert.ok(a.ok);
      assert.deepEqual(a.request.warnings, ["port 8080 in HTTP Host header 'localhost:8080' does not match server listening port 9001"]);
      const b = checkClientRequest(head(...replace('Host', 'Host: example.org')), loose);
      assert.ok(b.ok);
      assert.deepEqual(b.request.warnings, [
        "missing port in HTTP Host header 'example.org' and server runs on non-standard port 9001 (wss = False)",
      ]);
      // Malformed ports are still rejected.
      reject(replace('Host', 'Host: localhost:x1'), 400, "invalid port 'x1' in HTTP Host header 'localhost:x1'", loose);
    });
  });

  describe('Upgrade and Connection', () => {
    test('no Upgrade header: a plain HTTP request (status page, 200)', () => {
      const r = checkClientRequest(head(...replace('Upgrade', null)), check);
      assert.ok(!r.ok);
      assert.equal(r.plainHttp, true);
      assert.equal(r.status, 200);
      const plain = checkClientRequest(head('GET / HTTP/1.1', 'Host: localhost:9001'), check);
      assert.ok(!plain.ok && plain.plainHttp === true);
    });
    test("400 HTTP Upgrade headers do not include 'websocket' value (case-insensitive) : <v>", () => {
      reject(replace('Upgrade', 'Upgrade: h2c'), 400, "HTTP Upgrade headers do not include 'websocket' value (case-insensitive) : h2c");
      // A token list containing websocket is fine on the server side.
      assert.ok(checkClientRequest(head(...replace('Upgrade', 'Upgrade: h2c, WebSocket')), check).ok);
    });
    test('400 HTTP Connection header missing', () => {
      reject(replace('Connection', null), 400, 'HTTP Connection header missing');
    });
    test("400 HTTP Connection headers do not include 'upgrade' value (case-insensitive) : <v>", () => {
      reject(
        replace('Connection', 'Connection: keep-alive'),
        400,
        "HTTP Connection headers do not include 'upgrade' value (case-insensitive) : keep-alive",
      );
      assert.ok(checkClientRequest(head(...replace('Connection', 'Connection: keep-alive, Upgrade')), check).ok);
    });
  });

  describe('Sec-WebSocket-Version', () => {
    test('400 WebSocket connection denied - Hixie76 protocol mode disabled.', () => {
      reject(replace('Sec-WebSocket-Version', null), 400, 'WebSocket connection denied - Hixie76 protocol mode disabled.');
    });
    test('400 HTTP Sec-WebSocket-Version header appears more than once in opening handshake request', () => {
      reject([...good, 'Sec-WebSocket-Version: 13'], 400, 'HTTP Sec-WebSocket-Version header appears more than once in opening handshake request');
    });
    test("400 could not parse HTTP Sec-WebSocket-Version header '<v>' in opening handshake request", () => {
      reject(
        replace('Sec-WebSocket-Version', 'Sec-WebSocket-Version: thirteen'),
        400,
        "could not parse HTTP Sec-WebSocket-Version header 'thirteen' in opening handshake request",
      );
    });
    test('400 WebSocket version <n> not supported, with the Sec-WebSocket-Version: 13,8,0 header', () => {
      for (const v of [7, 12, 0, 14]) {
        assert.deepEqual(outcome(checkClientRequest(head(...replace('Sec-WebSocket-Version', `Sec-WebSocket-Version: ${v}`)), check)), {
          status: 400,
          reason: `WebSocket version ${v} not supported (supported versions: 13,8,0)`,
          extraHeaders: ['Sec-WebSocket-Version: 13,8,0'],
        });
      }
    });
    test('version 8 is accepted and reported', () => {
      const r = checkClientRequest(head(...replace('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 8')), check);
      assert.ok(r.ok);
      assert.equal(r.request.version, 8);
    });
  });

  describe('Sec-WebSocket-Protocol and Origin', () => {
    test("400 duplicate protocol '<p>' specified in HTTP Sec-WebSocket-Protocol header", () => {
      reject([...good, 'Sec-WebSocket-Protocol: chat, superchat, chat'], 400, "duplicate protocol 'chat' specified in HTTP Sec-WebSocket-Protocol header");
      // Repeated header lines combine into one list.
      reject(
        [...good, 'Sec-WebSocket-Protocol: chat', 'Sec-WebSocket-Protocol: chat'],
        400,
        "duplicate protocol 'chat' specified in HTTP Sec-WebSocket-Protocol header",
      );
    });
    test('400 HTTP Origin header appears more than once in opening handshake request', () => {
      reject([...good, 'Origin: http://a', 'Origin: http://b'], 400, 'HTTP Origin header appears more than once in opening handshake request');
    });
    test('version 8 reads Sec-WebSocket-Origin instead of Origin', () => {
      const v8 = replace('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 8');
      const r = checkClientRequest(head(...v8, 'Sec-WebSocket-Origin: http://old', 'Origin: http://a', 'Origin: http://b'), check);
      assert.ok(r.ok);
      assert.equal(r.request.origin, 'http://old');
      reject(
        [...v8, 'Sec-WebSocket-Origin: http://a', 'Sec-WebSocket-Origin: http://b'],
        400,
        'HTTP Origin header appears more than once in opening handshake request',
      );
    });
    test("400 WebSocket connection denied: origin '<o>' not allowed", () => {
      const c = { ...check, allowedOrigins: ['http://*.example.com', 'null'] };
      assert.ok(checkClientRequest(head(...good, 'Origin: http://www.example.com'), c).ok);
      assert.ok(checkClientRequest(head(...good, 'Origin: null'), c).ok);
      assert.ok(checkClientRequest(head(...good), c).ok, 'no Origin header at all');
      reject([...good, 'Origin: http://evil.com'], 400, "WebSocket connection denied: origin 'http://evil.com' not allowed", c);
      // Dots in patterns are literal.
      reject(
        [...good, 'Origin: http://wwwXexampleYcom'],
        400,
        "WebSocket connection denied: origin 'http://wwwXexampleYcom' not allowed",
        { ...check, allowedOrigins: ['http://www.example.com'] },
      );
    });
  });

  describe('Sec-WebSocket-Key', () => {
    test('400 HTTP Sec-WebSocket-Key header missing', () => {
      reject(replace('Sec-WebSocket-Key', null), 400, 'HTTP Sec-WebSocket-Key header missing');
    });
    test('400 HTTP Sec-WebSocket-Key header appears more than once in opening handshake request', () => {
      reject([...good, `Sec-WebSocket-Key: ${KEY}`], 400, 'HTTP Sec-WebSocket-Key header appears more than once in opening handshake request');
    });
    test("400 bad Sec-WebSocket-Key (length must be 24 ASCII chars) '<k>'", () => {
      reject(replace('Sec-WebSocket-Key', 'Sec-WebSocket-Key: abc'), 400, "bad Sec-WebSocket-Key (length must be 24 ASCII chars) 'abc'");
      reject(
        replace('Sec-WebSocket-Key', `Sec-WebSocket-Key: ${KEY}A`),
        400,
        `bad Sec-WebSocket-Key (length must be 24 ASCII chars) '${KEY}A'`,
      );
    });
    test("400 bad Sec-WebSocket-Key (invalid base64 encoding) '<k>'", () => {
      reject(
        replace('Sec-WebSocket-Key', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=A'),
        400,
        "bad Sec-WebSocket-Key (invalid base64 encoding) 'dGhlIHNhbXBsZSBub25jZQ=A'",
      );
    });
    test("400 bad character '<c>' in Sec-WebSocket-Key (invalid base64 encoding) '<k>'", () => {
      reject(
        replace('Sec-WebSocket-Key', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j*Q=='),
        400,
        "bad character '*' in Sec-WebSocket-Key (invalid base64 encoding) 'dGhlIHNhbXBsZSBub25j*Q=='",
      );
      reject(
        replace('Sec-WebSocket-Key', 'Sec-WebSocket-Key: =GhlIHNhbXBsZSBub25jZQ=='),
        400,
        "bad character '=' in Sec-WebSocket-Key (invalid base64 encoding) '=GhlIHNhbXBsZSBub25jZQ=='",
      );
    });
  });

  describe('Sec-WebSocket-Extensions', () => {
    test('400 HTTP Sec-WebSocket-Extensions header appears more than once in opening handshake request', () => {
      reject(
        [...good, 'Sec-WebSocket-Extensions: permessage-deflate', 'Sec-WebSocket-Extensions: permessage-deflate'],
        400,
        'HTTP Sec-WebSocket-Extensions header appears more than once in opening handshake request',
      );
    });
    test('deflate offers are parsed in order; unknown extensions are ignored', () => {
      const r = checkClientRequest(
        head(
          ...good,
          'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-webkit-deflate-frame; max_window_bits=9, ' +
            'permessage-deflate; server_no_context_takeover; server_max_window_bits=10; client_no_context_takeover',
        ),
        check,
      );
      assert.ok(r.ok);
      assert.deepEqual(r.request.deflateOffers, [
        { hasClientMaxWindowBits: true, clientNoContextTakeover: false, serverNoContextTakeover: false, serverMaxWindowBits: null },
        { hasClientMaxWindowBits: false, clientNoContextTakeover: true, serverNoContextTakeover: true, serverMaxWindowBits: 10 },
      ]);
    });
    test('a malformed deflate offer fails the handshake with 400 and the parse error as reason', () => {
      const cases: Array<[string, string]> = [
        ['permessage-deflate; foo', "illegal extension parameter 'foo' for extension 'permessage-deflate'"],
        [
          'permessage-deflate; server_max_window_bits=16',
          "illegal extension parameter value '16' for parameter 'server_max_window_bits' of extension 'permessage-deflate'",
        ],
        [
          'permessage-deflate; client_no_context_takeover=yes',
          "illegal extension parameter value 'yes' for parameter 'client_no_context_takeover' of extension 'permessage-deflate'",
        ],
        [
          'permessage-deflate; client_max_window_bits; client_max_window_bits',
          "multiple occurrence of extension parameter 'client_max_window_bits' for extension 'permessage-deflate'",
        ],
        // A valid first offer does not save a malformed second one.
        [
          'permessage-deflate, permessage-deflate; client_max_window_bits=7',
          "illegal extension parameter value '7' for parameter 'client_max_window_bits' of extension 'permessage-deflate'",
        ],
      ];
      for (const [ext, reason] of cases) reject([...good, `Sec-WebSocket-Extensions: ${ext}`], 400, reason);
      const noValue = checkClientRequest(head(...good, 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits'), check);
      assert.ok(!noValue.ok);
      assert.equal(noValue.status, 400);
      assert.match(noValue.reason, /^illegal extension parameter value '.*' for parameter 'server_max_window_bits' of extension 'permessage-deflate'$/);
    });
    test('a malformed offer of an unknown extension is ignored', () => {
      assert.ok(checkClientRequest(head(...good, 'Sec-WebSocket-Extensions: permessage-bzip2; foo=bar; foo'), check).ok);
    });
  });

  test('checks run in the documented order (the first failing one is reported)', () => {
    // Host is checked before Upgrade, Upgrade before Version, Version before Key.
    reject(['GET / HTTP/1.1', 'Upgrade: h2c'], 400, 'HTTP Host header missing in opening handshake request');
    reject(['GET / HTTP/1.1', 'Host: localhost:9001', 'Upgrade: h2c'], 400, "HTTP Upgrade headers do not include 'websocket' value (case-insensitive) : h2c");
    reject(
      ['GET / HTTP/1.1', 'Host: localhost:9001', 'Upgrade: websocket', 'Connection: upgrade', 'Sec-WebSocket-Key: x'],
      400,
      'WebSocket connection denied - Hixie76 protocol mode disabled.',
    );
  });
});

describe('docs/modes.md, fuzzingserver URL API: responses the fuzzing server writes', () => {
  test('buildServerResponse: 101 with Server/X-Powered-By first, then Upgrade, Connection, Accept, Extensions', () => {
    assert.equal(
      buildServerResponse({
        key: KEY,
        headers: ['Server: AutobahnTestSuite/25.10.1-25.10.1', 'X-Powered-By: AutobahnPython/25.10.1'],
        extensions: 'permessage-deflate',
      }),
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Server: AutobahnTestSuite/25.10.1-25.10.1\r\n' +
        'X-Powered-By: AutobahnPython/25.10.1\r\n' +
        'Upgrade: WebSocket\r\n' +
        'Connection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${ACCEPT}\r\n` +
        'Sec-WebSocket-Extensions: permessage-deflate\r\n' +
        '\r\n',
    );
    assert.equal(
      buildServerResponse({ key: KEY }),
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${ACCEPT}\r\n\r\n`,
    );
  });

  test('buildServerResponse output passes checkServerResponse (both roles agree)', () => {
    const r = checkServerResponse(buildServerResponse({ key: KEY, protocol: 'chat', extensions: 'permessage-deflate; client_max_window_bits=9' }), {
      key: KEY,
      offeredDeflate: true,
      protocols: ['chat'],
    });
    assert.ok(r.ok);
    assert.equal(r.protocol, 'chat');
    assert.equal(r.deflate?.clientMaxWindowBits, 9);
  });

  test('buildHttpErrorResponse: status line with the reason, extra headers, CRLF CRLF; control characters neutralised', () => {
    assert.equal(
      buildHttpErrorResponse(400, 'WebSocket version 7 not supported (supported versions: 13,8,0)', ['Sec-WebSocket-Version: 13,8,0']),
      'HTTP/1.1 400 WebSocket version 7 not supported (supported versions: 13,8,0)\r\nSec-WebSocket-Version: 13,8,0\r\n\r\n',
    );
    assert.equal(buildHttpErrorResponse(405, "HTTP method 'POST' not allowed"), "HTTP/1.1 405 HTTP method 'POST' not allowed\r\n\r\n");
    assert.equal(buildHttpErrorResponse(400, "bad key 'a\r\nb'"), "HTTP/1.1 400 bad key 'a??b'\r\n\r\n");
  });
});

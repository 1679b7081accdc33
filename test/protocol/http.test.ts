// Unit tests of src/protocol/http.ts: the HTTP/1.1 head handling of the opening handshake
// (RFC 6455 §4.1/§4.2, RFC 7230 §3).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_HEAD_BYTES,
  headText,
  headerCount,
  headerTokens,
  headerValue,
  parseHead,
  sanitizeHttpText,
  splitHead,
  HeadReader,
} from '../../src/protocol/http.js';

const HEAD = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';

describe('RFC 7230 §3: finding the end of the head (splitHead)', () => {
  test('incomplete until CRLFCRLF has arrived, whatever the split', () => {
    const all = Buffer.from(HEAD + '\x81\x02hi');
    for (let p = 0; p < HEAD.length; p++) {
      assert.deepEqual(splitHead(all.subarray(0, p)), { kind: 'incomplete' }, `after ${p} octets`);
    }
    for (let p = HEAD.length; p <= all.length; p++) {
      const r = splitHead(all.subarray(0, p));
      assert.equal(r.kind, 'complete', `after ${p} octets`);
      if (r.kind !== 'complete') continue;
      assert.equal(r.head.toString('latin1'), HEAD);
      assert.deepEqual(r.rest, all.subarray(HEAD.length, p));
    }
  });

  test('data after the head (first frame octets) is returned as rest', () => {
    const r = splitHead(Buffer.concat([Buffer.from(HEAD), Buffer.from([0x81, 0x85, 1, 2, 3, 4])]));
    assert.ok(r.kind === 'complete');
    assert.equal(r.rest.toString('hex'), '818501020304');
  });

  test('a bare LF LF does not end the head', () => {
    assert.deepEqual(splitHead(Buffer.from('HTTP/1.1 101 OK\n\n')), { kind: 'incomplete' });
  });

  test('size limit: head ending exactly at the limit is complete, one octet more is too large', () => {
    const filler = (n: number): string => 'X-Fill: ' + 'a'.repeat(n);
    const make = (total: number): Buffer => {
      const start = 'GET / HTTP/1.1\r\n';
      const s = start + filler(total - start.length - 8 - 4) + '\r\n\r\n';
      assert.equal(s.length, total);
      return Buffer.from(s);
    };
    assert.equal(splitHead(make(100), 100).kind, 'complete');
    assert.deepEqual(splitHead(make(101), 100), { kind: 'too-large' });
    assert.equal(splitHead(make(MAX_HEAD_BYTES)).kind, 'complete');
    assert.deepEqual(splitHead(make(MAX_HEAD_BYTES + 1)), { kind: 'too-large' });
  });

  test('without CRLFCRLF: incomplete up to the limit, too large beyond it', () => {
    assert.deepEqual(splitHead(Buffer.alloc(100, 0x61), 100), { kind: 'incomplete' });
    assert.deepEqual(splitHead(Buffer.alloc(101, 0x61), 100), { kind: 'too-large' });
    assert.equal(MAX_HEAD_BYTES, 65536);
  });
});

describe('head text decoding (headText)', () => {
  test('valid UTF-8 is decoded as UTF-8', () => {
    assert.equal(headText(Buffer.from('Server: café\r\n\r\n', 'utf8')), 'Server: café\r\n\r\n');
  });
  test('anything else is decoded one character per octet (latin1)', () => {
    const t = headText(Buffer.from([0x53, 0x3a, 0x20, 0xe9, 0xff, 0x0d, 0x0a]));
    assert.equal(t, 'S: \u00e9\u00ff\r\n');
  });
});

describe('RFC 7230 §3.2 header fields (parseHead and helpers)', () => {
  const text =
    'HTTP/1.1 101 Switching Protocols\r\n' +
    'Upgrade: websocket\r\n' +
    'CONNECTION:   Upgrade  \r\n' +
    'X-Multi: a\r\n' +
    'x-multi: b , c\r\n' +
    'no colon line\r\n' +
    ': empty name\r\n' +
    'Empty:\r\n' +
    'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n' +
    'Colon-Value: a:b:c\r\n' +
    '\r\n';
  const head = parseHead(text);

  test('start line and lower-cased names with trimmed values, in order of appearance', () => {
    assert.equal(head.startLine, 'HTTP/1.1 101 Switching Protocols');
    assert.deepEqual([...head.headers.keys()], ['upgrade', 'connection', 'x-multi', 'empty', 'sec-websocket-accept', 'colon-value']);
    assert.deepEqual(head.headers.get('connection'), ['Upgrade']);
    assert.deepEqual(head.headers.get('x-multi'), ['a', 'b , c']);
    assert.deepEqual(head.headers.get('empty'), ['']);
    assert.deepEqual(head.headers.get('colon-value'), ['a:b:c']);
    assert.deepEqual(head.headers.get('sec-websocket-accept'), ['s3pPLMBiTxaQ9kYGzzhZRbK+xOo=']);
  });

  test('lines without a colon, or with an empty name, are skipped', () => {
    assert.equal(head.headers.has('no colon line'), false);
    assert.equal(head.headers.has(''), false);
  });

  test('headerValue joins repeated headers with ", "; undefined when absent', () => {
    assert.equal(headerValue(head, 'x-multi'), 'a, b , c');
    assert.equal(headerValue(head, 'upgrade'), 'websocket');
    assert.equal(headerValue(head, 'missing'), undefined);
  });

  test('headerCount counts header lines', () => {
    assert.equal(headerCount(head, 'x-multi'), 2);
    assert.equal(headerCount(head, 'upgrade'), 1);
    assert.equal(headerCount(head, 'missing'), 0);
  });

  test('headerTokens: comma list, trimmed and lower-cased', () => {
    assert.deepEqual(headerTokens('keep-alive, Upgrade'), ['keep-alive', 'upgrade']);
    assert.deepEqual(headerTokens(' WebSocket '), ['websocket']);
    assert.deepEqual(headerTokens('a,,b'), ['a', '', 'b']);
  });

  test('empty text gives an empty start line and no headers', () => {
    const h = parseHead('');
    assert.equal(h.startLine, '');
    assert.equal(h.headers.size, 0);
  });
});

describe('sanitizeHttpText', () => {
  test('control characters (00-1F, 7F) become "?"', () => {
    assert.equal(sanitizeHttpText('bad\r\nInjected: x\x00\x1f\x7f'), 'bad??Injected: x???');
  });
  test('printable and non-ASCII text is kept', () => {
    assert.equal(sanitizeHttpText("bad character '!' in key ~ é"), "bad character '!' in key ~ é");
  });
});

describe('HeadReader: the head reader of the modes', () => {
  const HEAD = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
  test('the end of the head is found at every split into reads, and with one octet per read', () => {
    const all = Buffer.concat([Buffer.from(HEAD), Buffer.from([0x81, 0x80])]);
    for (let p = 1; p < all.length; p++) {
      const reader = new HeadReader();
      const first = reader.push(all.subarray(0, p));
      const r = first.kind === 'incomplete' ? reader.push(all.subarray(p)) : first;
      assert.equal(r.kind, 'complete', `split at ${p}`);
      if (r.kind !== 'complete') continue;
      assert.equal(r.head.toString('latin1'), HEAD);
      // A read that completes the head is the last one pushed; what came with it is the rest.
      const received = first.kind === 'incomplete' ? all : all.subarray(0, p);
      assert.deepEqual(r.rest, received.subarray(HEAD.length));
      assert.deepEqual(Buffer.concat(reader.chunks), received);
    }
    const reader = new HeadReader();
    let last: ReturnType<HeadReader['push']> = { kind: 'incomplete' };
    for (let i = 0; i < HEAD.length; i++) {
      assert.equal(last.kind, 'incomplete', `octet ${i}`);
      last = reader.push(Buffer.from(HEAD.slice(i, i + 1), 'latin1'));
    }
    assert.equal(last.kind, 'complete');
    assert.equal(reader.chunks.length, HEAD.length);
    assert.equal(reader.buffered.toString('latin1'), HEAD);
  });

  test('too large: more than the limit without an end, or an end beyond the limit', () => {
    const reader = new HeadReader(16);
    assert.equal(reader.push(Buffer.from('GET / HTTP/1.1\r\n')).kind, 'incomplete');
    assert.deepEqual(reader.push(Buffer.from('H')), { kind: 'too-large' });
    assert.deepEqual(new HeadReader(16).push(Buffer.from(HEAD)), { kind: 'too-large' });
  });
});

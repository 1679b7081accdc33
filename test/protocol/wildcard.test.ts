// `*`-wildcard matching without regular expressions (src/protocol/wildcard.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wildcardMatch, wildcardPrefixMatch } from '../../src/protocol/wildcard.js';

test('* matches any run of characters; everything else only itself; anchored at both ends', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', '', true],
    ['*', 'anything', true],
    ['ws', 'ws', true],
    ['ws', 'wsx', false],
    ['ws*', 'ws/8.23', true],
    ['*/8.*', 'ws/8.23', true],
    ['*/8.*', 'ws/9.23', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['a.b', 'aXb', false],
    ['a.b', 'a.b', true],
    ['(x+)+y', '(x+)+y', true],
    ['http://*.example.com', 'http://a.example.com', true],
    ['http://*.example.com', 'http://example.com', false],
    ['**', 'x', true],
  ];
  for (const [pattern, text, expected] of cases) assert.equal(wildcardMatch(pattern, text), expected, `${pattern} ~ ${text}`);
  assert.equal(wildcardPrefixMatch('6.1*', '6.10.3'), true);
  assert.equal(wildcardPrefixMatch('6.1*', '7.1.1'), false);
});

test('patterns that make regular expressions backtrack match a long peer-chosen text at once', () => {
  // As a regular expression, ^(.*a){12}b$ against 100,000 "a"s does not finish in any useful time.
  const text = 'a'.repeat(100_000);
  assert.equal(wildcardMatch('*a'.repeat(12) + 'b', text), false);
  assert.equal(wildcardMatch('*a*a*a*a*a*a*a*a*a*a*a*a*', text), true);
});

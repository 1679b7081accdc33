// --shard I/N: every case of a selection in exactly one shard, the same slices on every machine,
// and the expensive compression cases spread evenly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_IDS } from '../../src/cases/index.js';
import { expectedCost, parseShard, shardCases, ShardError } from '../../src/cases/shard.js';
import { selectCases } from '../../src/cases/selection.js';

test('I/N is parsed; anything else is a ShardError', () => {
  assert.deepEqual(parseShard('1/4'), { index: 1, count: 4 });
  assert.deepEqual(parseShard(' 4 / 4 '), { index: 4, count: 4 });
  for (const bad of ['0/4', '5/4', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2', '']) assert.throws(() => parseShard(bad), ShardError, bad);
});

test('the shards of a selection partition it, each in ID order', () => {
  for (const selection of [ALL_IDS, selectCases(['1.1.*', '2.1', '12.1.*'], [], ALL_IDS), selectCases(['9.*', '13.3.*'], ['9.1.*'], ALL_IDS)]) {
    for (const n of [1, 2, 3, 5, 8]) {
      const shards = Array.from({ length: n }, (_, i) => shardCases(selection, { index: i + 1, count: n }));
      const all = shards.flat();
      assert.equal(all.length, selection.length, `${n} shards`);
      assert.deepEqual([...all].sort(), [...selection].sort(), `${n} shards`);
      for (const s of shards) assert.deepEqual(s, selection.filter((id) => s.includes(id)), 'ID order');
    }
  }
});

test('deterministic: the same selection gives the same slices, whatever order it is given in', () => {
  const a = shardCases(ALL_IDS, { index: 2, count: 3 });
  const b = shardCases([...ALL_IDS].reverse(), { index: 2, count: 3 });
  assert.deepEqual(a, b);
});

test('balanced by expected cost: compression cases spread evenly, not in contiguous blocks', () => {
  for (const n of [2, 3, 4, 8]) {
    const costs: number[] = [];
    for (let i = 1; i <= n; i++) {
      const shard = shardCases(ALL_IDS, { index: i, count: n });
      costs.push(shard.reduce((sum, id) => sum + expectedCost(id), 0));
      const compression = shard.filter((id) => /^1[23]\./.test(id)).length;
      assert.ok(Math.abs(compression - 216 / n) <= 1.5, `shard ${i}/${n} has ${compression} of the 216 compression cases`);
    }
    const largestCase = Math.max(...ALL_IDS.map(expectedCost));
    assert.ok(Math.max(...costs) - Math.min(...costs) <= largestCase, `${n} shards: expected costs ${costs.join(', ')}`);
  }
  assert.ok(expectedCost('12.1.18') > 50 * expectedCost('1.1.1'));
  assert.ok(expectedCost('13.2.1') < expectedCost('13.2.10'));
});

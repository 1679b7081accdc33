// Report file names (src/report/naming.ts): Autobahn's names for ordinary agents; unique, capped
// names for agents whose cleaned names collide or are long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_STEM_MAX, agentFileStems, caseFileBase, cleanAgent } from '../../src/report/naming.js';

test("ordinary agents keep Autobahn's cleaned names", () => {
  const stems = agentFileStems(['wspp', 'AutobahnPython/0.10.9', 'My Server/1.0', 'ws']);
  assert.deepEqual(Object.fromEntries(stems), {
    wspp: 'wspp',
    'AutobahnPython/0.10.9': 'autobahnpython_0_10_9',
    'My Server/1.0': 'my_server_1_0',
    ws: 'ws',
  });
  assert.equal(caseFileBase('wspp', '12.1.10'), 'wspp_case_12_1_10');
});

test('agents whose cleaned names collide all get distinct hashed names', () => {
  const agents = ['Chrome/120', 'chrome 120', 'AbC', 'abc', 'other'];
  const stems = agentFileStems(agents);
  assert.equal(new Set(stems.values()).size, agents.length);
  assert.match(stems.get('Chrome/120')!, /^chrome_120-[0-9a-f]{8}$/);
  assert.match(stems.get('chrome 120')!, /^chrome_120-[0-9a-f]{8}$/);
  assert.match(stems.get('AbC')!, /^abc-[0-9a-f]{8}$/);
  assert.equal(stems.get('other'), 'other');
  // A pure function of the set: the order the agents come in does not matter.
  assert.deepEqual(agentFileStems([...agents].reverse()), stems);
});

test('long agent names are cut and hashed; a hashed name never equals a plain one', () => {
  const long = 'A'.repeat(300);
  const stems = agentFileStems([long, 'a'.repeat(300) + '!', cleanAgent(long).slice(0, 55)]);
  assert.equal(new Set(stems.values()).size, 3);
  for (const stem of stems.values()) assert.ok(stem.length <= AGENT_STEM_MAX, stem);
  assert.match(stems.get(long)!, /^a{55}-[0-9a-f]{8}$/);
  // Names made to look hashed stay plain: "-" never survives cleaning.
  const lookalike = `${cleanAgent(long).slice(0, 55)} ${stems.get(long)!.slice(56)}`;
  assert.notEqual(agentFileStems([long, lookalike]).get(lookalike), stems.get(long));
  // The longest stem any agent can get fits file systems with the case suffix.
  assert.ok(caseFileBase(stems.get(long)!, '13.7.18').length + '.html'.length < 255);
});

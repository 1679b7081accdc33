// A test file as a user would write it with wsfuzz/node-test: caseTests over the results in the
// JSON file named by argv[2], known failures from argv[3]. Run by api.test.ts in a child process,
// whose TAP output shows the subtests caseTests made.
import { readFileSync } from 'node:fs';
import test from 'node:test';
import { caseTests } from '../../src/api/node-test.js';
import type { IndexJson } from '../../src/report/index-json.js';

const results = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as IndexJson;
const knownFailures = process.argv[3];
test('conformance', (t) => caseTests(t, results, knownFailures !== undefined ? { knownFailures } : {}));

// Category 13: WebSocket Compression (different parameters). One payload, seven parameter sets.
import type { CaseDefinition } from '../fuzz/case.js';
import type { DeflateCaseConfig } from '../fuzz/deflate.js';
import { PAYLOAD_SOURCES, subcategoryLabel } from './data/payloads.js';
import { compressionCase, SIZE_ROWS, tupleList } from './compression.js';
import { registerSubcategoryTitle } from './titles.js';

function set(...tuples: Array<[boolean, number]>) {
  return tuples.map(([requestNoContextTakeover, requestMaxWindowBits]) => ({ requestNoContextTakeover, requestMaxWindowBits }));
}

/** (requestNoContextTakeover, requestMaxWindowBits) tuples, the same for offers and accept rules. */
const PARAMETER_SETS = [
  set([false, 0]),
  set([true, 0]),
  set([false, 9]),
  set([false, 15]),
  set([true, 9]),
  set([true, 15]),
  set([true, 9], [true, 0], [false, 0]),
];

const json = PAYLOAD_SOURCES[0]!;

export const cases: CaseDefinition[] = [];
PARAMETER_SETS.forEach((tuples, j) => {
  const deflate: DeflateCaseConfig = { offers: tuples, accept: tuples };
  const list = tupleList(tuples);
  registerSubcategoryTitle(
    `13.${j + 1}`,
    `${subcategoryLabel(json)} - client offers (requestNoContextTakeover, requestMaxWindowBits): ${list} / server accept (requestNoContextTakeover, requestMaxWindowBits): ${list}`,
  );
  SIZE_ROWS.forEach((row, i) => {
    cases.push(
      compressionCase(
        `13.${j + 1}.${i + 1}`,
        json,
        row,
        deflate,
        `As client the fuzzer offers permessage-deflate with (requestNoContextTakeover, requestMaxWindowBits) ${list}; as server it accepts with those parameters (RFC 7692 §7.1).`,
      ),
    );
  });
});

// Category 12: WebSocket Compression (different payloads). Default permessage-deflate parameters.
import type { CaseDefinition } from '../fuzz/case.js';
import { PAYLOAD_SOURCES, subcategoryLabel } from './data/payloads.js';
import { compressionCase, SIZE_ROWS } from './compression.js';
import { registerSubcategoryTitle } from './titles.js';

const DEFAULT_DEFLATE = {
  offers: [{ requestNoContextTakeover: false, requestMaxWindowBits: 0 }],
  accept: [{ requestNoContextTakeover: false, requestMaxWindowBits: 0 }],
};

export const cases: CaseDefinition[] = [];
PAYLOAD_SOURCES.forEach((source, j) => {
  registerSubcategoryTitle(`12.${j + 1}`, subcategoryLabel(source));
  SIZE_ROWS.forEach((row, i) => {
    cases.push(
      compressionCase(`12.${j + 1}.${i + 1}`, source, row, DEFAULT_DEFLATE, 'The fuzzer uses the default permessage-deflate offer (RFC 7692 §7).'),
    );
  });
});

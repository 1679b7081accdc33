// A minimal case for engine tests: expects nothing, closes with 1000 once it saw what it expects.
import type { CaseDefinition } from '../../src/fuzz/case.js';

export function script(onOpen: CaseDefinition['onOpen'], extra: Partial<CaseDefinition> = {}): CaseDefinition {
  return {
    id: '0.0',
    description: '',
    expectation: '',
    expected: { OK: [] },
    expectedClose: { closedByMe: true, closeCode: [1000], requireClean: true },
    onOpen,
    ...extra,
  };
}

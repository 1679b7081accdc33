// Category and subcategory titles as the reports show them (docs/cases.md). Scripts match on these.

export const CATEGORY_TITLES: Record<string, string> = {
  '0': 'Handshake',
  '1': 'Framing',
  '2': 'Pings/Pongs',
  '3': 'Reserved Bits',
  '4': 'Opcodes',
  '5': 'Fragmentation',
  '6': 'UTF-8 Handling',
  '7': 'Close Handling',
  '8': 'Misc',
  '9': 'Limits/Performance',
  '10': 'Misc',
  '12': 'WebSocket Compression (different payloads)',
  '13': 'WebSocket Compression (different parameters)',
  '14': 'Opening Handshake',
};

export const SUBCATEGORY_TITLES: Record<string, string> = {
  '1.1': 'Text Messages',
  '1.2': 'Binary Messages',
  '4.1': 'Non-control Opcodes',
  '4.2': 'Control Opcodes',
  '6.1': 'Valid UTF-8 with zero payload fragments',
  '6.2': 'Valid UTF-8 unfragmented, fragmented on code-points and within code-points',
  '6.3': 'Invalid UTF-8 differently fragmented',
  '6.4': 'Fail-fast on invalid UTF-8',
  '6.5': 'Some valid UTF-8 sequences',
  '6.6': 'All prefixes of a valid UTF-8 string that contains multi-byte code points',
  '6.7': 'First possible sequence of a certain length',
  '6.8': 'First possible sequence length 5/6 (invalid codepoints)',
  '6.9': 'Last possible sequence of a certain length',
  '6.10': 'Last possible sequence length 4/5/6 (invalid codepoints)',
  '6.11': 'Other boundary conditions',
  '6.12': 'Unexpected continuation bytes',
  '6.13': 'Lonely start characters',
  '6.14': 'Sequences with last continuation byte missing',
  '6.15': 'Concatenation of incomplete sequences',
  '6.16': 'Impossible bytes',
  '6.17': 'Examples of an overlong ASCII character',
  '6.18': 'Maximum overlong sequences',
  '6.19': 'Overlong representation of the NUL character',
  '6.20': 'Single UTF-16 surrogates',
  '6.21': 'Paired UTF-16 surrogates',
  '6.22': 'Non-character code points (valid UTF-8)',
  '6.23': 'Unicode specials (i.e. replacement char)',
  '7.1': 'Basic close behavior (fuzzer initiated)',
  '7.3': 'Close frame structure: payload length (fuzzer initiated)',
  '7.5': 'Close frame structure: payload value (fuzzer initiated)',
  '7.7': 'Close frame structure: valid close codes (fuzzer initiated)',
  '7.9': 'Close frame structure: invalid close codes (fuzzer initiated)',
  '7.13': 'Informational close information (fuzzer initiated)',
  '9.1': 'Text Message (increasing size)',
  '9.2': 'Binary Message (increasing size)',
  '9.3': 'Fragmented Text Message (fixed size, increasing fragment size)',
  '9.4': 'Fragmented Binary Message (fixed size, increasing fragment size)',
  '9.5': 'Text Message (fixed size, increasing chop size)',
  '9.6': 'Binary Text Message (fixed size, increasing chop size)',
  '9.7': 'Text Message Roundtrip Time (fixed number, increasing size)',
  '9.8': 'Binary Message Roundtrip Time (fixed number, increasing size)',
  '10.1': 'Auto-Fragmentation',
};

/** Register subcategory titles that are generated (12.x, 13.x payload and parameter labels). */
export function registerSubcategoryTitle(sub: string, title: string): void {
  SUBCATEGORY_TITLES[sub] = title;
}

/** "Framing / Text Messages" for 1.1.1; the category title alone where the subcategory has none. */
export function caseTitle(id: string): string {
  const parts = id.split('.');
  const category = CATEGORY_TITLES[parts[0]!] ?? 'Misc';
  const sub = SUBCATEGORY_TITLES[parts.slice(0, 2).join('.')];
  return sub === undefined ? category : `${category} / ${sub}`;
}

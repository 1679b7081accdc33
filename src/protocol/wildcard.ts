// `*`-wildcard patterns (allowedOrigins, exclude-agent-cases): `*` matches any run of characters,
// every other character only itself. Matched in time linear in pattern × text and without regular
// expressions, so a peer-chosen text cannot make matching backtrack.

/** Does `text` match `pattern` as a whole (anchored at both ends)? */
export function wildcardMatch(pattern: string, text: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === text;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  // The middle parts in order, each at its leftmost place: greedy leftmost matching is exact for `*`.
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Does `text` start with something `pattern` matches (case selection patterns)? */
export function wildcardPrefixMatch(pattern: string, text: string): boolean {
  return wildcardMatch(pattern + '*', text);
}

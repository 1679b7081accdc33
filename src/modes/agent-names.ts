// Distinct agent names for the servers of one fuzzingclient run. Two servers that resolve to the
// same name (the same Server header and no "agent" in the spec, or the same "agent") would file
// their results under one agent, the later overwriting the earlier; the later one gets " (2)",
// " (3)", ... instead (COMPATIBILITY.md, Running).

/** `name`, or `name (k)` with the smallest k >= 2 not in `taken`. */
export function distinctAgentName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let k = 2; ; k++) {
    const candidate = `${name} (${k})`;
    if (!taken.has(candidate)) return candidate;
  }
}

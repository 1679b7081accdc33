// Case IDs: dotted integers compared as tuples ("2.2" < "2.10" < "10.1.1").

export function idTuple(id: string): number[] {
  return id.split('.').map(Number);
}

export function compareIds(a: string, b: string): number {
  const x = idTuple(a);
  const y = idTuple(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** "1.1.1" => "1_1_1" (report file names and anchors). */
export function idSlug(id: string): string {
  return id.replaceAll('.', '_');
}

export function categoryOf(id: string): string {
  return id.split('.')[0]!;
}

export function subcategoryOf(id: string): string {
  return id.split('.').slice(0, 2).join('.');
}

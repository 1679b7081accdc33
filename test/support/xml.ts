// A small strict XML 1.0 reader for checking generated documents (JUnit): it throws on anything
// that is not well-formed — characters outside the Char production, a raw "<" or "&" in text or
// attributes, unknown entities, unquoted or repeated attributes, mismatched or unclosed tags,
// more than one root — and returns the element tree with entities decoded.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), without its children's. */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ILLEGAL_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw "<" in ${where}`);
  return raw.replace(/&([^;]*);?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw new Error(`unterminated reference in ${where}: ${JSON.stringify(match)}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (ref in named) return named[ref]!;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    const cp = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    const ch = String.fromCodePoint(cp);
    if (ILLEGAL_CHAR.test(ch)) throw new Error(`character reference to an illegal character &${ref}; in ${where}`);
    return ch;
  });
}

/** Parse `doc`; throws an Error saying what is wrong. */
export function parseXml(doc: string): XmlElement {
  const bad = ILLEGAL_CHAR.exec(doc);
  if (bad) throw new Error(`character U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')} is not allowed in XML 1.0`);
  let i = 0;
  if (doc.startsWith('<?xml')) {
    const end = doc.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    if (stack.length === 0) {
      if (text.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(text.slice(0, 40))}`);
    } else {
      stack[stack.length - 1]!.text += decode(text, `<${stack[stack.length - 1]!.name}> text`);
    }
    if (lt < 0) break;
    i = lt + 1;
    if (doc[i] === '/') {
      const m = NAME.exec(doc.slice(i + 1));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`end tag </${m[0]}> does not match <${open?.name ?? '(none)'}>`);
      i += 1 + m[0].length;
      while (/\s/.test(doc[i] ?? '')) i++;
      if (doc[i] !== '>') throw new Error(`bad end tag </${m[0]}>`);
      i++;
      continue;
    }
    const m = NAME.exec(doc.slice(i));
    if (!m) throw new Error(`bad start tag at ${i}: ${JSON.stringify(doc.slice(i, i + 20))}`);
    const element: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += m[0].length;
    for (;;) {
      const space = /^\s*/.exec(doc.slice(i))![0].length;
      i += space;
      if (doc.startsWith('/>', i) || doc[i] === '>') break;
      if (space === 0) throw new Error(`<${element.name}>: attributes must be separated by white space`);
      const a = /^([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*"([^"]*)"/.exec(doc.slice(i));
      if (!a) throw new Error(`<${element.name}>: bad attribute at ${JSON.stringify(doc.slice(i, i + 30))}`);
      if (a[1]! in element.attrs) throw new Error(`<${element.name}>: attribute ${a[1]} repeated`);
      element.attrs[a[1]!] = decode(a[2]!, `attribute ${a[1]}`);
      i += a[0].length;
    }
    if (stack.length === 0) {
      if (root !== null) throw new Error('more than one root element');
      root = element;
    } else {
      stack[stack.length - 1]!.children.push(element);
    }
    if (doc.startsWith('/>', i)) {
      i += 2;
    } else {
      i += 1;
      stack.push(element);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root === null) throw new Error('no root element');
  return root;
}

/** Every element named `name` below `e`, depth first. */
export function elements(e: XmlElement, name: string): XmlElement[] {
  return e.children.flatMap((c) => [...(c.name === name ? [c] : []), ...elements(c, name)]);
}

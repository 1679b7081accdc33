// The product token wsfuzz announces (User-Agent / Server headers, report headers).
// The version is read from the package's own package.json at run time, relative to this module
// (dist/src/version.js -> ../../package.json), so it is right both in a clone and in an installed package.
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  if (pkg.name !== 'wsfuzz' || typeof pkg.version !== 'string') {
    throw new Error(`${file.pathname} is not wsfuzz's package.json`);
  }
  return pkg.version;
}

export const VERSION: string = packageVersion();
export const PRODUCT = `wsfuzz/${VERSION}`;

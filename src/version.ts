// The product token wsfuzz announces (User-Agent / Server headers, report headers).
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
export const PRODUCT = `wsfuzz/${VERSION}`;

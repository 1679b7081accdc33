// Preloaded into a wsfuzz command by bench/memory.ts (node --import): prints the process's peak
// resident memory on stderr when it exits, as "wsfuzz-peak-rss-kib <KiB>".
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `wsfuzz-peak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});

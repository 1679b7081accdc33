// Report files are never written in place (docs/reports.md): each is written to a new temporary
// file in the same directory and renamed over the old one. A failed write (full disk, killed
// process) leaves the previous file intact, and a symbolic link planted at the file's name is
// replaced, not followed.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/** A report directory or file that cannot be written: the user's to fix, reported in one line. */
export class ReportWriteError extends Error {}

/** Text is handed to the file system in pieces of about this size. */
const BATCH_CHARS = 1 << 20;

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : e.message;
}

/** A hidden temporary name beside `file` (hidden files are never served or linked). */
function temporaryName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Write `content` (a string, or pieces joined with `separator`) to `file` atomically. The temporary
 * file is created exclusively (O_EXCL), so it never writes through an existing link either.
 */
export async function writeFileAtomic(file: string, content: string | Iterable<string>, separator = ''): Promise<void> {
  const temporary = temporaryName(file);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      if (typeof content === 'string') {
        await handle.writeFile(content, 'utf8');
      } else {
        let batch = '';
        let first = true;
        for (const piece of content) {
          batch += (first ? '' : separator) + piece;
          first = false;
          if (batch.length >= BATCH_CHARS) {
            await handle.write(batch, null, 'utf8');
            batch = '';
          }
        }
        if (batch !== '') await handle.write(batch, null, 'utf8');
      }
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    throw new ReportWriteError(`cannot write ${file}: ${describe(err)}`);
  }
}

/**
 * Create `dir` and its missing parents. Unlike mkdir({ recursive: true }), which retries forever
 * on pseudo file systems that answer ENOENT for a directory whose parent exists (/proc/foo), each
 * level is tried at most twice.
 */
export async function ensureDirectory(dir: string): Promise<void> {
  const absolute = path.resolve(dir);
  try {
    await mkdir(absolute);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      const info = await stat(absolute).catch(() => null);
      if (info?.isDirectory()) return;
      throw new ReportWriteError(`cannot write reports to ${dir}: it exists and is not a directory`);
    }
    if (code !== 'ENOENT' || path.dirname(absolute) === absolute) {
      throw new ReportWriteError(`cannot create the report directory ${dir}: ${describe(err)}`);
    }
  }
  await ensureDirectory(path.dirname(absolute));
  try {
    await mkdir(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return ensureDirectory(absolute);
    throw new ReportWriteError(`cannot create the report directory ${dir}: ${describe(err)}`);
  }
}

/** Create `dir` and prove that files can be created in it (before any case runs). */
export async function checkWritableDirectory(dir: string): Promise<void> {
  await ensureDirectory(dir);
  const probe = temporaryName(path.join(dir, 'wsfuzz-probe'));
  try {
    const handle = await open(probe, 'wx', 0o644);
    await handle.close();
  } catch (err) {
    throw new ReportWriteError(`cannot write reports to ${dir}: ${describe(err)}`);
  }
  await unlink(probe).catch(() => undefined);
}

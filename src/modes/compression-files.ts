// Shared compressed messages kept in a temporary file per stream (docs/engine.md, Shared
// compressed messages). The largest stream is about 110 MB (1000 messages of 131,072 octets of an
// incompressible payload), too much for memory; the page cache makes reading it back cheap. If the
// temporary directory cannot be written, messages are kept in memory instead, within a budget.
// Past the budgets a message is not kept at all: the cases that need it compress it themselves.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CompressedMessage } from '../protocol/deflate.js';
import { MemoryStorage, type CompressedStorage } from '../fuzz/shared-compression.js';

/** Octets kept, shared by the storages it is given to (fuzzingserver: one storage per agent). */
export class StorageBudget {
  fileUsed = 0;
  memoryUsed = 0;
  constructor(
    readonly fileLimit = 2 * 1024 * 1024 * 1024,
    readonly memoryLimit = 64 * 1024 * 1024,
  ) {}
}

interface Place {
  offset: number;
  length: number;
  compressed: boolean;
}

interface FileStream {
  fd: number;
  file: string;
  places: Map<number, Place>;
  size: number;
}

export class FileStorage implements CompressedStorage {
  private dir: string | null = null;
  private readonly files = new Map<string, FileStream>();
  private readonly memory = new MemoryStorage();
  private failed = false;
  private created = 0;

  constructor(
    private readonly parent: string = os.tmpdir(),
    private readonly budget = new StorageBudget(),
  ) {}

  put(stream: string, index: number, message: CompressedMessage): void {
    const length = message.data.length;
    if (this.budget.fileUsed + length <= this.budget.fileLimit) {
      const file = this.open(stream);
      if (file) {
        try {
          fs.writeSync(file.fd, message.data, 0, length, file.size);
          file.places.set(index, { offset: file.size, length, compressed: message.compressed });
          file.size += length;
          this.budget.fileUsed += length;
          return;
        } catch {
          // Disk full or the like: from now on messages go to memory.
          this.failed = true;
        }
      }
    }
    if (this.budget.memoryUsed + length > this.budget.memoryLimit) return;
    this.memory.put(stream, index, message);
    this.budget.memoryUsed += length;
  }

  get(stream: string, index: number): CompressedMessage {
    const file = this.files.get(stream);
    const place = file?.places.get(index);
    if (file && place) {
      const data = Buffer.allocUnsafe(place.length);
      let done = 0;
      while (done < data.length) {
        const n = fs.readSync(file.fd, data, done, data.length - done, place.offset + done);
        if (n === 0) throw new Error(`shared compressed message ${index} of ${stream}: file ${file.file} is short`);
        done += n;
      }
      return { data, compressed: place.compressed };
    }
    return this.memory.get(stream, index);
  }

  drop(stream: string): void {
    const file = this.files.get(stream);
    if (file) {
      this.files.delete(stream);
      this.budget.fileUsed -= file.size;
      closeAndRemove(file);
    }
    this.budget.memoryUsed -= this.memory.size(stream);
    this.memory.drop(stream);
  }

  close(): void {
    for (const stream of [...this.files.keys()]) this.drop(stream);
    this.budget.memoryUsed -= this.memory.size();
    this.memory.close();
    if (this.dir !== null) {
      try {
        fs.rmSync(this.dir, { recursive: true, force: true });
      } catch {
        /* best effort: a temporary directory */
      }
      this.dir = null;
      live.delete(this);
    }
  }

  /** The stream's file, created on first use; null when files cannot be used. */
  private open(stream: string): FileStream | null {
    const existing = this.files.get(stream);
    if (existing) return existing;
    if (this.failed) return null;
    try {
      if (this.dir === null) {
        this.dir = fs.mkdtempSync(path.join(this.parent, 'wsfuzz-deflate-'));
        watchExit(this);
      }
      const file = path.join(this.dir, `stream-${++this.created}.bin`);
      const fd = fs.openSync(file, 'w+', 0o600);
      const created: FileStream = { fd, file, places: new Map(), size: 0 };
      this.files.set(stream, created);
      return created;
    } catch {
      this.failed = true;
      return null;
    }
  }
}

/** Storages with a temporary directory: an interrupted run (Ctrl-C writes a partial report and exits) leaves no files behind. */
const live = new Set<FileStorage>();
let watching = false;
function watchExit(storage: FileStorage): void {
  live.add(storage);
  if (watching) return;
  watching = true;
  process.once('exit', () => {
    for (const s of [...live]) s.close();
  });
}

function closeAndRemove(file: FileStream): void {
  try {
    fs.closeSync(file.fd);
  } catch {
    /* already closed */
  }
  try {
    fs.rmSync(file.file, { force: true });
  } catch {
    /* best effort */
  }
}

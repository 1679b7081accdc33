// Shared compressed messages kept in a temporary file per stream (docs/engine.md, Shared
// compressed messages). The largest stream is about 110 MB (1000 messages of 131,072 octets of an
// incompressible payload), too much for memory; the page cache makes reading it back cheap. If the
// temporary directory cannot be written, the messages are kept in memory instead: the run goes on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CompressedMessage } from '../protocol/deflate.js';
import { MemoryStorage, type CompressedStorage } from '../fuzz/shared-compression.js';

interface FileStream {
  fd: number;
  file: string;
  /** Offset, length and RSV1 of each stored message. */
  offsets: number[];
  lengths: number[];
  compressed: boolean[];
  size: number;
}

export class FileStorage implements CompressedStorage {
  private dir: string | null = null;
  private readonly files = new Map<string, FileStream>();
  /** Streams (or their messages from some index on) that could not be written to a file. */
  private readonly memory = new MemoryStorage();
  private readonly inMemory = new Set<string>();
  private failed = false;
  private created = 0;
  private readonly onExit = () => this.close();

  constructor(private readonly parent: string = os.tmpdir()) {}

  put(stream: string, index: number, message: CompressedMessage): void {
    if (!this.inMemory.has(stream)) {
      const file = this.open(stream);
      if (file && file.offsets.length === index) {
        try {
          fs.writeSync(file.fd, message.data, 0, message.data.length, file.size);
          file.offsets.push(file.size);
          file.lengths.push(message.data.length);
          file.compressed.push(message.compressed);
          file.size += message.data.length;
          return;
        } catch {
          // Disk full or the like: this stream's further messages stay in memory.
        }
      }
      this.inMemory.add(stream);
    }
    this.memory.put(stream, index, message);
  }

  get(stream: string, index: number): CompressedMessage {
    const file = this.files.get(stream);
    if (file && index < file.offsets.length) {
      const data = Buffer.allocUnsafe(file.lengths[index]!);
      let done = 0;
      while (done < data.length) {
        const n = fs.readSync(file.fd, data, done, data.length - done, file.offsets[index]! + done);
        if (n === 0) throw new Error(`shared compressed message ${index} of ${stream}: file ${file.file} is short`);
        done += n;
      }
      return { data, compressed: file.compressed[index]! };
    }
    return this.memory.get(stream, index);
  }

  drop(stream: string): void {
    const file = this.files.get(stream);
    if (file) {
      this.files.delete(stream);
      closeAndRemove(file);
    }
    this.inMemory.delete(stream);
    this.memory.drop(stream);
  }

  close(): void {
    for (const file of this.files.values()) closeAndRemove(file);
    this.files.clear();
    this.memory.close();
    this.inMemory.clear();
    if (this.dir !== null) {
      try {
        fs.rmSync(this.dir, { recursive: true, force: true });
      } catch {
        /* best effort: a temporary directory */
      }
      this.dir = null;
      process.off('exit', this.onExit);
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
        // An interrupted run (Ctrl-C writes a partial report and exits) leaves no files behind.
        process.once('exit', this.onExit);
      }
      const file = path.join(this.dir, `stream-${++this.created}.bin`);
      const fd = fs.openSync(file, 'w+', 0o600);
      const created: FileStream = { fd, file, offsets: [], lengths: [], compressed: [], size: 0 };
      this.files.set(stream, created);
      return created;
    } catch {
      this.failed = true;
      return null;
    }
  }
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

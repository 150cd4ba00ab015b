import { type Stats, closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { UserError } from "../spec/errors.js";

/**
 * Every file pwlgen reads from the user (spec files, unit manifests and sources, CSV
 * datasets, sweep markers and rows) goes through readUserFile: it must be a regular file
 * no larger than the limit for its kind, checked before a byte is read. A named pipe would
 * block the process (and its signal handlers) forever, /dev/zero would fill the memory.
 *
 * The file is opened with O_NONBLOCK, so opening a FIFO never waits for a writer, and is
 * checked and read through that one descriptor, so what was checked is what is read.
 */
export interface FileLimit {
  readonly bytes: number;
  /** What the limit is for, in a message: "spec files". */
  readonly what: string;
}

const MiB = 1024 * 1024;

/**
 * The limits, documented in the README (Robustness). Each is far above what pwlgen writes
 * or a user writes by hand, and small enough that reading and parsing it takes seconds.
 */
export const FILE_LIMITS = {
  /** A spec is a few hundred bytes; a sweep spec's lists a few kilobytes. */
  spec: { bytes: 1 * MiB, what: "spec files" },
  /**
   * About 135 bytes per segment (y and dy, IR included): room for some 500,000 segments,
   * several times the largest unit pwlgen builds within its width limits.
   */
  manifest: { bytes: 64 * MiB, what: "manifest files" },
  /** The unit's Verilog, about 350 bytes per segment. */
  verilog: { bytes: 256 * MiB, what: "Verilog files" },
  /** Exhaustive vectors of a 24-bit input with 32-bit y and dy: 386 MB. Only the first line is read. */
  vectors: { bytes: 512 * MiB, what: "vector files" },
  /** sweep.json rows, about 1 kB each. */
  sweep: { bytes: 256 * MiB, what: "sweep files" },
  /** A training dataset: over a million rows of a few features, more than training in JavaScript can use. */
  csv: { bytes: 64 * MiB, what: "CSV datasets" },
} as const satisfies Record<string, FileLimit>;

export interface UserFileOptions {
  /** The option or field the path came from (`--spec`, `DIR`), as in every one-line error. */
  readonly field: string;
  /** The value the message shows; the path by default. */
  readonly value?: unknown;
  readonly limit: FileLimit;
  /** Refuse a symbolic link (in the last component of the path). */
  readonly noFollow?: boolean;
  /** Read at most this many bytes from the start; the size limit still applies to the whole file. */
  readonly headBytes?: number;
}

/** The contents of a user's file as UTF-8 text; see readUserBytes. */
export function readUserFile(path: string, options: UserFileOptions): string {
  return readUserBytes(path, options).toString("utf8");
}

/**
 * The contents of a user's file, or a UserError naming the option and the path: it does
 * not exist or cannot be opened, is not a regular file (a directory, named pipe, device or
 * socket), is a symbolic link (with noFollow), or is larger than the limit.
 */
export function readUserBytes(path: string, options: UserFileOptions): Buffer {
  const refuse = (reason: string): UserError => new UserError(options.field, options.value ?? path, reason);
  const flags =
    constants.O_RDONLY |
    (constants.O_NONBLOCK ?? 0) |
    (constants.O_NOCTTY ?? 0) |
    (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    throw refuse(openProblem((error as NodeJS.ErrnoException).code, options.noFollow === true));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw refuse(`is ${kindOf(stats)}, not a regular file; give a regular file`);
    const { bytes } = options.limit;
    const limit = `the ${showBytes(bytes)} limit for ${options.limit.what}`;
    if (stats.size > bytes) throw refuse(`is ${showBytes(stats.size)}, larger than ${limit}`);
    const wanted = Math.min(options.headBytes ?? bytes, bytes);
    // One byte more than wanted tells a file that grew past the limit since fstat.
    let buffer = Buffer.allocUnsafe(Math.min(stats.size, wanted) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > wanted) break;
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, wanted + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > wanted) {
      if (options.headBytes === undefined) throw refuse(`grew past ${limit} while being read`);
      length = wanted;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  } finally {
    closeSync(fd);
  }
}

function openProblem(code: string | undefined, noFollow: boolean): string {
  if (code === "ENOENT") return "does not exist";
  if (code === "ELOOP" && noFollow) return "is a symbolic link; give the file itself";
  // A socket cannot be opened as a file.
  if (code === "ENXIO") return "is a socket, not a regular file; give a regular file";
  return `cannot be read (${code ?? "error"})`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "a special file";
}

/** 1 MiB, 2.5 MiB, 300 bytes. */
export function showBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MiB) return `${trim(bytes / 1024)} KiB`;
  if (bytes < 1024 * MiB) return `${trim(bytes / MiB)} MiB`;
  return `${trim(bytes / (1024 * MiB))} GiB`;
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, "");
}

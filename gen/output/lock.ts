import { createHash } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import { TOOL_NAME } from "../paths.js";
import { UserError } from "../spec/errors.js";
import { announceTemporary } from "./interrupt.js";

/**
 * One writer per output directory. Two runs writing the same directory at once (two gen
 * runs, two sweeps, a sweep and a merge) would race for its renames; the second run to
 * come finds the first one's lock and stops with a clear message, before writing anything.
 * A lock is a file beside the directory, `.pwlgen-<key>.lock`, created exclusively and
 * holding its owner's process id; a lock whose process is gone (kill -9) is taken over.
 */
export interface Lock {
  release(): void;
}

/** A short key for a directory's name: temporary and lock names stay short whatever it is. */
export function nameKey(path: string): string {
  return createHash("sha256").update(basename(path)).digest("hex").slice(0, 12);
}

export function lockFile(path: string): string {
  return join(dirname(path), `.${TOOL_NAME}-${nameKey(path)}.lock`);
}

/** Takes the lock of the directory at `path` (absolute), or throws a UserError naming `target`. */
export function lockDirectory(path: string, target: string, label = "--out-dir"): Lock {
  const file = lockFile(path);
  for (let attempt = 0; ; attempt++) {
    announceTemporary(file, true);
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o644);
    } catch (error) {
      announceTemporary(file, false);
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new UserError(
          label,
          target,
          `cannot be locked (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        );
      }
      const owner = lockOwner(file);
      if (owner !== undefined && attempt < 3 && !processExists(owner)) {
        rmSync(file, { force: true });
        continue;
      }
      throw busy(file, owner, target, label);
    }
    writeSync(fd, `${process.pid} ${threadId}\n`);
    closeSync(fd);
    return {
      release: () => {
        rmSync(file, { force: true });
        announceTemporary(file, false);
      },
    };
  }
}

/**
 * Refuses, before any work, a directory another run is writing (its lock's process is
 * alive); the lock itself is taken when writing starts.
 */
export function refuseIfLocked(path: string, target: string, label = "--out-dir"): void {
  const file = lockFile(path);
  const owner = lockOwner(file);
  if (owner !== undefined && processExists(owner)) throw busy(file, owner, target, label);
}

function busy(file: string, owner: number | undefined, target: string, label: string): UserError {
  return new UserError(
    label,
    target,
    `is being written by another ${TOOL_NAME} run${owner === undefined ? "" : ` (process ${owner})`}; wait for it to finish, or choose another directory (its lock is ${file})`,
  );
}

/** The process id a lock file names (its first 64 bytes), if it names one. */
function lockOwner(file: string): number | undefined {
  let fd: number | undefined;
  try {
    // Non-blocking: whatever is at that name (a FIFO, say) must not hang this run.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(64);
    const length = readSync(fd, buffer, 0, 64, 0);
    const pid = Number(/^(\d+)/.exec(buffer.toString("utf8", 0, length))?.[1]);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

/**
 * A process that has exited but was not reaped (its parent is gone and PID 1 of a
 * container does not reap) still answers signal 0; on Linux its state in /proc says so.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the command name, which is in parentheses and may hold spaces.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

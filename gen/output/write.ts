import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import { FILE_LIMITS, type FileLimit, readUserFile } from "../input/files.js";
import { UserError } from "../spec/errors.js";
import { TOOL_NAME } from "../paths.js";
import { announceTemporary, commit } from "./interrupt.js";
import { type Lock, lockDirectory, nameKey, processExists, refuseIfLocked } from "./lock.js";
import { createDirectories, isMountPoint, outputPlace } from "./places.js";

export { containsOrIs, realPath } from "./places.js";
export { processExists } from "./lock.js";

/**
 * Writes an output directory atomically: files go to a temporary sibling directory which
 * is renamed into place only when complete, so a failed or killed run leaves either the
 * previous directory or nothing, never a partial one. One run at a time writes a
 * directory (lock.ts); the places pwlgen never writes are in places.ts.
 *
 * An existing directory is replaced without --force only if pwlgen wrote it and nothing
 * else: its manifest.json names pwlgen, lists exactly the files that are there, and the
 * module's header carries the manifest's spec hash. A directory with other files (a
 * user's notes, a subfolder) or not made by pwlgen needs --force.
 */
export interface StagedDirectory {
  /** Where the files are now (write more, or rewrite some, before commit). */
  readonly path: string;
  write(name: string, contents: string): void;
  commit(): void;
  discard(): void;
}

/**
 * Refuses, before any work, an output directory pwlgen may not make or replace (see
 * above). Returns where the directory really is (a symbolic link to it followed).
 */
export function checkReplaceable(
  target: string,
  force: boolean,
  label = "--out-dir",
  owned: (dir: string) => true | string = unitOwnership,
): string {
  const path = replaceablePlace(target, force, label, owned);
  refuseIfLocked(path, target, label);
  return path;
}

/** checkReplaceable without looking for another run's lock (for the lock's own holder). */
function replaceablePlace(
  target: string,
  force: boolean,
  label: string,
  owned: (dir: string) => true | string = unitOwnership,
): string {
  const place = outputPlace(target, label);
  if (!place.exists) return place.path;
  if (isMountPoint(place.path)) {
    throw new UserError(
      label,
      target,
      "is a mount point, which cannot be replaced by renaming; give a directory inside it",
    );
  }
  if (force) return place.path;
  const verdict = owned(place.path);
  if (verdict === true) return place.path;
  throw new UserError(label, target, `${verdict}; choose another directory or pass --force to replace it`);
}

/**
 * Whether a directory holds a unit pwlgen wrote and nothing else (true), or why not.
 * An empty directory counts as pwlgen's: there is nothing to lose.
 */
export function unitOwnership(dir: string): true | string {
  const entries = readdirSync(dir);
  if (entries.length === 0) return true;
  const notOurs = `exists and was not made by ${TOOL_NAME}`;
  const manifest = readSmallFile(join(dir, "manifest.json"), FILE_LIMITS.manifest);
  if (manifest === undefined) return notOurs;
  let data: { tool?: { name?: unknown }; files?: unknown; specHash?: unknown };
  try {
    data = JSON.parse(manifest) as typeof data;
  } catch {
    return notOurs;
  }
  const files = data.files;
  if (
    data.tool?.name !== TOOL_NAME ||
    typeof data.specHash !== "string" ||
    typeof files !== "object" ||
    files === null ||
    !Object.values(files).every((name) => typeof name === "string" && name === basename(name))
  ) {
    return notOurs;
  }
  const listed = new Set<string>(["manifest.json", ...(Object.values(files) as string[])]);
  const extra = entries.filter((name) => !listed.has(name) || !lstatSync(join(dir, name)).isFile());
  if (extra.length > 0) {
    const shown = extra
      .sort()
      .slice(0, 3)
      .map((name) => (lstatSync(join(dir, name)).isDirectory() ? `${name}/` : name));
    return `holds files ${TOOL_NAME} did not write (${shown.join(", ")}${extra.length > 3 ? ", ..." : ""})`;
  }
  // The Verilog module carries the spec hash, or the VHDL entity of a unit without Verilog.
  const named = files as { module?: unknown; vhdlModule?: unknown };
  const module = named.module ?? named.vhdlModule;
  const header =
    typeof module === "string" ? readSmallFile(join(dir, module), FILE_LIMITS.verilog, 1024) : undefined;
  if (header === undefined || !header.includes(`spec hash ${data.specHash}`)) {
    return `has a manifest.json that does not match its files (was it edited?)`;
  }
  return true;
}

/**
 * The start of a regular file (at most `head` bytes), or undefined if it is not one (a
 * FIFO, a link, a device) or is larger than `limit`: see readUserFile.
 */
export function readSmallFile(path: string, limit: FileLimit, head?: number): string | undefined {
  try {
    return readUserFile(path, { field: "file", limit, noFollow: true, ...(head ? { headBytes: head } : {}) });
  } catch {
    return undefined;
  }
}

/** This thread's suffix for temporary names: the process id, and the worker thread's id. */
function owner(): string {
  return threadId === 0 ? `${process.pid}` : `${process.pid}-${threadId}`;
}

/** A temporary sibling of `path`: short, whatever the length of its name. */
function siblingName(path: string, kind: "tmp" | "old"): string {
  return join(dirname(path), `.${TOOL_NAME}-${nameKey(path)}-${owner()}.${kind}`);
}

/** Announces a temporary path to the interrupt handler (see interrupt.ts). */
export function trackTemporary(path: string): void {
  announceTemporary(path, true);
}

/** Removes a temporary path and tells the interrupt handler. */
export function releaseTemporary(path: string): void {
  rmSync(path, { recursive: true, force: true });
  announceTemporary(path, false);
}

/**
 * Stages a directory's files (and, with `copy`, more content) beside `target` and returns
 * the handle that commits it. The target's lock is held from here to commit or discard.
 */
export function stageDirectory(
  target: string,
  files: ReadonlyMap<string, string>,
  options: {
    readonly force: boolean;
    readonly label?: string;
    /** Whether an existing directory is pwlgen's to replace without --force (default: a unit). */
    readonly owned?: (dir: string) => true | string;
  },
): StagedDirectory {
  const { force, label = "--out-dir", owned } = options;
  const finalPath = checkReplaceable(target, force, label, owned);
  const parent = dirname(finalPath);
  const parents = createDirectories(parent, label, target);
  let lock: Lock;
  try {
    lock = lockDirectory(finalPath, target, label);
  } catch (error) {
    parents.remove();
    throw error;
  }
  const temp = siblingName(finalPath, "tmp");
  const abandon = (): void => {
    releaseTemporary(temp);
    lock.release();
    parents.remove();
  };
  try {
    // Under the lock, the directory may have changed since the first check.
    replaceablePlace(target, force, label, owned);
    removeStale(finalPath);
    announceTemporary(temp, true);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    for (const [name, contents] of files) writeInto(temp, name, contents);
  } catch (error) {
    abandon();
    if (error instanceof UserError) throw error;
    throw new UserError(
      label,
      target,
      `cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return {
    path: temp,
    write: (name, contents) => writeInto(temp, name, contents),
    discard: abandon,
    commit: () => {
      const old = siblingName(finalPath, "old");
      let hadOld = false;
      try {
        commit(target, () => {
          hadOld = lstatExists(finalPath);
          if (hadOld) {
            announceTemporary(old, true);
            renameSync(finalPath, old);
          }
          try {
            renameSync(temp, finalPath);
          } catch (error) {
            if (hadOld) renameSync(old, finalPath);
            throw error;
          }
        });
      } catch (error) {
        abandon();
        throw error;
      }
      announceTemporary(temp, false);
      if (hadOld) releaseTemporary(old);
      lock.release();
      parents.keep();
    },
  };
}

function writeInto(dir: string, name: string, contents: string): void {
  if (name !== basename(name)) throw new Error(`internal: file name ${name} is not a plain name`);
  writeFileSync(join(dir, name), contents);
}

function lstatExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Leftovers of runs that were killed (kill -9 cannot be caught): temporary siblings of
 * the target whose process no longer exists. The target itself was never touched.
 */
function removeStale(finalPath: string): void {
  const pattern = new RegExp(`^\\.${TOOL_NAME}-${nameKey(finalPath)}-(\\d+)(-\\d+)?\\.(tmp|old)$`);
  const parent = dirname(finalPath);
  for (const entry of readdirSync(parent)) {
    const match = pattern.exec(entry);
    const pid = Number(match?.[1]);
    const thread = match?.[2] ? Number(match[2].slice(1)) : 0;
    if (match && ((pid === process.pid && thread === threadId) || !processExists(pid)))
      removeBestEffort(join(parent, entry));
  }
}

/**
 * Removes a leftover directory, or leaves it for a later run: a program the dead process
 * started may still be writing there (ENOTEMPTY), and that must not fail this run.
 */
export function removeBestEffort(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // left for the next run
  }
}

/**
 * Replaces files of a directory together: each is written beside its final name, then all
 * are renamed into place in one commit (synth and sim record their results this way).
 */
export function writeTogether(dir: string, files: readonly (readonly [string, string])[]): void {
  const temporary = files.map(([path, contents]) => {
    const temp = `${path}.${process.pid}.tmp`;
    trackTemporary(temp);
    writeFileSync(temp, contents);
    return [temp, path] as const;
  });
  commit(dir, () => temporary.forEach(([temp, path]) => renameSync(temp, path)));
  temporary.forEach(([temp]) => releaseTemporary(temp));
}

import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { threadId } from "node:worker_threads";
import { UserError } from "../spec/errors.js";
import { TOOL_NAME } from "../paths.js";

/**
 * Writes an output directory atomically: files go to a temporary sibling directory which
 * is renamed into place only when complete, so a failed or killed run leaves either the
 * previous directory or nothing, never a partial one. An existing directory is replaced
 * only if pwlgen made it (its manifest.json names the tool) or with force.
 */
export interface StagedDirectory {
  /** Where the files are now (write more, or rewrite some, before commit). */
  readonly path: string;
  write(name: string, contents: string): void;
  commit(): void;
  discard(): void;
}

export function checkReplaceable(target: string, force: boolean, label = "--out-dir"): void {
  if (!checkCreatable(target, label)) return;
  if (force || madeByPwlgen(target)) return;
  throw new UserError(
    label,
    target,
    `exists and was not made by ${TOOL_NAME}; choose another directory or pass --force`,
  );
}

/**
 * Whether an output directory exists (false: it can be created). Refuses a path that
 * exists and is not a directory, one below a file, and, --force or not, the current
 * directory, any directory above it, the home directory and the root: replacing those
 * would delete the user's own files.
 */
export function checkCreatable(target: string, label = "--out-dir"): boolean {
  const path = resolve(target);
  const real = realPath(path);
  const home = realPath(homedir());
  if (containsOrIs(real, realPath(process.cwd())) || real === home || dirname(real) === real) {
    throw new UserError(
      label,
      target,
      "is the current directory, one above it, the home directory or the root; give a directory of its own",
    );
  }
  if (!existsSync(path)) {
    // The nearest existing ancestor must be a directory we can create the target in.
    let ancestor = dirname(path);
    while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
    if (!statSync(ancestor).isDirectory())
      throw new UserError(label, target, `cannot be created: ${ancestor} is not a directory`);
    return false;
  }
  if (!statSync(path).isDirectory()) throw new UserError(label, target, "exists and is not a directory");
  return true;
}

/** A path with symbolic links resolved, for the part of it that exists. */
export function realPath(target: string): string {
  const path = resolve(target);
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  return join(realpathSync(existing), relative(existing, path));
}

/** Whether `outer` is `inner` or a directory above it. */
export function containsOrIs(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** This thread's suffix for temporary names: the process id, and the worker thread's id. */
function owner(): string {
  return threadId === 0 ? `${process.pid}` : `${process.pid}-${threadId}`;
}

/**
 * Temporary directories in use (staged outputs, simulator scratch), removed by
 * discardStaged: the CLI's SIGINT/SIGTERM handler.
 */
const staging = new Set<string>();

export function trackTemporary(path: string): void {
  staging.add(path);
}

export function releaseTemporary(path: string): void {
  rmSync(path, { recursive: true, force: true });
  staging.delete(path);
}

/** Directories where worker threads of this process stage outputs (sweep points). */
const workerParents = new Set<string>();

export function trackWorkerStaging(parent: string): void {
  workerParents.add(parent);
}

/** What an interrupted run leaves: nothing, or a sweep's finished points. */
export function interruptedNote(): string {
  return workerParents.size > 0
    ? "finished sweep points are kept; run the same command again to resume"
    : "nothing was written";
}

/**
 * Removes every temporary directory this process is using (on SIGINT or SIGTERM),
 * including those its worker threads staged in the tracked parents.
 */
export function discardStaged(): void {
  for (const temp of staging) rmSync(temp, { recursive: true, force: true });
  staging.clear();
  // Worker threads' staged outputs, and their simulators' scratch directories.
  if (workerParents.size === 0) return;
  const remove = (parent: string, pattern: RegExp): void => {
    if (!existsSync(parent)) return;
    for (const entry of readdirSync(parent)) {
      if (pattern.test(entry)) rmSync(join(parent, entry), { recursive: true, force: true });
    }
  };
  for (const parent of workerParents)
    remove(parent, new RegExp(`^\\..*\\.${TOOL_NAME}-${process.pid}(-\\d+)?\\.(tmp|old)$`));
  remove(tmpdir(), new RegExp(`^${TOOL_NAME}-[a-z]+-${process.pid}-`));
}

export function stageDirectory(
  target: string,
  files: ReadonlyMap<string, string>,
  force: boolean,
): StagedDirectory {
  const finalPath = resolve(target);
  checkReplaceable(finalPath, force);
  const parent = dirname(finalPath);
  const temp = join(parent, `.${basename(finalPath)}.${TOOL_NAME}-${owner()}.tmp`);
  try {
    mkdirSync(parent, { recursive: true });
    removeStale(parent, basename(finalPath));
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
  } catch (error) {
    throw new UserError(
      "--out-dir",
      target,
      `cannot be created (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  staging.add(temp);
  const write = (name: string, contents: string): void => {
    if (name !== basename(name)) throw new Error(`internal: file name ${name} is not a plain name`);
    writeFileSync(join(temp, name), contents);
  };
  try {
    for (const [name, contents] of files) write(name, contents);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return {
    path: temp,
    write,
    discard: () => {
      rmSync(temp, { recursive: true, force: true });
      staging.delete(temp);
    },
    commit: () => {
      const old = join(parent, `.${basename(finalPath)}.${TOOL_NAME}-${owner()}.old`);
      const hadOld = existsSync(finalPath);
      if (hadOld) renameSync(finalPath, old);
      try {
        renameSync(temp, finalPath);
      } catch (error) {
        if (hadOld) renameSync(old, finalPath);
        rmSync(temp, { recursive: true, force: true });
        throw error;
      }
      staging.delete(temp);
      if (hadOld) rmSync(old, { recursive: true, force: true });
    },
  };
}

/**
 * Leftovers of runs that were killed (kill -9 cannot be caught): temporary siblings of
 * the target whose process no longer exists. The target itself was never touched.
 */
function removeStale(parent: string, name: string): void {
  const pattern = new RegExp(
    `^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.${TOOL_NAME}-(\\d+)(-\\d+)?\\.(tmp|old)$`,
  );
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

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function madeByPwlgen(dir: string): boolean {
  try {
    const data = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { tool?: { name?: string } };
    return data.tool?.name === TOOL_NAME;
  } catch {
    return false;
  }
}

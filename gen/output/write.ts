import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
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
  if (!existsSync(target)) {
    // The nearest existing ancestor must be a directory we can create the target in.
    let ancestor = dirname(resolve(target));
    while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
    if (!statSync(ancestor).isDirectory())
      throw new UserError(label, target, `cannot be created: ${ancestor} is not a directory`);
    return;
  }
  if (!statSync(target).isDirectory()) throw new UserError(label, target, "exists and is not a directory");
  if (force || madeByPwlgen(target)) return;
  throw new UserError(
    label,
    target,
    `exists and was not made by ${TOOL_NAME}; choose another directory or pass --force`,
  );
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

/** Removes every temporary directory this process is using (on SIGINT or SIGTERM). */
export function discardStaged(): void {
  for (const temp of staging) rmSync(temp, { recursive: true, force: true });
  staging.clear();
}

export function stageDirectory(
  target: string,
  files: ReadonlyMap<string, string>,
  force: boolean,
): StagedDirectory {
  const finalPath = resolve(target);
  checkReplaceable(finalPath, force);
  const parent = dirname(finalPath);
  const temp = join(parent, `.${basename(finalPath)}.${TOOL_NAME}-${process.pid}.tmp`);
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
      const old = join(parent, `.${basename(finalPath)}.${TOOL_NAME}-${process.pid}.old`);
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
    `^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.${TOOL_NAME}-(\\d+)\\.(tmp|old)$`,
  );
  for (const entry of readdirSync(parent)) {
    const match = pattern.exec(entry);
    const pid = Number(match?.[1]);
    if (match && (pid === process.pid || !processExists(pid)))
      rmSync(join(parent, entry), { recursive: true, force: true });
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

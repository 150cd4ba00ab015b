import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new UserError(label, target, "exists and is not a directory");
  if (force || madeByPwlgen(target)) return;
  throw new UserError(
    label,
    target,
    `exists and was not made by ${TOOL_NAME}; choose another directory or pass --force`,
  );
}

export function stageDirectory(
  target: string,
  files: ReadonlyMap<string, string>,
  force: boolean,
): StagedDirectory {
  const finalPath = resolve(target);
  checkReplaceable(finalPath, force);
  const parent = dirname(finalPath);
  mkdirSync(parent, { recursive: true });
  const temp = join(parent, `.${basename(finalPath)}.${TOOL_NAME}-${process.pid}.tmp`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
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
    discard: () => rmSync(temp, { recursive: true, force: true }),
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
      if (hadOld) rmSync(old, { recursive: true, force: true });
    },
  };
}

function madeByPwlgen(dir: string): boolean {
  try {
    const data = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { tool?: { name?: string } };
    return data.tool?.name === TOOL_NAME;
  } catch {
    return false;
  }
}

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's root folder (holding package.json and templates/), from source or from dist/. */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export const TOOL_NAME = "pwlgen";
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }
).version;

export const TEMPLATE_DIR = join(PACKAGE_ROOT, "templates");

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "templates"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`pwlgen: cannot find the package root above ${from}`);
    dir = parent;
  }
  return dir;
}

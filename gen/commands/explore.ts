import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { z } from "zod";
import { FILE_LIMITS } from "../input/files.js";
import { readSmallFile } from "../output/write.js";
import { TOOL_NAME } from "../paths.js";
import { commandOptions } from "../spec/cli-options.js";
import { UserError } from "../spec/errors.js";
import { EXPLORER_FILE, MARKER } from "../sweep/names.js";

/** `pwlgen explore DIR`: the sweep explorer page of a sweep directory (see gen/sweep/explorer.ts). */
export const exploreShape = {
  open: z
    .boolean()
    .default(true)
    .describe("open the page in the desktop's browser when there is one (--no-open only prints its path)"),
};
const exploreSchema = z.object(exploreShape).strict();

export function exploreCommand(argv: Record<string, unknown>): number {
  const options = commandOptions(exploreSchema, exploreShape, argv);
  const page = explorerPage(String(argv.dir));
  console.log(page);
  if (options.open) openPage(page);
  return 0;
}

/** The absolute path of a sweep directory's index.html; a UserError naming DIR if there is none. */
export function explorerPage(dir: string): string {
  const notSweep = `is not a ${TOOL_NAME} sweep directory; give a directory written by ${TOOL_NAME} sweep or sweep merge`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError("DIR", dir, notSweep);
  const marker = readSmallFile(join(dir, MARKER), FILE_LIMITS.manifest);
  let ours = false;
  try {
    const data = JSON.parse(marker ?? "") as { tool?: unknown; kind?: unknown };
    ours = data.tool === TOOL_NAME && data.kind === "sweep";
  } catch {
    ours = false;
  }
  if (!ours) throw new UserError("DIR", dir, notSweep);
  const page = resolve(dir, EXPLORER_FILE);
  if (readSmallFile(page, FILE_LIMITS.sweep, 1) === undefined) {
    throw new UserError(
      "DIR",
      dir,
      `has no ${EXPLORER_FILE} (the sweep was interrupted, or written by an older ${TOOL_NAME}); run the same sweep again to write it (finished points come from the cache)`,
    );
  }
  return page;
}

/**
 * Opens the page where a desktop opener exists (macOS `open`; elsewhere `xdg-open` with a
 * display); otherwise, or if it fails, the printed path is all (never an error).
 */
function openPage(page: string): void {
  const opener =
    process.platform === "darwin"
      ? "open"
      : process.platform !== "win32" && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
        ? "xdg-open"
        : undefined;
  if (!opener || !onPath(opener)) return;
  try {
    const child = spawn(opener, [page], { detached: true, stdio: "ignore" });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // the path is printed
  }
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

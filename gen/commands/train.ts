import { readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InterruptedError, commit } from "../output/interrupt.js";
import { type Lock, lockDirectory, processExists } from "../output/lock.js";
import { createDirectories, outputPlace } from "../output/places.js";
import { FILE_LIMITS } from "../input/files.js";
import { readSmallFile, releaseTemporary, trackTemporary } from "../output/write.js";
import { commandOptions } from "../spec/cli-options.js";
import { UserError } from "../spec/errors.js";
import { TRAIN_TOOL, trainJson, trainMarkdown, trainPlot } from "../train/report.js";
import { train, trainDependents, trainSchema, trainShape } from "../train/train.js";

/** `pwlgen train`: trains, prints the table, writes train.json, train.md and train.svg. */
export async function trainCommand(argv: Record<string, unknown>): Promise<number> {
  const options = commandOptions(trainSchema, trainShape, argv, trainDependents);
  // Refuse an output directory we may not write before spending time on training.
  checkOutDir(options.outDir, options.force);
  const started = performance.now();
  const result = train(options);
  const files: [string, string][] = [
    ["train.json", `${JSON.stringify(trainJson(result, options), null, 2)}\n`],
    ["train.md", trainMarkdown(result)],
    ["train.svg", await trainPlot(result)],
  ];
  writeFiles(options.outDir, files);
  console.log(
    trainMarkdown(result)
      .split("\n")
      .slice(4, 6 + result.variants.length)
      .join("\n"),
  );
  for (const note of result.notes) console.log(note);
  console.log(
    `trained in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${options.outDir}/ (${files.map(([n]) => n).join(", ")})`,
  );
  return 0;
}

/** Temporary names of the files being written (`.train.json.<pid>.tmp`). */
const TEMPORARY = /^\.train\.(json|md|svg)\.(\d+)\.tmp$/;

/**
 * train writes its three files into --out-dir beside whatever else is there, so it must
 * own the directory: it does not exist yet, is empty, or holds a train.json of pwlgen
 * train; anything else (a pwlgen gen unit, a user's folder) needs --force.
 */
function checkOutDir(outDir: string, force: boolean): void {
  const place = outputPlace(outDir);
  if (force || !place.exists || madeByTrain(place.path)) return;
  const entries = readdirSync(place.path).filter((name) => !TEMPORARY.test(name));
  if (entries.length === 0) return;
  throw new UserError(
    "--out-dir",
    outDir,
    entries.includes("manifest.json")
      ? "is a pwlgen gen unit directory; choose another directory, or pass --force to add the train files to it"
      : "is not empty and was not written by pwlgen train; choose another directory or pass --force",
  );
}

function madeByTrain(dir: string): boolean {
  try {
    const data = JSON.parse(readSmallFile(join(dir, "train.json"), FILE_LIMITS.manifest) ?? "") as {
      tool?: { name?: string; command?: string };
    };
    return data.tool?.name === TRAIN_TOOL.name && data.tool.command === TRAIN_TOOL.command;
  } catch {
    return false;
  }
}

/**
 * Each file goes to a temporary name first and all are renamed into place only when every
 * one is written, so a failed run leaves the previous files; an interrupted one has its
 * temporary files (and the directories it made) removed by the CLI's supervisor, and those
 * of a killed one are removed by the next run. The directory is locked meanwhile.
 */
function writeFiles(outDir: string, files: readonly [string, string][]): void {
  const dir = outputPlace(outDir).path;
  const created = createDirectories(dir, "--out-dir", outDir);
  let lock: Lock;
  try {
    lock = lockDirectory(dir, outDir);
  } catch (error) {
    created.remove();
    throw error;
  }
  const temporary = files.map(([name]) => join(dir, `.${name}.${process.pid}.tmp`));
  try {
    checkOutDir(outDir, true);
    for (const name of readdirSync(dir)) {
      const pid = Number(TEMPORARY.exec(name)?.[2]);
      if (pid && !processExists(pid)) rmSync(join(dir, name), { force: true });
    }
    files.forEach(([, contents], i) => {
      trackTemporary(temporary[i]!);
      writeFileSync(temporary[i]!, contents);
    });
    commit(outDir, () => files.forEach(([name], i) => renameSync(temporary[i]!, join(dir, name))));
    created.keep();
  } catch (error) {
    created.remove();
    if (error instanceof UserError || error instanceof InterruptedError) throw error;
    throw new UserError(
      "--out-dir",
      outDir,
      `cannot be written (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  } finally {
    temporary.forEach(releaseTemporary);
    lock.release();
  }
}

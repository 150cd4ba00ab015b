import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commandOptions } from "../spec/cli-options.js";
import { trainJson, trainMarkdown, trainPlot } from "../train/report.js";
import { train, trainSchema, trainShape } from "../train/train.js";

/** `pwlgen train`: trains, prints the table, writes train.json, train.md and train.svg. */
export async function trainCommand(argv: Record<string, unknown>): Promise<number> {
  const options = commandOptions(trainSchema, trainShape, argv);
  const started = performance.now();
  const result = train(options);
  const files: [string, string][] = [
    ["train.json", `${JSON.stringify(trainJson(result, options), null, 2)}\n`],
    ["train.md", trainMarkdown(result)],
    ["train.svg", await trainPlot(result)],
  ];
  mkdirSync(options.outDir, { recursive: true });
  for (const [name, contents] of files) {
    const temp = join(options.outDir, `.${name}.${process.pid}.tmp`);
    writeFileSync(temp, contents);
    renameSync(temp, join(options.outDir, name));
  }
  console.log(
    trainMarkdown(result)
      .split("\n")
      .slice(4, 6 + result.variants.length)
      .join("\n"),
  );
  console.log(
    `trained in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${options.outDir}/ (${files.map(([n]) => n).join(", ")})`,
  );
  return 0;
}

import yargs from "yargs";
import { z } from "zod";
import { formatName, ulp } from "./fixed/format.js";
import { type PwlChannel, architectureText, hardwareSummary } from "./design/ir.js";
import { listFunctions } from "./functions/list.js";
import type { ChannelReport, Generation } from "./generate.js";
import { checkReplaceable } from "./output/write.js";
import { defaultOutputDir } from "./output/places.js";
import { InterruptedError, waitForExit } from "./output/interrupt.js";
import { stdoutColumns } from "./terminal.js";
import { showReal } from "./spec/bound.js";
import { commandOptions, switchNames, switchValueProblem, yargsOptions } from "./spec/cli-options.js";
import { MissingToolError, UserError } from "./spec/errors.js";
import {
  SIMULATORS,
  defaultModuleName,
  designShape,
  genDependents,
  genSchema,
  runShape,
  simulatorsOf,
} from "./spec/schema.js";
import { TOOL_NAME, TOOL_VERSION } from "./paths.js";
import { counted, didYouMean, samePrecision } from "./text.js";
import { exploreCommand, exploreShape } from "./commands/explore.js";
import { synthCommand, synthShape } from "./commands/synth.js";
import { mergeShape, sweepShape } from "./sweep/schema.js";
import type { Verification } from "../sim/verify.js";

/**
 * The command line: a thin layer over the library. Exit codes: 0 success, 1 a check
 * failed (simulation mismatch, lint warning), 2 bad input, 3 a required tool is missing.
 *
 * A command loads what it needs when it runs (generation, simulators, plotting, the sweep's
 * worker pool, training), so `pwlgen list` or `--help` does not wait for any of it.
 */
const simShape = {
  simulator: z
    .enum(SIMULATORS)
    .default("all")
    .describe("simulator(s) that lint the module and run its testbench"),
  lint: runShape.lint.describe(
    "lint the module first with -Wall in the chosen simulator(s) (verilator --lint-only, iverilog); --no-lint skips it",
  ),
  junit: z
    .string()
    .min(1)
    .optional()
    .describe(
      "also write the results as JUnit XML to this file (a testcase per lint and per simulator; a failure names the first mismatching input code)",
    ),
  trust: z
    .boolean()
    .default(false)
    .describe(
      "simulate Verilog that uses system tasks, directives or DPI imports pwlgen never emits ($system, $fopen, `include, ...): simulating runs the unit's code, so only for units you trust",
    ),
};
const simSchema = z.object(simShape).strict();

const EPILOG = `Exit codes: 0 ok, 1 a check failed, 2 bad input (nothing written), 3 a required tool is missing.`;

const COMMANDS = ["gen", "sim", "synth", "sweep", "explore", "train", "list"] as const;

export async function main(argv: readonly string[]): Promise<number> {
  // `pwlgen help [command]` is `pwlgen [command] --help`.
  const args =
    argv[0] === "help"
      ? [...argv.slice(1).filter((arg) => arg !== "help" && arg !== "--help"), "--help"]
      : argv;
  let exitCode = 0;
  const first = args[0];
  // train's options live with the training code: loaded for train, and for the switch check.
  const trainShape =
    first === "train" || args.some((arg) => /^--[^=]+=/.test(arg))
      ? (await import("./train/train.js")).trainShape
      : {};
  // yargs reads a switch given any value but "true" as false (--verify=yes would not verify).
  let switches: ReadonlySet<string> | undefined;
  const commandSwitches = (): ReadonlySet<string> =>
    (switches ??= new Set([
      ...["help", "version"], // yargs' own
      ...switchNames([
        { ...designShape, ...runShape },
        simShape,
        synthShape,
        sweepShape,
        mergeShape,
        exploreShape,
        trainShape,
      ]),
    ]));
  // yargs keeps the last of a repeated switch (--lint --no-lint): refuse repeats, as for values.
  const given = new Map<string, string[]>();
  for (const arg of args) {
    if (arg === "--") break;
    if (!arg.startsWith("--")) continue;
    const switchProblem = switchValueProblem(arg, commandSwitches);
    if (switchProblem) return reportError(switchProblem);
    const name = arg.slice(2).split("=")[0]!.replace(/^no-/, "");
    const spellings = [...(given.get(name) ?? []), arg];
    if (spellings.length > 1) {
      return reportError(
        new UserError(`--${name}`, spellings.join(" "), "is given more than once; give it once"),
      );
    }
    given.set(name, spellings);
  }
  if (first !== undefined && !first.startsWith("-") && !(COMMANDS as readonly string[]).includes(first)) {
    return reportError(
      new UserError(
        "command",
        first,
        `is not a ${TOOL_NAME} command; give one of: ${COMMANDS.join(", ")} (or help)${didYouMean(first, [...COMMANDS, "help"])}`,
      ),
    );
  }
  const cli = yargs([...args])
    .scriptName(TOOL_NAME)
    .version(TOOL_VERSION)
    .strict()
    // yargs lays out the help text for every command it runs (in case a handler shows it):
    // wrapping it costs some 60 ms, so it is wrapped only when help is asked for.
    .wrap(
      args.length === 0 || args.some((arg) => arg === "--help" || arg === "-h")
        ? Math.min(110, stdoutColumns() || 100)
        : null,
    )
    .epilog(EPILOG)
    // Errors are one line (below); yargs would otherwise lay out the whole help to fail.
    .showHelpOnFail(false)
    .fail((message, error) => {
      // yargs' own complaints (a flag without its value, an unknown flag) are user errors;
      // anything else thrown by a command is passed on untouched.
      if (error && error.name !== "YError") throw error;
      throw new UserError(
        "command line",
        args.join(" "),
        `is not valid: ${message ?? error?.message ?? "see --help"}`,
      );
    })
    .command(
      "gen",
      "generate a PWL unit: Verilog, testbench, vectors, manifest.json, report.md",
      (y) =>
        y
          .options(yargsOptions({ ...designShape, ...runShape }))
          .option("spec", {
            type: "string",
            requiresArg: true,
            describe: "read options from a JSON or YAML spec file (flags override it)",
          })
          .example(
            "$0 gen --function sigmoid --in s4.12 --out u1.15 --max-error 2^-10",
            "16-bit sigmoid within 2^-10",
          )
          .example(
            "$0 gen --function tanh --in s3.13 --out s1.15 --max-error 1e-3 --pipeline 2 --verify",
            "pipelined tanh, simulated in both simulators",
          )
          .example("$0 gen --spec unit.yaml --out-dir rtl-out/unit", "from a spec file"),
      async (argv) => {
        exitCode = await genCommand(argv as Record<string, unknown>);
      },
    )
    .command(
      "sim <dir>",
      "lint and simulate a generated unit against its golden-model vectors (simulating runs the unit's Verilog: what pwlgen never emits is refused unless --trust)",
      (y) =>
        y
          .positional("dir", { type: "string", describe: "a directory written by pwlgen gen" })
          .options(yargsOptions(simShape))
          .example("$0 sim rtl-out/pwl_sigmoid_s4_12_u1_15", "both simulators, exhaustive vectors"),
      async (argv) => {
        exitCode = await simCommand(argv as Record<string, unknown>);
      },
    )
    .command(
      "synth <dir>",
      "synthesize a generated unit with Yosys: LUTs, carry cells, DSPs, block RAMs, flip-flops (and Fmax)",
      (y) =>
        y
          .positional("dir", { type: "string", describe: "a directory written by pwlgen gen" })
          .options(yargsOptions(synthShape))
          .example(
            "$0 synth rtl-out/pwl_sigmoid_s4_12_u1_15 --target ice40 --json",
            "iCE40 cell counts as JSON",
          ),
      async (argv) => {
        refuseExtraArguments(argv as Record<string, unknown>, 0);
        exitCode = await synthCommand(argv as Record<string, unknown>);
      },
    )
    .command(
      "sweep",
      "sweep functions x bounds x formats x methods: sweep.csv, sweep.json, plots and the explorer page index.html (sweep merge joins shards)",
      (y) =>
        y
          .command(
            "merge <dirs..>",
            "join the outputs of sweep shards (--shard i/n) into one sweep directory",
            (m) =>
              m
                .positional("dirs", { type: "string", array: true, describe: "sweep directories (shards)" })
                .options(yargsOptions(mergeShape)),
            async (argv) => {
              const { mergeCommand } = await import("./commands/sweep.js");
              exitCode = await mergeCommand(argv as Record<string, unknown>);
            },
          )
          .options(yargsOptions(sweepShape))
          .option("spec", {
            type: "string",
            requiresArg: true,
            describe: "read sweep options from a JSON or YAML file (lists as arrays; flags override it)",
          })
          .example(
            "$0 sweep --function sigmoid,tanh,gelu,silu --max-error 2^-6,2^-8,2^-10,2^-12 --method optimal,lsq-greedy,uniform --in s4.12 --out s4.12 --verify --synth ice40",
            "4 x 4 x 3 points, verified and synthesized",
          )
          .example(
            "$0 sweep ... --shard 1/2 --out-dir shard1 && $0 sweep merge shard1 shard2 --out-dir all",
            "split and join",
          ),
      async (argv) => {
        refuseExtraArguments(argv as Record<string, unknown>, 0);
        const { sweepCommand } = await import("./commands/sweep.js");
        exitCode = await sweepCommand(argv as Record<string, unknown>);
      },
    )
    .command(
      "explore <dir>",
      "the sweep explorer of a sweep directory: prints the path of its index.html (and opens it on a desktop)",
      (y) =>
        y
          .positional("dir", {
            type: "string",
            describe: "a directory written by pwlgen sweep or sweep merge",
          })
          .options(yargsOptions(exploreShape))
          .example("$0 explore rtl-out/sweep", "charts, a sortable table and the command of every point"),
      (argv) => {
        refuseExtraArguments(argv as Record<string, unknown>, 0);
        exitCode = exploreCommand(argv as Record<string, unknown>);
      },
    )
    .command(
      "train",
      "train an MLP with the exact activation and with the PWL unit (f, and f' as slope or PWL)",
      (y) =>
        y
          .options(yargsOptions(trainShape))
          .option("spec", {
            type: "string",
            requiresArg: true,
            describe: "read options from a JSON or YAML file",
          })
          .example(
            "$0 train --function sigmoid --in s4.12 --out u1.15 --max-error 2^-8 --dataset moons",
            "exact vs pwl-slope vs pwl-pwl on two moons, 5 seeds",
          )
          .example("$0 train --design rtl-out/pwl_tanh_s3_13_s1_15 --dataset iris", "reuse a generated unit"),
      async (argv) => {
        refuseExtraArguments(argv as Record<string, unknown>, 0);
        const { trainCommand } = await import("./commands/train.js");
        exitCode = await trainCommand(argv as Record<string, unknown>);
      },
    )
    .command(
      "list",
      "list the functions --function accepts, with parameters, symmetry and formula",
      {},
      () => {
        console.log(listFunctions());
      },
    )
    .demandCommand(1, `give a command: ${COMMANDS.join(", ")}`)
    .help();
  // yargs prints help with console.log: put a space where cliui glues the type on.
  const log = console.log;
  if (args.includes("--help")) console.log = (...parts: unknown[]) => log(...parts.map(spacedHelp));
  try {
    await cli.parseAsync();
    return exitCode;
  } catch (error) {
    return reportError(error);
  } finally {
    console.log = log;
  }
}

/**
 * cliui, which lays out yargs' help, glues an option's type to a description that ends one
 * column before it ("... before writing it[boolean]"): part them.
 */
export function spacedHelp(text: unknown): unknown {
  return typeof text === "string"
    ? text.replace(/(\S)(\[(?:boolean|string|number|array|count|required)\])$/gm, "$1 $2")
    : text;
}

function reportError(error: unknown): number | Promise<number> {
  // A commit refused after an interrupt: the supervisor is ending this thread.
  if (error instanceof InterruptedError) return waitForExit();
  if (error instanceof UserError || error instanceof MissingToolError) {
    console.error(`${TOOL_NAME}: error: ${error.message}`);
    return error.exitCode;
  }
  console.error(`${TOOL_NAME}: internal error (please report it):`);
  console.error(error instanceof Error ? error.stack : String(error));
  return 1;
}

/** Commands take no positional arguments beyond their declared ones (e.g. after "--"). */
function refuseExtraArguments(argv: Record<string, unknown>, declared: number): void {
  const extra = ((argv._ as unknown[] | undefined) ?? []).slice(1 + declared);
  if (extra.length > 0)
    throw new UserError("command line", extra.map(String).join(" "), "is not an option of this command");
}

async function genCommand(argv: Record<string, unknown>): Promise<number> {
  refuseExtraArguments(argv, 0);
  const started = performance.now();
  const shape = { ...designShape, ...runShape };
  const options = commandOptions(genSchema, shape, argv, genDependents);
  const { outDir, verify, simulator, lint, force, hdl, export: exports, ...spec } = options;
  // Refuse a directory we may not replace before spending time on the design.
  const dir = outDir ?? defaultOutputDir(spec.module ?? defaultModuleName(spec));
  checkReplaceable(dir, force);
  // And simulators --verify needs.
  if (verify) {
    const [{ requireSimulators }, { chosenSimulators }] = await Promise.all([
      import("../sim/tools.js"),
      import("../sim/verify.js"),
    ]);
    requireSimulators(chosenSimulators(simulator ?? "all", simulatorsOf(hdl)));
  }
  const [{ generateFromSpec }, { writeUnit }] = await Promise.all([
    import("./generate.js"),
    import("./write.js"),
  ]);
  if (spec.selectBy === "yosys") await (await import("./synth/yosys.js")).prepareYosys();
  const generation = generateFromSpec(spec);
  printSummary(generation);
  const written = await writeUnit(generation, { outDir: dir, force, verify, simulator, lint, hdl, exports });
  if (written.verification) printVerification(written.verification);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `  wrote ${written.dir}/ (${[...written.unit.files.keys()].join(", ")}) in ${seconds.toFixed(2)} s`,
  );
  return written.verification?.passed === false ? 1 : 0;
}

async function simCommand(argv: Record<string, unknown>): Promise<number> {
  refuseExtraArguments(argv, 0);
  const options = commandOptions(simSchema, simShape, argv);
  // A report that could not be written is refused before anything runs.
  if (options.junit !== undefined) {
    const { checkJunitPath } = await import("../sim/junit.js");
    checkJunitPath(options.junit);
  }
  const { verifyUnit } = await import("../sim/verify.js");
  const verification = await verifyUnit(String(argv.dir), options.simulator, {
    lint: options.lint,
    trust: options.trust,
  });
  printVerification(verification);
  if (options.junit !== undefined) {
    const [{ writeJunit }, { verificationJunit }] = await Promise.all([
      import("../sim/junit.js"),
      import("../sim/verify.js"),
    ]);
    writeJunit(options.junit, verificationJunit(verification));
    console.log(`wrote ${options.junit}`);
  }
  await recordSimulation(String(argv.dir), verification);
  return verification.passed ? 0 : 1;
}

/**
 * Records a simulation in the unit's manifest.json and report.md, as gen --verify does; a
 * unit in a folder pwlgen may not write (read-only, another user's) keeps its files.
 */
async function recordSimulation(dir: string, verification: Verification): Promise<void> {
  const { recordVerification } = await import("./report/verification.js");
  try {
    recordVerification(dir, verification.results);
    console.log("recorded in manifest.json and report.md");
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    // Another run holds the unit's lock: the results stand, unrecorded.
    if (error instanceof UserError) {
      console.log(`not recorded in manifest.json and report.md: ${error.message}`);
      return;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EPERM" && code !== "EROFS") throw error;
    console.log(`not recorded in manifest.json and report.md: ${dir} is not writable (${code})`);
  }
}

const LINT_LABEL = { clean: "clean", warnings: "WARNINGS", errors: "ERRORS" } as const;

function printVerification(verification: Verification): void {
  for (const result of verification.lint) {
    console.log(`lint ${result.tool.padEnd(9)} ${LINT_LABEL[result.status]}  (${result.command})`);
    result.messages.slice(0, 10).forEach((message) => console.log(`  ${message}`));
  }
  for (const result of verification.results) {
    const { failure } = result;
    console.log(
      `${result.simulator.padEnd(9)} ${result.passed ? "PASS" : "FAIL"}  ` +
        (failure
          ? `${failure.stage === "compile" ? "compile error" : "no RESULT line"}: ${failure.message}`
          : `${result.vectors} vectors, ${result.mismatches} mismatches, ${result.seconds.toFixed(1)} s`),
    );
    result.firstMismatches.forEach((line) => console.log(`  mismatch ${line}`));
    result.diagnostics
      ?.filter((line) => line !== failure?.message)
      .forEach((line) => console.log(`  ${line}`));
  }
}

function printSummary(generation: Generation): void {
  const { design } = generation;
  console.log(
    `${design.module}: ${design.function} ${formatName(design.input)} -> ${formatName(design.y.output)}`,
  );
  printTable("y", design, design.y, generation.y);
  const dy = design.dy;
  if (dy?.kind === "pwl" && generation.dy) printTable("dy", design, dy, generation.dy);
  else if (dy && generation.dy) {
    const a = generation.dy.accuracy;
    console.log(
      `  dy: slope of the active segment as ${formatName(dy.output)}, error vs f' max ${a.max.toPrecision(4)}, ` +
        `mean ${a.mean.toPrecision(4)}, rms ${a.rms.toPrecision(4)} (no bound)`,
    );
  }
}

function printTable(
  port: string,
  design: Generation["design"],
  channel: PwlChannel,
  report: ChannelReport,
): void {
  const hw = hardwareSummary(design.input, channel);
  const accuracy = report.accuracy;
  const outUlp = ulp(channel.output);
  const method = report.provenance?.method ?? "optimal";
  const unfolded = report.provenance?.unfolded;
  const how = method === "optimal" ? "minimum, " : method === "lsq-greedy" ? "lsq-greedy, " : "";
  console.log(
    `  ${port}: ${counted(hw.segments, "segment")} (${how}${architectureText(channel)}${unfolded === "infeasible" ? "; infeasible without folding" : unfolded ? `; ${unfolded.segments} without folding` : ""}), ` +
      `max error ${boundComparison(accuracy.max, channel.bound, outUlp)}, ` +
      `mean ${accuracy.mean.toPrecision(4)}, rms ${accuracy.rms.toPrecision(4)}`,
  );
  console.log(
    `      slope ${formatName(channel.slopeFormat)}, intercept ${formatName(channel.interceptFormat)}, ROM ${hw.romBits} bits` +
      (hw.romEntries !== hw.segments ? ` (${hw.romEntries} entries)` : "") +
      ", " +
      (channel.select.kind === "tree"
        ? `${counted(hw.comparators, "comparator")} (depth ${hw.treeDepth})`
        : "no comparators") +
      `, latency ${design.pipeline}`,
  );
  const choice = report.choice;
  if (choice) {
    const winner = choice.candidates[0]!;
    const cells = winner.measured ?? winner.estimate;
    const how = winner.measured
      ? `measured by Yosys, the cheapest of ${counted(choice.candidates.filter((c) => c.measured).length, "finalist")} synthesized (${counted(choice.candidates.length, "candidate")} built)`
      : `estimated, the cheapest of ${counted(choice.candidates.length, "candidate")}`;
    console.log(
      `      ${choice.method} for ${choice.target}: ${cells.lut} LUTs, ${counted(cells.dsp, "DSP")}` +
        `${cells.bram ? `, ${cells.bram} BRAM` : ""} ${how}` +
        `${choice.method === "auto" ? `; optimal${choice.optimalSlopeDigits !== undefined ? ` (${choice.optimalSlopeDigits}-digit slopes)` : ""} needs ${counted(choice.optimalSegments, "segment")}` : ""}`,
    );
  }
}

/**
 * "0.0009766 (32.00 ulp) <= bound 2^-10": a bound that is a power of two is shown as one;
 * any other is printed with the same precision as the error, so that an error just under
 * it does not read as above it (and an error equal to it says "= bound").
 */
function boundComparison(max: number, bound: number, outUlp: number): string {
  const ulps = `(${(max / outUlp).toFixed(2)} ulp)`;
  const relation = max === bound ? "= bound" : "<= bound";
  if (Number.isInteger(Math.log2(bound)))
    return `${max.toPrecision(4)} ${ulps} ${relation} ${showReal(bound)}`;
  const [maxText, boundText] = samePrecision(max, bound);
  return `${maxText} ${ulps} ${relation} ${boundText}`;
}

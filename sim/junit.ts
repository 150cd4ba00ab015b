import { existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { commit } from "../gen/output/interrupt.js";
import { createDirectories } from "../gen/output/places.js";
import { releaseTemporary, trackTemporary } from "../gen/output/write.js";
import { UserError } from "../gen/spec/errors.js";
import { firstMismatch } from "./testbench.js";
import type { SimResult } from "./types.js";

/**
 * JUnit XML, the test report format CI systems show (Jenkins, GitLab, GitHub Actions
 * reporters): `pwlgen sim --junit` writes one testcase per simulator run (and per lint),
 * `pwlgen sweep --junit` one per sweep point. A failing testcase carries the first
 * mismatch, input code, expected and got, in its message. The structure follows the
 * schema CI systems validate against (test/fixtures/junit.xsd): testsuites > testsuite
 * (which counts its tests) > testcase (named) > failure (message, type, text).
 */
export interface JunitCase {
  readonly name: string;
  readonly classname: string;
  readonly seconds?: number;
  readonly failure?: { readonly type: string; readonly message: string; readonly text?: string };
  readonly skipped?: string;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
}

/** Text for an XML attribute or element: the five special characters escaped, controls dropped. */
function xmlText(text: string): string {
  return (
    text
      // XML 1.0 has no way to write most control characters; a tool's output may hold some.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "?")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

const time = (seconds: number | undefined): string =>
  seconds === undefined ? "" : ` time="${seconds.toFixed(3)}"`;

export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const count = (suite: JunitSuite, what: "failure" | "skipped"): number =>
    suite.cases.filter((c) => c[what] !== undefined).length;
  const total = (what: "failure" | "skipped" | "tests"): number =>
    suites.reduce((sum, suite) => sum + (what === "tests" ? suite.cases.length : count(suite, what)), 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(name)}" tests="${total("tests")}" failures="${total("failure")}" errors="0">`,
  ];
  for (const suite of suites) {
    const timed = suite.cases.some((c) => c.seconds !== undefined);
    const seconds = timed ? suite.cases.reduce((sum, c) => sum + (c.seconds ?? 0), 0) : undefined;
    lines.push(
      `  <testsuite name="${xmlText(suite.name)}" tests="${suite.cases.length}" failures="${count(suite, "failure")}" errors="0" skipped="${count(suite, "skipped")}"${time(seconds)}>`,
    );
    for (const c of suite.cases) {
      const open = `    <testcase name="${xmlText(c.name)}" classname="${xmlText(c.classname)}"${time(c.seconds)}`;
      if (!c.failure && c.skipped === undefined) {
        lines.push(`${open}/>`);
        continue;
      }
      lines.push(`${open}>`);
      if (c.failure) {
        const text = c.failure.text ? xmlText(c.failure.text) : "";
        lines.push(
          `      <failure type="${xmlText(c.failure.type)}" message="${xmlText(c.failure.message)}">${text}</failure>`,
        );
      }
      if (c.skipped !== undefined) lines.push(`      <skipped message="${xmlText(c.skipped)}"/>`);
      lines.push("    </testcase>");
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>", "");
  return lines.join("\n");
}

/** A simulation's outcome as a testcase of the unit's suite. */
export function simulationCase(module: string, result: SimResult): JunitCase {
  const base = { name: result.simulator, classname: `${module}.simulation`, seconds: result.seconds };
  if (result.passed) return base;
  return { ...base, failure: { type: "mismatch", ...simulationFailure(result) } };
}

/** Why a run failed, in one line, with the first mismatching input code when there is one. */
export function simulationFailure(result: SimResult): { message: string; text: string } {
  const mismatch = firstMismatch(result);
  const message = result.failure
    ? `${result.failure.stage === "compile" ? "compile error" : "no RESULT line"}: ${result.failure.message}`
    : mismatch
      ? `${result.mismatches} of ${result.vectors} vectors mismatch; first at input code x=0x${mismatch.x}: expected 0x${mismatch.expected}, got 0x${mismatch.got}`
      : `${result.mismatches} of ${result.vectors} vectors mismatch: ${result.firstMismatches[0] ?? "the testbench failed"}`;
  return {
    message,
    text: [...result.firstMismatches.map((line) => `mismatch ${line}`), ...(result.diagnostics ?? [])].join(
      "\n",
    ),
  };
}

/**
 * Checks where a --junit file may go, before anything runs: every existing part of its
 * directory is a directory (the missing ones are created when it is written), and the
 * file itself, if there, is a regular file. A report is one file, so unlike --out-dir it
 * may go into the current or the home directory. Returns the absolute path.
 */
export function checkJunitPath(path: string): string {
  const target = resolve(path);
  let ancestor = dirname(target);
  while (!existsSync(ancestor)) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) {
    throw new UserError("--junit", path, `cannot be written: ${ancestor} is not a directory`);
  }
  if (existsSync(target) && !statSync(target).isFile()) {
    throw new UserError("--junit", path, "exists and is not a regular file");
  }
  return target;
}

/** Writes the report atomically: a temporary sibling renamed over the target. */
export function writeJunit(path: string, xml: string): void {
  const target = checkJunitPath(path);
  const created = createDirectories(dirname(target), "--junit", path);
  const temp = `${target}.${process.pid}.tmp`;
  trackTemporary(temp);
  try {
    writeFileSync(temp, xml);
    commit(path, () => renameSync(temp, target));
    created.keep();
  } catch (error) {
    created.remove();
    throw error;
  } finally {
    releaseTemporary(temp);
  }
}

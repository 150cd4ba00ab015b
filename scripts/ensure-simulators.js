#!/usr/bin/env node
// Makes sure Icarus Verilog, Verilator, GHDL, a C compiler and python3 with NumPy (and,
// best effort, ccache) are installed before the tests run (GHDL, cc and NumPy check the
// VHDL, C and NumPy exports). As root with apt-get it installs what is missing; otherwise
// it says what to install and fails. Chromium, for the explorer's browser test, is needed
// in CI (PWLGEN_REQUIRE_BROWSER or CI set): installed there like the simulators, a failure
// if missing; elsewhere its absence only skips that test, and this says so.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const has = (name) =>
  (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const required = { iverilog: "iverilog", vvp: "iverilog", verilator: "verilator", ghdl: "ghdl", cc: "gcc" };
const hasNumpy = () => spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" }).status === 0;
const missing = [
  ...new Set(
    Object.entries(required)
      .filter(([tool]) => !has(tool))
      .map(([, pkg]) => pkg),
  ),
  ...(hasNumpy() ? [] : ["python3-numpy"]),
];
const canApt = process.getuid?.() === 0 && has("apt-get");
const browserRequired = Boolean(process.env.PWLGEN_REQUIRE_BROWSER || process.env.CI);
const hasBrowser = () => ["chromium", "chromium-browser"].some(has) || Boolean(process.env.PWLGEN_CHROMIUM);
const packages = [
  ...missing,
  ...(has("ccache") ? [] : ["ccache"]),
  ...(browserRequired && !hasBrowser() ? ["chromium"] : []),
];

if (packages.length > 0 && canApt) {
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", ...packages], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  console.log(`pwlgen tests: installing ${packages.join(", ")} with apt-get`);
  if (!install()) {
    // The image's package lists may be stale; apt's sandbox user cannot always verify them.
    spawnSync("apt-get", ["-o", "APT::Sandbox::User=root", "update"], { stdio: "ignore" });
    install();
  }
}

const still = [...Object.keys(required).filter((tool) => !has(tool)), ...(hasNumpy() ? [] : ["numpy"])];
if (still.length > 0) {
  console.error(
    `pwlgen tests need Icarus Verilog, Verilator, GHDL, a C compiler and python3 with NumPy, and ${still.join(", ")} ${still.length > 1 ? "are" : "is"} missing.\n` +
      "Install them with your system's packages, e.g. `sudo apt-get install iverilog verilator ghdl gcc python3-numpy` (Debian/Ubuntu).",
  );
  process.exit(1);
}
if (!hasBrowser()) {
  if (browserRequired) {
    console.error(
      "pwlgen tests in CI need Chromium for the explorer's browser test, and it is missing.\n" +
        "Install it with your system's packages, e.g. `sudo apt-get install chromium` (Debian/Ubuntu).",
    );
    process.exit(1);
  }
  console.log("pwlgen tests: no chromium on PATH; the explorer's browser test will be skipped");
}
const version = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8" }).split("\n")[0];
console.log(
  `simulators: ${version("iverilog", ["-V"])} | ${version("verilator", ["--version"])} | ${version("ghdl", ["--version"])}`,
);

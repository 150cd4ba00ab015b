#!/usr/bin/env node
// The pwlgen command: runs the compiled CLI from dist/ (built by `npm install` / `npm ci`).
let cli;
try {
  cli = await import("../dist/gen/cli.js");
} catch (error) {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/gen/cli.js")) {
    console.error("pwlgen: not built yet; run `npm ci` (or `npm run build`) in the pwlgen folder first");
    process.exit(1);
  }
  throw error;
}
cli.installSignalHandlers();
process.exitCode = await cli.main(process.argv.slice(2));

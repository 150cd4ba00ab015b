#!/usr/bin/env node
// The pwlgen command: runs the compiled CLI from dist/ (built by `npm install` / `npm ci`).
// The command runs on a worker thread; this thread keeps the signals (see supervisor.ts).
// `--version` and `list` are answered here at once (see quick.ts).
const argv = process.argv.slice(2);
let answer;
let supervisor;
try {
  const quick = argv.length === 1 ? await import("../dist/gen/quick.js") : undefined;
  answer = quick?.quickAnswer(argv);
  if (answer === undefined) supervisor = await import("../dist/gen/output/supervisor.js");
} catch (error) {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/gen/")) {
    console.error("pwlgen: not built yet; run `npm ci` (or `npm run build`) in the pwlgen folder first");
    process.exit(1);
  }
  throw error;
}
if (answer !== undefined) process.stdout.write(answer);
else
  process.exitCode = await supervisor.supervise(new URL("../dist/gen/cli-thread.js", import.meta.url), argv);

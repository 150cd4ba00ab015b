import { workerData } from "node:worker_threads";
import { attachToSupervisor } from "./output/interrupt.js";
import type { Terminal } from "./output/supervisor.js";
import { setTerminal } from "./terminal.js";

/**
 * The command thread of the CLI process (started by supervisor.ts from bin/pwlgen.js):
 * runs one command and ends the thread with its exit code, which becomes the process's.
 */
const data = workerData as { argv: string[]; control: Int32Array; terminal: Terminal };
attachToSupervisor(data.control);
setTerminal(data.terminal);
// The CLI is loaded only now, so that its modules load on this thread, not the main one.
const { main } = await import("./cli.js");
process.exit(await main(data.argv));

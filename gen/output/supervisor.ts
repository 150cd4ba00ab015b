import { readdirSync, rmSync, rmdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BroadcastChannel, Worker } from "node:worker_threads";
import { CHANNEL, COMMITTED, CONTROL_BYTES, INTERRUPTED, type InterruptMessage, STATE } from "./interrupt.js";

/**
 * The CLI process's main thread: it runs the command on a worker thread (cli-thread.ts)
 * and keeps the signals. Node runs a signal handler only when its thread is idle, so a
 * command computing for seconds on the main thread could not be stopped; here the main
 * thread does nothing but wait, and an interrupt always gets through (see interrupt.ts).
 *
 * This module loads nothing of pwlgen but interrupt.ts, so the process starts fast.
 */

/** What the command thread needs to know of the terminal it cannot see itself. */
export interface Terminal {
  readonly isTTY: boolean;
  readonly columns: number | undefined;
}

const SIGNALS = [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const;

/** How long an interrupt waits for the command thread to stop before cleaning up anyway. */
const STOP_WAIT_MS = 5000;

/** Runs the command in `entry` (a module that reads workerData) and returns its exit code. */
export function supervise(entry: URL, argv: readonly string[]): Promise<number> {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  const children = new Set<number>();
  const temporaries = new Map<string, boolean>(); // path -> emptyOnly
  const stagingParents = new Set<string>();
  const committed: string[] = [];
  let note: string | undefined;

  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event) => {
    const message = (event as unknown as { data: InterruptMessage }).data;
    switch (message.kind) {
      case "child":
        if (message.running) children.add(message.pid);
        else children.delete(message.pid);
        break;
      case "temporary":
        if (message.held) temporaries.set(message.path, message.emptyOnly ?? false);
        else temporaries.delete(message.path);
        break;
      case "staging":
        stagingParents.add(message.parent);
        break;
      case "committed":
        committed.push(message.path);
        break;
      case "note":
        note = message.text;
        break;
    }
  };

  // A reader that goes away (`pwlgen gen ... | head -1`) closes the pipe: the rest of the
  // output is dropped and the command finishes as it would have, instead of this thread
  // dying on EPIPE with a stack trace (possibly in the middle of a commit).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
  const terminal: Terminal = { isTTY: process.stdout.isTTY === true, columns: process.stdout.columns };
  const worker = new Worker(entry, { workerData: { argv: [...argv], control, terminal } });

  const stopChildren = (): void => {
    for (const pid of children) {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    children.clear();
  };

  const removeTemporaries = (): void => {
    // Deepest first, so that parents created for an output go after what is inside them.
    for (const [path, emptyOnly] of [...temporaries].sort(([a], [b]) => b.length - a.length)) {
      try {
        if (emptyOnly) rmdirSync(path);
        else rmSync(path, { recursive: true, force: true });
      } catch {
        // not empty (the user put something there), or gone
      }
    }
    // Worker threads' staged outputs and simulator scratch directories, by name.
    const ours = new RegExp(`^\\.${"pwlgen"}-[0-9a-f]+-${process.pid}(-\\d+)?\\.(tmp|old)$`);
    const scratch = new RegExp(`^pwlgen-[a-z]+-${process.pid}-`);
    for (const [parent, pattern] of [
      ...[...stagingParents].map((p) => [p, ours] as const),
      [tmpdir(), scratch] as const,
    ]) {
      let entries: string[] = [];
      try {
        entries = readdirSync(parent);
      } catch {
        continue;
      }
      for (const name of entries) {
        if (pattern.test(name)) rmSync(join(parent, name), { recursive: true, force: true });
      }
    }
  };

  /** Waits for commits in progress to finish, then forbids new ones. */
  const stopCommits = async (): Promise<void> => {
    while (Atomics.compareExchange(control, STATE, 0, INTERRUPTED) !== 0) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };

  const drainMessages = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };

  let interrupting = false;
  const interrupt = async (code: number): Promise<void> => {
    interrupting = true;
    stopChildren();
    await stopCommits();
    await Promise.race([
      worker.terminate(),
      new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref()),
    ]);
    // Programs and temporaries announced just before the thread stopped.
    await drainMessages();
    stopChildren();
    removeTemporaries();
    const commits = Atomics.load(control, COMMITTED);
    const what =
      note ??
      (commits === 0
        ? "nothing was written"
        : `${[...new Set(committed)].join(", ") || "its output"} had been written before it; nothing else was changed`);
    process.stderr.write(`pwlgen: interrupted; ${what}\n`);
    process.exit(code);
  };
  for (const [signal, code] of SIGNALS) {
    process.on(signal, () => {
      // A second signal during the cleanup is ignored: the cleanup is short and must finish.
      if (!interrupting) void interrupt(code);
    });
  }

  return new Promise((resolve) => {
    worker.once("error", (error) => {
      if (interrupting) return;
      process.stderr.write(`pwlgen: internal error (please report it):\n${error.stack ?? String(error)}\n`);
      resolve(1);
    });
    worker.once("exit", (code) => {
      if (interrupting) return;
      channel.close();
      resolve(code);
    });
  });
}

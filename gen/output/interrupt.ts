import type { ChildProcess } from "node:child_process";
import { BroadcastChannel, isMainThread } from "node:worker_threads";
import { TOOL_NAME } from "../paths.js";
import { discardStaged, interruptedNote } from "./write.js";

/**
 * What SIGINT or SIGTERM stops, in order: the external programs (simulators) this process
 * started, from any thread; the worker threads (a sweep's pool), so none of them creates
 * another temporary directory; then every temporary directory is removed and the process
 * exits. Only the order makes the cleanup complete: removing directories while a worker
 * still runs would race with the next one it creates.
 */

/** Process groups of running external programs, by pid (each runs in a group of its own). */
const children = new Set<number>();

/** Worker threads report the programs they start and finish to the main thread. */
const CHANNEL = `${TOOL_NAME}-children`;
interface ChildMessage {
  readonly pid: number;
  readonly running: boolean;
}
const reports = isMainThread ? undefined : new BroadcastChannel(CHANNEL);
reports?.unref();

/**
 * Records an external program until it exits. It must have been spawned with
 * `detached: true`: it then leads a process group of its own, and stopping the group
 * stops what it started too (Verilator's make and C++ compiler).
 */
export function trackChild(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  const note = (running: boolean): void => {
    if (reports) reports.postMessage({ pid, running } satisfies ChildMessage);
    else if (running) children.add(pid);
    else children.delete(pid);
  };
  note(true);
  child.once("exit", () => note(false));
}

/** Steps that stop work in progress before cleanup (a sweep's worker pool). */
const stoppers = new Set<() => Promise<unknown>>();

/** Registers a step to run on interrupt; returns the function that unregisters it. */
export function onInterrupt(stop: () => Promise<unknown>): () => void {
  stoppers.add(stop);
  return () => stoppers.delete(stop);
}

/** How long an interrupt waits for worker threads to stop before cleaning up anyway. */
const STOP_WAIT_MS = 5000;

function stopChildren(): void {
  for (const pid of children) {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  children.clear();
}

let interrupting = false;

/** Whether an interrupt is stopping this process (work that fails now failed because of it). */
export function isInterrupting(): boolean {
  return interrupting;
}

/** For work cut short by an interrupt: waits for the process to exit instead of failing. */
export function waitForExit(): Promise<never> {
  return new Promise<never>(() => undefined);
}

async function interrupt(code: number): Promise<void> {
  interrupting = true;
  stopChildren();
  const stopped = Promise.allSettled([...stoppers].map((stop) => stop()));
  await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
  // Programs a worker started just before it stopped, reported after the first pass.
  await new Promise((resolve) => setImmediate(resolve));
  stopChildren();
  discardStaged();
  console.error(`${TOOL_NAME}: interrupted; ${interruptedNote()}`);
  process.exit(code);
}

/**
 * Interrupted runs leave nothing half-written: output directories are only ever renamed
 * into place complete, and on SIGINT or SIGTERM the temporary ones are removed too.
 */
export function installSignalHandlers(): void {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = (event) => {
    const { pid, running } = (event as unknown as { data: ChildMessage }).data;
    if (running) children.add(pid);
    else children.delete(pid);
  };
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => void interrupt(code));
  }
}

import type { ChildProcess } from "node:child_process";
import { BroadcastChannel, isMainThread } from "node:worker_threads";
import { TOOL_NAME } from "../paths.js";
import { discardStaged, interruptedNote } from "./write.js";

/**
 * What SIGINT, SIGTERM or SIGHUP stops, in order: the external programs (simulators) this
 * process started, from any thread; the worker threads (a sweep's pool), so none of them
 * creates another temporary directory; then every temporary directory is removed and the
 * process exits. Only the order makes the cleanup complete: removing directories while a
 * worker still runs would race with the next one it creates.
 *
 * The CLI installs this (installSignalHandlers) and a sweep passes it on to its workers
 * (manageChildren); a library caller that does neither keeps Node's defaults, and the
 * programs it starts stay in its own process group, where its own Ctrl-C reaches them.
 */

/** Threads talk over one channel: workers report programs, the main thread an interrupt. */
const CHANNEL = `${TOOL_NAME}-interrupt`;
type Message =
  | { readonly kind: "child"; readonly pid: number; readonly running: boolean }
  | { readonly kind: "interrupt" };

let channel: BroadcastChannel | undefined;
let interrupting = false;

/** Process groups of running external programs, by pid (main thread only). */
const children = new Set<number>();

/**
 * Whether external programs are managed here: each runs in a process group of its own
 * (spawn with `detached: childrenManaged()`), which an interrupt stops as a whole, so what
 * it started goes too (Verilator's make and C++ compiler).
 */
export function childrenManaged(): boolean {
  return channel !== undefined;
}

/** In a worker thread of a process whose main thread installed the handlers. */
export function manageChildren(): void {
  if (channel || isMainThread) return;
  channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = (event) => {
    if ((event as unknown as { data: Message }).data.kind === "interrupt") interrupting = true;
  };
}

/** Records an external program until it exits (when programs are managed). */
export function trackChild(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined || !channel) return;
  const note = (running: boolean): void => {
    if (!isMainThread) channel?.postMessage({ kind: "child", pid, running } satisfies Message);
    else if (running) children.add(pid);
    else children.delete(pid);
  };
  note(true);
  child.once("exit", () => note(false));
}

/**
 * Whether an interrupt is stopping this process: a program that ends now was stopped by
 * it, and what it printed is not a result (Icarus' vvp exits 0 on SIGTERM).
 */
export function isInterrupting(): boolean {
  return interrupting;
}

/** For work cut short by an interrupt: waits for the process to exit instead of failing. */
export function waitForExit(): Promise<never> {
  return new Promise<never>(() => undefined);
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

async function interrupt(code: number): Promise<void> {
  interrupting = true;
  channel?.postMessage({ kind: "interrupt" } satisfies Message);
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

const SIGNALS = [
  ["SIGINT", 130],
  ["SIGTERM", 143],
  ["SIGHUP", 129],
] as const;

/**
 * Interrupted runs leave nothing half-written: output directories are only ever renamed
 * into place complete, and on SIGINT, SIGTERM or SIGHUP (a closed terminal) the temporary
 * ones are removed too. A second signal during that cleanup (a second Ctrl-C) is ignored:
 * the cleanup is short (it waits at most STOP_WAIT_MS for workers) and must finish.
 */
export function installSignalHandlers(): void {
  if (channel) return;
  channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = (event) => {
    const message = (event as unknown as { data: Message }).data;
    if (message.kind !== "child") return;
    if (message.running) children.add(message.pid);
    else children.delete(message.pid);
  };
  for (const [signal, code] of SIGNALS) {
    process.on(signal, () => {
      if (!interrupting) void interrupt(code);
    });
  }
}

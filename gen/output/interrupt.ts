import type { ChildProcess } from "node:child_process";
import { BroadcastChannel } from "node:worker_threads";
import { TOOL_NAME } from "../paths.js";

/**
 * Interrupts (SIGINT, SIGTERM, SIGHUP) under the CLI. The command runs on a worker thread
 * (gen/output/supervisor.ts starts it), so the process's main thread is always free to
 * take a signal, however long a computation or a synchronous call on the worker takes.
 * This module is the worker's side: it tells the supervisor what to stop and remove, and
 * it guards every write a user can see (a commit) so that none happens after an interrupt.
 *
 * On a signal the supervisor:
 *   1. stops the external programs (simulators) the command started, each in a process
 *      group of its own, so Verilator's make and C++ compiler go too;
 *   2. waits for commits in progress (a few renames) to finish, then forbids new ones;
 *   3. terminates the command's thread (and a sweep's worker threads with it);
 *   4. removes every temporary file and directory the command announced;
 *   5. says what happened, truthfully: nothing was written, or what was (a unit committed
 *      just before the signal, a sweep's finished points), and exits with 130, 143 or 129.
 *
 * A library caller that does not run under the supervisor keeps Node's defaults: its
 * programs stay in its own process group, where its own Ctrl-C reaches them, and commits
 * always proceed.
 */

/** What the command's threads tell the supervisor, over one broadcast channel. */
export type InterruptMessage =
  | { readonly kind: "child"; readonly pid: number; readonly running: boolean }
  /** A temporary path: a tree removed whole, or a directory removed only if it is empty. */
  | {
      readonly kind: "temporary";
      readonly path: string;
      readonly held: boolean;
      readonly emptyOnly?: boolean;
    }
  /** A directory whose entries named `.<...>.pwlgen-<pid>...` are this process's temporaries. */
  | { readonly kind: "staging"; readonly parent: string }
  /** A commit made (a path the user can now see). */
  | { readonly kind: "committed"; readonly path: string }
  /** What an interrupt leaves, when more than "nothing was written" or the committed paths. */
  | { readonly kind: "note"; readonly text: string };

export const CHANNEL = `${TOOL_NAME}-interrupt`;

/**
 * Shared with the supervisor: COMMITS_IN_FLIGHT counts commits in progress, or is
 * INTERRUPTED once the supervisor has stopped the command (no commit may start then);
 * COMMITTED counts the commits made.
 */
export const STATE = 0;
export const COMMITTED = 1;
export const INTERRUPTED = -1;
export const CONTROL_BYTES = 2 * Int32Array.BYTES_PER_ELEMENT;

/** This process's control block: a private one unless a supervisor attached its own. */
let control: Int32Array = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
let channel: BroadcastChannel | undefined;

/**
 * Joins the supervisor (in the CLI's command thread and in a sweep's worker threads):
 * programs then run in process groups of their own and temporaries are announced.
 */
export function attachToSupervisor(shared: Int32Array): void {
  if (channel) return;
  control = shared;
  channel = new BroadcastChannel(CHANNEL);
  channel.unref();
}

/** The control block, for worker threads this thread starts (a sweep's pool). */
export function supervisorControl(): Int32Array | undefined {
  return channel ? control : undefined;
}

/**
 * Whether external programs are managed by the supervisor: each runs in a process group
 * of its own (spawn with `detached: childrenManaged()`), which an interrupt stops whole.
 */
export function childrenManaged(): boolean {
  return channel !== undefined;
}

function tell(message: InterruptMessage): void {
  channel?.postMessage(message);
}

/** Records an external program until it exits (when programs are managed). */
export function trackChild(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined || !channel) return;
  tell({ kind: "child", pid, running: true });
  child.once("exit", () => tell({ kind: "child", pid, running: false }));
}

/** Announces a temporary path (before creating it) or its release (after removing it). */
export function announceTemporary(path: string, held: boolean, emptyOnly = false): void {
  tell({ kind: "temporary", path, held, ...(emptyOnly ? { emptyOnly } : {}) });
}

/** Announces a directory where this process's worker threads stage outputs (sweep points). */
export function announceStaging(parent: string): void {
  tell({ kind: "staging", parent });
}

/** What an interrupt leaves besides the committed paths (a sweep's finished points). */
export function setInterruptNote(text: string): void {
  tell({ kind: "note", text });
}

/**
 * Whether an interrupt is stopping this process: a program that ends now was stopped by
 * it, and what it printed is not a result (Icarus' vvp exits 0 on SIGTERM).
 */
export function isInterrupting(): boolean {
  return Atomics.load(control, STATE) === INTERRUPTED;
}

/** Thrown instead of committing after an interrupt; the supervisor is ending the thread. */
export class InterruptedError extends Error {
  constructor() {
    super("interrupted");
    this.name = "InterruptedError";
  }
}

/**
 * Makes a write the user can see (renames into place, a marker file), unless an interrupt
 * came first: then it throws InterruptedError and writes nothing. The supervisor waits for
 * a commit in progress to finish before it stops the thread, so a commit is never cut in
 * half. Keep `act` short (renames): slow cleanup such as removing a replaced directory
 * belongs after the commit.
 */
export function commit<T>(path: string, act: () => T): T {
  for (;;) {
    const state = Atomics.load(control, STATE);
    if (state === INTERRUPTED) throw new InterruptedError();
    if (Atomics.compareExchange(control, STATE, state, state + 1) === state) break;
  }
  try {
    const result = act();
    Atomics.add(control, COMMITTED, 1);
    tell({ kind: "committed", path });
    return result;
  } finally {
    Atomics.sub(control, STATE, 1);
  }
}

/** For work cut short by an interrupt: waits for the thread to be ended instead of failing. */
export function waitForExit(): Promise<never> {
  return new Promise<never>(() => undefined);
}

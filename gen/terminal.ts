/**
 * The terminal standard output goes to. The CLI's command thread cannot see it (a worker
 * thread's stdout is a pipe to the main thread), so the supervisor tells it; in-process
 * callers get process.stdout's own answers.
 */
let terminal: { readonly isTTY: boolean; readonly columns: number | undefined } | undefined;

export function setTerminal(value: { readonly isTTY: boolean; readonly columns: number | undefined }): void {
  terminal = value;
}

export function stdoutIsTTY(): boolean {
  return terminal ? terminal.isTTY : process.stdout.isTTY === true;
}

export function stdoutColumns(): number | undefined {
  return terminal ? terminal.columns : process.stdout.columns;
}

/**
 * process.stdout as a terminal for progress bars (which draw only on a TTY): on the
 * command thread it forwards to the main thread's stdout, which is the terminal.
 */
export function terminalStream(): NodeJS.WriteStream {
  if (!terminal) return process.stdout;
  return Object.assign(Object.create(process.stdout) as NodeJS.WriteStream, {
    isTTY: terminal.isTTY,
    columns: terminal.columns ?? 80,
  });
}

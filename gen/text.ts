/** "1 segment", "3 segments": a count with its noun, for messages and comments. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

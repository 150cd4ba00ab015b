/** "1 segment", "3 segments": a count with its noun, for messages and comments. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * `; did you mean "sigmoid"?` for a mistyped word: the closest of the choices within a
 * few edits (a third of the word, at least one), or "" when none is that close.
 */
export function didYouMean(word: string, choices: readonly string[]): string {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const choice of choices) {
    const distance = editDistance(word.toLowerCase(), choice.toLowerCase());
    if (distance < bestDistance) {
      best = choice;
      bestDistance = distance;
    }
  }
  return best === undefined ? "" : `; did you mean ${JSON.stringify(best)}?`;
}

/** Levenshtein distance, an adjacent swap counting as one edit ("sigmiod"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Two numbers a <= b printed with the same number of significant digits (at least 4),
 * enough that the printed a reads below the printed b unless they are equal: 0.005950 and
 * 0.00594951 read as a violation; 0.0059495 and 0.0059495 look equal; 0.00594948 <=
 * 0.00594951 reads right.
 */
export function samePrecision(a: number, b: number): [string, string] {
  for (let digits = 4; digits < 17; digits++) {
    const [x, y] = [a.toPrecision(digits), b.toPrecision(digits)];
    if (a === b || (x !== y && Number(x) <= Number(y))) return [x, y];
  }
  return [a.toPrecision(17), b.toPrecision(17)];
}

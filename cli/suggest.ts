// "Did you mean ...?" for a misspelt command, action, option or choice. Pure.

/**
 * The optimal-string-alignment distance: insertions, deletions, substitutions and the swap of two
 * neighbours each cost one, so the commonest typo, two letters swapped ("acadmey"), is one edit away
 * rather than Levenshtein's two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known words closest to what was typed, best first, or none when nothing is close: at most a
 * third of the typed word's letters may differ (at least one). A command typed without its area
 * ("calculate" for "attendance:calculate") matches on the part after the colon.
 */
export function suggest(typed: string, known: readonly string[]): string[] {
  const word = typed.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  const scored = known
    .map((candidate) => {
      const whole = editDistance(word, candidate.toLowerCase());
      const tail = candidate.includes(":")
        ? editDistance(word, candidate.slice(candidate.indexOf(":") + 1).toLowerCase())
        : Infinity;
      return { candidate, distance: Math.min(whole, tail) };
    })
    .filter((entry) => entry.distance <= limit);
  const best = Math.min(...scored.map((entry) => entry.distance));
  return scored.filter((entry) => entry.distance === best).map((entry) => entry.candidate);
}

/** " Did you mean X?" / " Did you mean X or Y?", or "" when there is nothing to suggest. */
export function didYouMean(
  typed: string,
  known: readonly string[],
  show: (word: string) => string = (word) => word,
): string {
  const found = suggest(typed, known);
  return found.length ? ` Did you mean ${joinWords(found.map(show), "or")}?` : "";
}

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[], conjunction: "and" | "or" = "and"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words.at(-1)}`;
}

import leven from 'leven';

/**
 * The candidate `word` is most likely a typo of, case ignored: within an edit
 * distance of 2, or a third of the word for long ones, and never a rewrite of
 * the whole word. Ties go to the first candidate.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = leven(w, c.toLowerCase(), { maxDistance: limit + 1 });
    if (d < bestDistance && d <= limit && d < w.length) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** ` did you mean \`x\`?` for a close candidate, else '' (to put after a `;`). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` did you mean \`${c}\`?`;
}

// The percentile every benchmark prints: nearest rank, of figures sorted ascending.

/** The p-th percentile (0 < p ≤ 1) of `sorted` (ascending): the smallest figure at or above that share. */
export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;

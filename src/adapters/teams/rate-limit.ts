/** A limit of `count` calls within any `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/** How long until one more send fits every limit, given the times of earlier sends (oldest first). */
export function waitFor(times: number[], limits: RateLimit[], now: number): number {
  let wait = 0;
  for (const { count, windowMs } of limits) {
    const inWindow = times.filter((t) => now - t < windowMs);
    if (inWindow.length >= count) wait = Math.max(wait, inWindow[inWindow.length - count]! + windowMs - now);
  }
  return wait;
}

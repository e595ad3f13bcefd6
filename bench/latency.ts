import { fmt, percentile } from "./measure";

/** Latencies in milliseconds by label. */
export type Latencies = Record<string, number[]>;

export async function timed<T>(into: Latencies, label: string, work: () => Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  const result = await work();
  (into[label] ??= []).push(Number(process.hrtime.bigint() - t0) / 1e6);
  return result;
}

const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

/** Throws unless the bot answered 200 (with a card when `card`). */
export function expectOk(what: string, result: { status: number; body: unknown }, card = false): void {
  const type = (result.body as { type?: string } | undefined)?.type;
  if (result.status !== 200 || (card && type !== ADAPTIVE_CARD)) {
    throw new Error(`${what} answered ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`);
  }
}

export const stats = (values: number[] = []) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};
export const show = (s: { p50: number; p99: number; n: number }) =>
  `p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms (n=${s.n})`;

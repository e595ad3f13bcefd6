import type { AnswersFirst } from "../../src/app/notify/answers-first";

/** A turn being answered until the test ends it. */
export function openTurn(gate: AnswersFirst): { end: () => void; done: Promise<void> } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return { end, done: gate.answer(() => ended) };
}

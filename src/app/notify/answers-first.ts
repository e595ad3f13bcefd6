import type { TurnsAnswering } from "../../ports/answers";

/** How long notices wait for a moment with no turn being answered, at most. */
export const ANSWERS_FIRST_MAX_WAIT_MS = 250;

/**
 * Turns being answered in this process, so that work which follows answers (planning and sending
 * notices) starts when none is, or after `maxWaitMs` at the latest. A burst of clicks shares the
 * process's one core: answered first, the last click waits for the others' answers, not also for
 * their notices. Under a steady stream of turns a notice waits `maxWaitMs` at most.
 */
export class AnswersFirst implements TurnsAnswering {
  private answering = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly maxWaitMs = ANSWERS_FIRST_MAX_WAIT_MS) {}

  /** Runs one turn; notices wait while any turn runs. */
  async answer<T>(turn: () => Promise<T>): Promise<T> {
    this.answering += 1;
    try {
      return await turn();
    } finally {
      this.answering -= 1;
      if (this.answering === 0) this.release();
    }
  }

  /** Resolves when no turn is being answered, or after the longest wait (the default's, or shorter). */
  idle(maxWaitMs = this.maxWaitMs): Promise<void> {
    if (this.answering === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.waiting = this.waiting.filter((w) => w !== go);
          resolve();
        },
        Math.min(maxWaitMs, this.maxWaitMs),
      );
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiting.push(go);
    });
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    waiting.forEach((go) => go());
  }
}

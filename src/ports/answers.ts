/**
 * Turns being answered in this process, as work that follows an answer sees them: `idle` resolves
 * once none is (or after a short longest wait). The bot's `AnswersFirst` implements it.
 */
export interface TurnsAnswering {
  /** `maxWaitMs`: a shorter longest wait than the default, for work someone waits for. */
  idle(maxWaitMs?: number): Promise<void>;
}

/**
 * Turns being answered in this process, as work that follows an answer sees them: `idle` resolves
 * once none is (or after a short longest wait). The bot's `AnswersFirst` implements it.
 */
export interface TurnsAnswering {
  idle(): Promise<void>;
}

import type { OutgoingCard } from "../../ports/notifier";

/** How many subjects are remembered; the oldest is forgotten first (forgetting costs one update). */
const REMEMBERED_SUBJECTS = 5_000;

/**
 * What the last update of each subject carried, so an update that would put the very same card on
 * every copy again is skipped. Two events of one step (the last stage approved, the request
 * approved) re-render the same state: without this every copy was updated twice, byte for byte.
 * Kept in memory only: after a restart the worst case is one update too many, never one too few,
 * since a copy remembered later (an "Open" from the approvals list) was rendered from the state
 * that the last update showed, or a newer one whose update then differs.
 */
export class SentUpdates {
  private readonly last = new Map<string, string>();

  /** True when `message` differs from what the subject's copies were last updated with; remembers it. */
  claim(subject: string, message: OutgoingCard): boolean {
    const content = JSON.stringify([message.summary, message.card]);
    if (this.last.get(subject) === content) return false;
    this.last.delete(subject);
    this.last.set(subject, content);
    if (this.last.size > REMEMBERED_SUBJECTS) this.last.delete(this.last.keys().next().value as string);
    return true;
  }

  /** The update failed: it must not keep the next identical one from being sent. */
  forget(subject: string, message: OutgoingCard): void {
    if (this.last.get(subject) === JSON.stringify([message.summary, message.card])) this.last.delete(subject);
  }
}

import assert from "node:assert/strict";
import { occurrenceToSchedule, reviewEndAt } from "../../../src/domain/lifecycle";
import type { AccessReview, ReviewSettings } from "../../../src/domain/model";
import type { RecordedActivity } from "../../../src/local-channel";
import { cardOf } from "../../bot/support/cards";
import { type Desk, HOUR, advance } from "./desk";

export const BA_POLICY = "business-analyst-employees";

export interface Occurrence {
  startAt: string;
  endAt: string;
  settings: ReviewSettings;
}

/** The next review of Business Analyst the scheduler would start. */
export async function nextReview(desk: Desk): Promise<Occurrence> {
  const policy = (await desk.app.deps.governance.load()).policies.find((p) => p.id === BA_POLICY);
  const settings = policy?.lifecycle.review;
  assert.ok(settings, "Business Analyst employees are reviewed");
  const startAt = occurrenceToSchedule(settings, desk.app.clock.now().toISOString());
  return { startAt, endAt: reviewEndAt(settings, startAt), settings };
}

/** Moves the clock to an hour before `at` (for set-up that must happen just before). */
export async function advanceToJustBefore(desk: Desk, at: string): Promise<void> {
  const ms = Date.parse(at) - HOUR - desk.app.clock.now().getTime();
  if (ms > 0) await advance(desk, ms);
}

/** Moves the clock a minute past `at` and runs what is due. */
export async function advancePast(desk: Desk, at: string): Promise<void> {
  await advance(desk, Math.max(0, Date.parse(at) - desk.app.clock.now().getTime()) + 60_000);
}

export async function reviewOf(desk: Desk, packageId: string): Promise<AccessReview> {
  const reviews = await desk.app.deps.reviews.listForPackage(packageId);
  assert.equal(reviews.length, 1, "one review of the package");
  return reviews[0]!;
}

/** The Action.Execute buttons of a card (verb and data), refresh excluded. */
export function buttonsOf(card: unknown): Array<{ verb: string; data: Record<string, unknown> }> {
  const found: Array<{ verb: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown, key?: string) => {
    if (key === "refresh") return;
    if (Array.isArray(node)) node.forEach((n) => walk(n));
    else if (node && typeof node === "object") {
      const n = node as Record<string, unknown>;
      if (n.type === "Action.Execute")
        found.push({ verb: String(n.verb), data: (n.data ?? {}) as Record<string, unknown> });
      Object.entries(n).forEach(([k, v]) => walk(v, k));
    }
  };
  walk(card);
  return found;
}

/** The buttons of one review item on a recorded review card. */
export const itemButtons = (recorded: RecordedActivity | undefined, assignmentId: string) =>
  buttonsOf(cardOf(recorded)).filter((b) => b.data.assignmentId === assignmentId);

/** "December" for a period that starts then (the words a person types). */
export const monthName = (at: string): string =>
  new Date(at).toLocaleString("en-US", { month: "long", timeZone: "UTC" });

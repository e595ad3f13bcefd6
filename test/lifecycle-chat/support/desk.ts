/**
 * The whole Access Desk for lifecycle tests: Azurite in memory (one per test file), the real bot,
 * the demo organisation, the local Teams-shaped channel, and a clock the test moves.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { startAzurite, type RunningAzurite } from "../../support/azurite";
import { startLocalDesk, type LocalDesk } from "../../support/desk";
import type { LocalChannel, RecordedActivity } from "../../../src/local-channel";
import { assignDirectly } from "../../../src/app/assign-directly";
import type { Assignment } from "../../../src/domain/model";
import { cardOf, textOf } from "../../bot/support/cards";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The demo governance with Business Analyst and Accounting lasting 2 days. */
export const SHORT_EXPIRY_DIR = path.join(__dirname, "..", "fixtures", "short-expiry");

export interface Desk {
  app: LocalDesk;
  channel: LocalChannel;
  stop(): Promise<void>;
}

/** Starts the desk on its own tables in the shared Azurite; `env` adds settings (GOVERNANCE_DIR). */
export async function startDesk(azurite: RunningAzurite, env: Record<string, string> = {}): Promise<Desk> {
  const app = await startLocalDesk(azurite, env);
  return { app, channel: app.localChannel, stop: () => app.stop() };
}

export function startSharedAzurite(): Promise<RunningAzurite> {
  return startAzurite({ inMemory: true });
}

/** Moves the clock and runs the due work, as the scheduler would at that time. */
export async function advance(desk: Desk, ms: number): Promise<void> {
  desk.app.clock.advance(ms);
  await desk.app.scheduler.sweepOnce();
}

/** Admin direct assignment of a package (as a catalog owner would); waits until it is delivered. */
export async function assign(desk: Desk, userId: string, packageId: string): Promise<Assignment> {
  const deps = desk.app.deps;
  const result = await assignDirectly(deps, {
    actorId: "system",
    userId,
    packageId,
    reason: "Test set-up",
    source: "test",
  });
  assert.ok(result.ok, JSON.stringify(result));
  return waitForAssignment(desk, userId, packageId);
}

async function waitForAssignment(desk: Desk, userId: string, packageId: string): Promise<Assignment> {
  for (let i = 0; i < 100; i++) {
    const held = (await desk.app.deps.assignments.listForUser(userId)).find(
      (a) => a.packageId === packageId && a.state === "delivered",
    );
    if (held) return held;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${userId} never got ${packageId}`);
}

/** The newest message in the user's chat whose card says `text` (waits for it to arrive). */
export function cardSaying(
  desk: Desk,
  userId: string,
  text: string | RegExp,
  timeoutMs = 5000,
): Promise<RecordedActivity> {
  const matches = (a: RecordedActivity) => {
    const t = textOf(cardOf(a));
    return typeof text === "string" ? t.includes(text) : text.test(t);
  };
  return desk.channel.waitFor(() => {
    const list = desk.channel.activities(desk.channel.conversationOf(userId));
    return [...list].reverse().find(matches);
  }, timeoutMs);
}

/** Waits until `check` holds for the current version of a recorded message. */
export function waitForVersion(
  desk: Desk,
  userId: string,
  activityId: string,
  check: (text: string, card: unknown) => boolean,
): Promise<RecordedActivity> {
  return desk.channel.waitFor(() => {
    const list = desk.channel.activities(desk.channel.conversationOf(userId));
    const found = list.find((a) => a.id === activityId);
    return found && check(textOf(cardOf(found)), cardOf(found)) ? found : undefined;
  });
}

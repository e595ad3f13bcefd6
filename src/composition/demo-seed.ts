import type { AppDeps } from "../app/deps";
import { assignDirectly } from "../app/assign-directly";
import { ACTIVE_ASSIGNMENT_STATES } from "../domain/model";
import { DEMO } from "../adapters/local-directory";

/** Access the demo people already hold, so "same access as Lola" has something to show. */
const DEMO_ASSIGNMENTS = [
  { userId: DEMO.lola, packageId: "business-analyst" },
  { userId: DEMO.lola, packageId: "accounting" },
];

/** Local mode only: gives the demo people their standing assignments once (idempotent). */
export async function seedDemoAssignments(deps: AppDeps): Promise<void> {
  for (const { userId, packageId } of DEMO_ASSIGNMENTS) {
    const held = (await deps.assignments.listForUser(userId)).some(
      (a) => a.packageId === packageId && ACTIVE_ASSIGNMENT_STATES.includes(a.state),
    );
    if (held) continue;
    const result = await assignDirectly(deps, {
      actorId: "system",
      userId,
      packageId,
      reason: "Standing access of the demo organisation.",
      source: "demo:seed",
    });
    if (!result.ok)
      deps.logger.warn({ userId, packageId, code: result.error.code }, "demo assignment not seeded");
  }
}

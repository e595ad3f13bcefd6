import type { AppDeps } from "../deps";
import { GovernanceIndex } from "../../domain/governance-index";
import type { Person } from "../../domain/policy/eligibility";
import type { Instant, UserId } from "../../domain/model";

/** The one reading of the clock use cases share, as the domain's `Instant`. */
export const nowIso = (deps: Pick<AppDeps, "clock">): Instant => deps.clock.now().toISOString();

export async function loadIndex(deps: AppDeps): Promise<GovernanceIndex> {
  return GovernanceIndex.of(await deps.governance.load());
}

/** A person with their groups, or undefined when the directory does not know them. */
export async function loadPerson(deps: AppDeps, userId: UserId): Promise<Person | undefined> {
  const user = await deps.directory.getUser(userId);
  if (!user) return undefined;
  return { user, groupIds: await deps.directory.getUserGroupIds(userId) };
}

import { GovernanceIndex } from "../../domain/governance-index";
import type { DirectoryUser, UserId } from "../../domain/model";
import type { Person } from "../../domain/policy/eligibility";
import type { ViewContext } from "../../ports/read-models";
import type { AppDeps } from "../deps";

/** The person asking, read once per answer: the configuration, who they are and their groups. */
export interface Viewer {
  ctx: ViewContext;
  /** Undefined when the directory does not know them. */
  person?: Person;
}

/**
 * Loads the configuration once and the viewer (with their groups) once, plus any other people the
 * answer names, so one message costs one read of each.
 */
export async function loadViewer(deps: AppDeps, actorId: UserId, others: UserId[] = []): Promise<Viewer> {
  const ids = [...new Set([actorId, ...others])];
  const [config, users, groupIds] = await Promise.all([
    deps.governance.load(),
    Promise.all(ids.map((id) => deps.directory.getUser(id).catch(() => undefined))),
    deps.directory.getUserGroupIds(actorId).catch(() => []),
  ]);
  const people = new Map<UserId, DirectoryUser>();
  for (const user of users) if (user) people.set(user.id, user);
  const user = people.get(actorId);
  const ctx = { now: deps.clock.now().toISOString(), index: GovernanceIndex.of(config), people };
  return { ctx, person: user ? { user, groupIds } : undefined };
}

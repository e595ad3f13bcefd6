import { GovernanceIndex } from "../../domain/governance-index";
import type { AssignmentPolicy, DirectoryUser, UserId } from "../../domain/model";
import { namedApproverIds } from "../../domain/policy/named-approvers";
import type { ConversationStore } from "../../ports/conversations";
import type { Directory } from "../../ports/directory";
import { MAX_REFRESH_USERS, type ViewContext } from "../../ports/read-models";
import type { Clock } from "../../ports/runtime";
import type { GovernanceStore } from "../../ports/stores";

export interface ViewSources {
  governance: GovernanceStore;
  directory: Directory;
  clock: Clock;
}

/** Loads what a view needs besides its entity: the configuration, the time, the people it names. */
export async function loadViewContext(
  sources: ViewSources,
  userIds: Iterable<UserId | "system" | undefined>,
): Promise<ViewContext> {
  const ids = [...new Set([...userIds].filter((id): id is UserId => !!id && id !== "system"))].slice(0, 100);
  const [config, users] = await Promise.all([
    sources.governance.load(),
    Promise.all(ids.map((id) => sources.directory.getUser(id).catch(() => undefined))),
  ]);
  const people = new Map<UserId, DirectoryUser>();
  for (const user of users) if (user) people.set(user.id, user);
  return { now: sources.clock.now().toISOString(), index: GovernanceIndex.of(config), people };
}

/** The context with more people loaded (those it already knows are not read again). */
export async function withPeople(
  sources: Pick<ViewSources, "directory">,
  ctx: ViewContext,
  userIds: Iterable<UserId>,
): Promise<ViewContext> {
  const missing = [...new Set(userIds)].filter((id) => !ctx.people.has(id)).slice(0, 100);
  if (missing.length === 0) return ctx;
  const users = await Promise.all(missing.map((id) => sources.directory.getUser(id).catch(() => undefined)));
  const people = new Map(ctx.people);
  for (const user of users) if (user) people.set(user.id, user);
  return { ...ctx, people };
}

/** The context of a package card or request form: with the approvers its policies name. */
export function withNamedApprovers(
  sources: Pick<ViewSources, "directory">,
  ctx: ViewContext,
  policies: readonly AssignmentPolicy[],
): Promise<ViewContext> {
  return withPeople(sources, ctx, namedApproverIds(policies));
}

/**
 * Teams ids for a card's `refresh.userIds`: the id Teams gave the user in their chat with the bot
 * when we have it, else the organisation MRI built from the object id.
 */
export async function teamsUserIds(conversations: ConversationStore, userIds: UserId[]): Promise<string[]> {
  const ids = await Promise.all(
    userIds.slice(0, MAX_REFRESH_USERS).map(async (id) => {
      const reference = await conversations.getUserReference(id);
      const user = reference?.user as { id?: string } | undefined;
      return user?.id && user.id !== id ? user.id : `8:orgid:${id}`;
    }),
  );
  return [...new Set(ids)];
}

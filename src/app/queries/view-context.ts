import { GovernanceIndex } from "../../domain/governance-index";
import type { DirectoryUser, UserId } from "../../domain/model";
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
  return { now: sources.clock.now().toISOString(), index: new GovernanceIndex(config), people };
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

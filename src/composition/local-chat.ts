import { demoPersonas } from "../adapters/local-directory";
import type { ShiftableClock } from "../adapters/runtime/clock";
import { type LocalChannel, createLocalChannel } from "../local-channel";
import type { Directory } from "../ports/directory";

/** What the local chat page's side panels reach: the directory and the sweeper (once it exists). */
export interface LocalChatSources {
  clock: ShiftableClock;
  directory: Directory;
  sweepOnce(): Promise<unknown>;
}

/**
 * The local chat page and its Teams-shaped connector, as `npm start` serves them: the demo people,
 * their groups, and a clock the page can move forward (a sweep follows each move).
 */
export function createLocalChat(sources: LocalChatSources, botEndpoint: string): LocalChannel {
  const { clock, directory } = sources;
  return createLocalChannel({
    botEndpoint,
    personas: demoPersonas(),
    hooks: {
      now: () => clock.now().toISOString(),
      userGroups: async (userId) => {
        const ids = await directory.getUserGroupIds(userId);
        const groups = await Promise.all(ids.map((id) => directory.getGroup(id)));
        return groups.flatMap((g) => (g ? [{ id: g.id, displayName: g.displayName }] : []));
      },
      advanceClock: async (hours) => {
        const now = clock.advance(hours * 3_600_000).toISOString();
        await sources.sweepOnce();
        return now;
      },
    },
  });
}

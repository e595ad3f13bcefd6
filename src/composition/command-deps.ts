import { RandomIds } from "../adapters/runtime/ids";
import { systemClock } from "../adapters/runtime/clock";
import { createLogger } from "../adapters/runtime/logger";
import type { AppDeps } from "../app/deps";
import type { Config } from "../config";
import type { EventSink } from "../ports/events";
import { createDirectory, invitationSettings } from "./directory";
import { GuestLinkingDirectory } from "../app/external/guest-linking-directory";
import { openCommandStorage } from "./storage";

export interface CommandDeps {
  deps: AppDeps;
  close(): Promise<void>;
}

/**
 * A command has no Teams connection: the events of what it changes stay journaled in the due index
 * (`effects` items), and the running desk's next sweep sends their notices.
 */
const leftForTheDesk: EventSink = {
  publish: async () => undefined,
  replay: async () => {
    throw new Error("a command does not send notices; the running desk does");
  },
};

/**
 * The use cases' dependencies for a one-off command (`npm run access`): the configured storage,
 * directory and provisioner, as `src/main.ts` builds them, on the system clock.
 */
export async function openCommandDeps(config: Config): Promise<CommandDeps> {
  const storage = await openCommandStorage(config, { createTables: true });
  const logger = createLogger("warn");
  const directory = createDirectory(config, systemClock, logger);
  await directory.ensure();
  const { stores } = storage;
  const deps: AppDeps = {
    requests: stores.requests,
    assignments: stores.assignments,
    reviews: stores.reviews,
    governance: stores.governance,
    due: stores.due,
    audit: stores.audit,
    claims: stores.claims,
    // Guests carry their connected organisation (by domain), as in the demo file.
    directory: new GuestLinkingDirectory(
      directory.directory,
      async () => (await stores.governance.load()).connectedOrganizations,
    ),
    provisioner: directory.provisioner,
    invitations: invitationSettings(config, directory),
    events: leftForTheDesk,
    clock: systemClock,
    ids: new RandomIds(systemClock),
    logger,
    reminderOffsetsHours: config.scheduler.expiryReminderHours,
    governanceAdministratorsGroupId: config.governanceAdministratorsGroupId,
  };
  return { deps, close: storage.close };
}

import path from "node:path";
import { TableClient } from "@azure/data-tables";
import type { Config } from "../config";
import type { Directory } from "../ports/directory";
import type { Provisioner } from "../ports/provisioner";
import type { AppInstaller } from "../ports/app-installer";
import type { SentMessageFinder } from "../ports/sent-messages";
import type { GuestAccounts, InvitationSettings } from "../ports/guest-accounts";
import type { ConnectedOrganization } from "../domain/model";
import { GuestLinkingDirectory } from "../app/external/guest-linking-directory";
import type { Clock } from "../ports/runtime";
import type { Logger } from "../ports/logger";
import {
  LocalDirectory,
  LocalGuestAccounts,
  LocalProvisioner,
  TableMembershipStore,
  loadOrganization,
} from "../adapters/local-directory";
import {
  GraphAppInstaller,
  GraphSentMessages,
  GraphDirectory,
  GraphGuestAccounts,
  GraphProvisioner,
  GraphTransport,
  createGraphClient,
} from "../adapters/graph";

export interface DirectoryParts {
  directory: Directory;
  provisioner: Provisioner;
  /** Set in local mode: the demo directory, for the chat page's groups panel. */
  local?: LocalDirectory;
  /** Graph mode with TEAMS_APP_CATALOG_ID: installs the app for people who never opened it. */
  installer?: AppInstaller;
  /** Graph mode with TEAMS_APP_CATALOG_ID: reads chats for a message a batch run again may have posted. */
  sentMessages?: SentMessageFinder;
  /** B2B guest accounts: Graph invitations, or guests of the demo directory in local mode. */
  guestAccounts: GuestAccounts;
  ensure(): Promise<void>;
}

/** Where an invited partner lands after redeeming the invitation. */
const INVITE_REDIRECT_URL = "https://teams.microsoft.com";

/** Approved invitations: Entra e-mails the invitation in Graph mode; local mode has no mailbox. */
export function invitationSettings(config: Config, parts: DirectoryParts): InvitationSettings {
  return {
    accounts: parts.guestAccounts,
    redirectUrl: INVITE_REDIRECT_URL,
    sendMessage: config.directory.kind === "graph",
  };
}

/**
 * The directory the use cases see: guests carry their connected organisation (by domain, from the
 * stored configuration), and partners invited but not yet in the directory are described.
 */
export function guestLinkingDirectory(
  parts: DirectoryParts,
  organizations: () => Promise<readonly ConnectedOrganization[]>,
): Directory {
  return new GuestLinkingDirectory(parts.directory, organizations);
}

/** The directory and provisioner the configuration chooses: the demo organisation or Microsoft Graph. */
export function createDirectory(config: Config, clock: Clock, logger: Logger): DirectoryParts {
  if (config.directory.kind === "graph") {
    const { graph } = config.directory;
    const client = createGraphClient({ ...graph, baseUrl: graph.baseUrl });
    const transport = new GraphTransport(client, { logger: logger.child({ component: "graph" }) });
    return {
      directory: new GraphDirectory(transport, { clock, includeSignInActivity: graph.signInActivity }),
      provisioner: new GraphProvisioner(transport, logger.child({ component: "graph" })),
      guestAccounts: new GraphGuestAccounts(transport),
      ...(graph.teamsAppCatalogId
        ? {
            installer: new GraphAppInstaller(
              transport,
              graph.teamsAppCatalogId,
              logger.child({ component: "graph" }),
            ),
            sentMessages: new GraphSentMessages(transport, graph.teamsAppCatalogId),
          }
        : {}),
      ensure: async () => undefined,
    };
  }
  const organization = loadOrganization(path.resolve(config.directory.organizationFile));
  const insecure = /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http;/i.test(
    config.storage.connectionString,
  );
  const table = TableClient.fromConnectionString(
    config.storage.connectionString,
    `${config.storage.tablePrefix}Memberships`,
    { allowInsecureConnection: insecure },
  );
  const local = new LocalDirectory(organization, new TableMembershipStore(table));
  return {
    directory: local,
    provisioner: new LocalProvisioner(local),
    guestAccounts: new LocalGuestAccounts(local),
    local,
    ensure: async () => {
      await table.createTable();
    },
  };
}

import path from "node:path";
import { TableClient } from "@azure/data-tables";
import type { Config } from "../config";
import type { Directory } from "../ports/directory";
import type { Provisioner } from "../ports/provisioner";
import type { AppInstaller } from "../ports/app-installer";
import type { Clock } from "../ports/runtime";
import type { Logger } from "../ports/logger";
import {
  LocalDirectory,
  LocalProvisioner,
  TableMembershipStore,
  loadOrganization,
} from "../adapters/local-directory";
import {
  GraphAppInstaller,
  GraphDirectory,
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
  ensure(): Promise<void>;
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
      ...(graph.teamsAppCatalogId
        ? {
            installer: new GraphAppInstaller(
              transport,
              graph.teamsAppCatalogId,
              logger.child({ component: "graph" }),
            ),
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
    local,
    ensure: async () => {
      await table.createTable();
    },
  };
}

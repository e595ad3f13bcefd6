import { LocalDirectory, MemoryMembershipStore, loadOrganization } from "../adapters/local-directory";
import { systemClock } from "../adapters/runtime/clock";
import { createLogger } from "../adapters/runtime/logger";
import type { Config } from "../config";
import type { CrossCheckOptions } from "../governance/located";
import type { Directory } from "../ports/directory";
import { createDirectory } from "./directory";
import { GraphTenantObjects, GraphTransport, createGraphClient } from "../adapters/graph";

/** With the local directory, every user, group and app role the governance files name must exist in it. */
export function governanceReferenceChecks(config: Config): CrossCheckOptions {
  if (config.directory.kind === "graph") {
    // In Graph mode every named object is checked in the tenant, in $batch reads (tenant-check.ts).
    const { graph } = config.directory;
    const client = createGraphClient({ ...graph, baseUrl: graph.baseUrl });
    const transport = new GraphTransport(client, {
      logger: createLogger("warn").child({ component: "graph" }),
    });
    return { tenant: new GraphTenantObjects(transport) };
  }
  // Custom extensions may call plain http on loopback only in local mode.
  const allowLoopbackHttp = config.mode === "local";
  if (config.directory.kind !== "local") return { allowLoopbackHttp };
  const org = loadOrganization(config.directory.organizationFile);
  return {
    allowLoopbackHttp,
    directory: new LocalDirectory(org, new MemoryMembershipStore()),
    appRoleExists: (spId, roleId) =>
      org.servicePrincipals.some((sp) => sp.id === spId && sp.appRoles.some((r) => r.id === roleId)),
  };
}

/** The configured directory for a one-off command, logging only warnings. */
export function commandDirectory(config: Config): Directory {
  return createDirectory(config, systemClock, createLogger("warn")).directory;
}

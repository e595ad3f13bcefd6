import { LocalDirectory, MemoryMembershipStore, loadOrganization } from "../adapters/local-directory";
import { systemClock } from "../adapters/runtime/clock";
import { createLogger } from "../adapters/runtime/logger";
import type { Config } from "../config";
import type { CrossCheckOptions } from "../governance/located";
import type { Directory } from "../ports/directory";
import { createDirectory } from "./directory";

/** With the local directory, every user, group and app role the governance files name must exist in it. */
export function governanceReferenceChecks(config: Config): CrossCheckOptions {
  if (config.directory.kind !== "local") return {};
  const org = loadOrganization(config.directory.organizationFile);
  return {
    directory: new LocalDirectory(org, new MemoryMembershipStore()),
    appRoleExists: (spId, roleId) =>
      org.servicePrincipals.some((sp) => sp.id === spId && sp.appRoles.some((r) => r.id === roleId)),
  };
}

/** The configured directory for a one-off command, logging only warnings. */
export function commandDirectory(config: Config): Directory {
  return createDirectory(config, systemClock, createLogger("warn")).directory;
}

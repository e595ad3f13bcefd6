import type { GovernanceConfig } from "../../domain/model";

/** A store with nothing applied yet. */
export function emptyGovernance(): GovernanceConfig {
  return { catalogs: [], packages: [], policies: [], connectedOrganizations: [] };
}

import type { GovernanceConfig } from "../../domain/model";

/** A store with nothing applied yet. */
export function emptyGovernance(): GovernanceConfig {
  return { catalogs: [], packages: [], policies: [], connectedOrganizations: [] };
}

/** Versions kept after they stopped being current (to look back, and for readers still on them). */
export const KEEP_PREVIOUS_VERSIONS = 3;

import type { GovernanceIndex } from "../../domain/governance-index";
import type { DirectoryUser, UserId } from "../../domain/model";
import { connectedOrganizationOf } from "../../domain/external/guest-organization";
import type { AppDeps } from "../deps";

/**
 * A guest's sponsors, as Entra entitlement management reads them: the internal sponsors are the
 * user's own sponsors in Entra (`/users/{id}/sponsors`) and the connected organisation's internal
 * sponsors; the external sponsors are the organisation's. Disabled sponsors are kept here: the
 * stage's fallback rules decide what happens when nobody can act.
 */
export async function sponsorsOf(
  deps: Pick<AppDeps, "directory">,
  index: GovernanceIndex,
  user: DirectoryUser,
  which: "internal" | "external" | "both",
): Promise<UserId[]> {
  const org = connectedOrganizationOf(user, index.config.connectedOrganizations);
  const ids: UserId[] = [];
  if (which !== "external") {
    ids.push(...((await deps.directory.getSponsors?.(user.id)) ?? []));
    ids.push(...(org?.internalSponsors ?? []));
  }
  if (which !== "internal") ids.push(...(org?.externalSponsors ?? []));
  return [...new Set(ids)];
}

import type { TenantObjectFacts, TenantObjects } from "../ports/tenant-objects";
import type { ConfigProblem } from "./problems";
import { problemAt, type GovernanceSources, type Located } from "./located";
import { referencedIds } from "./references";

/** What checking the files against the tenant found: errors stop `plan` and `apply`, warnings do not. */
export interface TenantCheck {
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

const PIM = "use PIM for privileged roles (Privileged Identity Management), not an access package";
const APPROVER_PATH = /Approvers|approvers|[rR]eviewers|Sponsors/;

interface Ref {
  kind: "user" | "group";
  id: string;
  loc: Located<unknown>;
  sub: (string | number)[];
}

/**
 * Every user, group, service principal, app role and sponsor the files name must exist in the
 * tenant. Grant targets must be groups Access Desk can add members to: not dynamic (their members
 * come from a rule), and not role-assignable (privileged; PIM governs those). A directory role is
 * never a grant target. Disabled approvers and approver groups without members are warnings: the
 * stage falls back, but someone should look.
 */
export async function checkAgainstTenant(
  src: GovernanceSources,
  tenant: TenantObjects,
): Promise<TenantCheck> {
  const refs: Ref[] = referencedIds(src);
  const isApprover = (r: Ref) => APPROVER_PATH.test(r.sub.map(String).join("."));
  const sps = src.packages.flatMap((loc) =>
    loc.value.resourceRoles.flatMap((r, i) =>
      r.kind === "appRole" ? [{ loc, i, spId: r.servicePrincipalId, roleId: r.appRoleId }] : [],
    ),
  );
  const facts = await tenant.lookup({
    users: unique(refs.filter((r) => r.kind === "user").map((r) => r.id)),
    groups: unique(refs.filter((r) => r.kind === "group").map((r) => r.id)),
    servicePrincipals: unique(sps.map((s) => s.spId)),
    approverGroups: unique(refs.filter((r) => r.kind === "group" && isApprover(r)).map((r) => r.id)),
  });
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  for (const ref of refs) {
    if (ref.kind === "user") checkUser(ref, facts, isApprover(ref), errors, warnings);
    else checkGroup(ref, facts, isApprover(ref), errors, warnings);
  }
  for (const { loc, i, spId, roleId } of sps) {
    const sp = facts.servicePrincipals.get(spId);
    if (!sp) {
      errors.push(
        problemAt(
          loc,
          ["resources", i, "servicePrincipalId"],
          `no service principal with id ${spId} in the tenant`,
          "use the object id of the enterprise application (service principal), not its app id",
        ),
      );
    } else if (!sp.appRoles.some((r) => r.id === roleId)) {
      const roles = sp.appRoles.map((r) => `${r.value ?? r.displayName ?? "?"} (${r.id})`).join(", ");
      errors.push(
        problemAt(
          loc,
          ["resources", i, "appRoleId"],
          `service principal ${sp.displayName} (${spId}) has no app role ${roleId}`,
          roles ? `its app roles: ${roles}` : "it declares no app roles",
        ),
      );
    }
  }
  return { errors, warnings };
}

function checkUser(
  ref: Ref,
  facts: TenantObjectFacts,
  approver: boolean,
  errors: ConfigProblem[],
  warnings: ConfigProblem[],
): void {
  const user = facts.users.get(ref.id);
  if (!user) {
    errors.push(
      problemAt(
        ref.loc,
        ref.sub,
        `no user with id ${ref.id} in the tenant`,
        "use the object id of an existing user",
      ),
    );
    return;
  }
  if (approver && !user.accountEnabled) {
    warnings.push(
      problemAt(
        ref.loc,
        ref.sub,
        `${user.displayName} (${user.id}) is disabled and cannot approve or review`,
        "name someone else, or make sure the fallback approvers cover it",
      ),
    );
  }
}

function checkGroup(
  ref: Ref,
  facts: TenantObjectFacts,
  approver: boolean,
  errors: ConfigProblem[],
  warnings: ConfigProblem[],
): void {
  const role = facts.directoryRoles.get(ref.id);
  if (role) {
    errors.push(
      problemAt(ref.loc, ref.sub, `${role.displayName} (${ref.id}) is a directory role, not a group`, PIM),
    );
    return;
  }
  const group = facts.groups.get(ref.id);
  if (!group) {
    errors.push(
      problemAt(
        ref.loc,
        ref.sub,
        `no group with id ${ref.id} in the tenant`,
        "use the object id of an existing group",
      ),
    );
    return;
  }
  const grantTarget = ref.sub[0] === "resources";
  if (grantTarget && group.dynamic) {
    errors.push(
      problemAt(
        ref.loc,
        ref.sub,
        `${group.displayName} (${group.id}) is a dynamic group: its members come from its rule and nobody can be added`,
        "grant an assigned (static) group, or use an auto-assignment policy with the same rule",
      ),
    );
  }
  if (grantTarget && group.roleAssignable) {
    errors.push(
      problemAt(
        ref.loc,
        ref.sub,
        `${group.displayName} (${group.id}) is role-assignable: its members may hold directory roles`,
        PIM,
      ),
    );
  }
  if (approver && group.hasMembers === false) {
    warnings.push(
      problemAt(
        ref.loc,
        ref.sub,
        `${group.displayName} (${group.id}) has no members: nobody in it can approve or review`,
        "add members, or make sure the fallback approvers cover it",
      ),
    );
  }
}

const unique = (ids: string[]): string[] => [...new Set(ids)];

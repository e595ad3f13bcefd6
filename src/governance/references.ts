import type { ApproverSpec, ReviewerSpec } from "../domain/model";
import type { Directory } from "../ports/directory";
import type { ConfigProblem } from "./problems";
import { problemAt, type GovernanceSources, type Located } from "./located";

/** Every user and group id the configuration names, with where it is named. */
export function referencedIds(
  src: GovernanceSources,
): { kind: "user" | "group"; id: string; loc: Located<unknown>; sub: (string | number)[] }[] {
  const refs: { kind: "user" | "group"; id: string; loc: Located<unknown>; sub: (string | number)[] }[] = [];
  const approvers = (
    loc: Located<unknown>,
    sub: (string | number)[],
    list: (ApproverSpec | ReviewerSpec)[],
  ) =>
    list.forEach((a, i) => {
      if (a.kind === "users")
        a.userIds.forEach((id, j) => refs.push({ kind: "user", id, loc, sub: [...sub, i, "userIds", j] }));
      if (a.kind === "groupMembers")
        refs.push({ kind: "group", id: a.groupId, loc, sub: [...sub, i, "groupId"] });
    });
  for (const c of src.catalogs) {
    for (const role of [
      "owners",
      "readers",
      "accessPackageManagers",
      "accessPackageAssignmentManagers",
    ] as const)
      (c.value[role] ?? []).forEach((id, i) => refs.push({ kind: "user", id, loc: c, sub: [role, i] }));
  }
  for (const o of src.connectedOrganizations) {
    o.value.internalSponsors.forEach((id, i) =>
      refs.push({ kind: "user", id, loc: o, sub: ["internalSponsors", i] }),
    );
    o.value.externalSponsors.forEach((id, i) =>
      refs.push({ kind: "user", id, loc: o, sub: ["externalSponsors", i] }),
    );
  }
  for (const p of src.packages) {
    p.value.resourceRoles.forEach((r, i) => {
      if (r.kind !== "appRole")
        refs.push({ kind: "group", id: r.groupId, loc: p, sub: ["resources", i, "groupId"] });
    });
    p.value.incompatibleGroupIds.forEach((id, i) =>
      refs.push({ kind: "group", id, loc: p, sub: ["incompatibleGroupIds", i] }),
    );
  }
  for (const loc of src.policies) {
    const p = loc.value;
    if (p.requestors.kind === "specific") {
      (p.requestors.userIds ?? []).forEach((id, i) =>
        refs.push({ kind: "user", id, loc, sub: ["requestors", "userIds", i] }),
      );
      (p.requestors.groupIds ?? []).forEach((id, i) =>
        refs.push({ kind: "group", id, loc, sub: ["requestors", "groupIds", i] }),
      );
    }
    p.approval.stages.forEach((s, i) => {
      const base = ["approval", "stages", i];
      approvers(loc, [...base, "primaryApprovers"], s.primaryApprovers);
      approvers(loc, [...base, "fallbackApprovers"], s.fallbackApprovers);
      if (s.escalation) approvers(loc, [...base, "escalation", "approvers"], s.escalation.approvers);
    });
    const review = p.lifecycle.review;
    if (review) {
      approvers(loc, ["lifecycle", "review", "reviewers"], review.reviewers);
      approvers(loc, ["lifecycle", "review", "fallbackReviewers"], review.fallbackReviewers);
    }
  }
  return refs;
}

/** Checks that every named user and group exists in the directory. */
export async function checkDirectoryReferences(
  src: GovernanceSources,
  directory: Directory,
): Promise<ConfigProblem[]> {
  const out: ConfigProblem[] = [];
  for (const ref of referencedIds(src)) {
    const found = ref.kind === "user" ? await directory.getUser(ref.id) : await directory.getGroup(ref.id);
    if (!found)
      out.push(
        problemAt(
          ref.loc,
          ref.sub,
          `no ${ref.kind} with id ${ref.id} in the directory`,
          `use the object id of an existing ${ref.kind}`,
        ),
      );
  }
  return out;
}

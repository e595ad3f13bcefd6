import type { AccessRequest, Assignment, Catalog, UserId } from "../../domain/model";
import type { GovernanceIndex } from "../../domain/governance-index";
import { isExtensionActor } from "../../domain/extensions/model";
import type { AppDeps } from "../deps";

/** A person in a payload: enough for the receiver to find them in its own systems. */
async function person(deps: AppDeps, id: UserId | "system" | undefined) {
  if (!id) return undefined;
  if (id === "system" || isExtensionActor(id)) return { id };
  const u = await deps.directory.getUser(id);
  return u
    ? {
        id,
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
        ...(u.mail ? { mail: u.mail } : {}),
      }
    : { id };
}

const requestPart = (r: AccessRequest) => ({
  id: r.id,
  type: r.type,
  state: r.state,
  justification: r.justification,
  answers: r.answers,
  schedule: r.schedule,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  ...(r.outcomeReason ? { outcomeReason: r.outcomeReason } : {}),
});

const assignmentPart = (a: Assignment) => ({
  id: a.id,
  state: a.state,
  requestId: a.requestId,
  ...(a.startAt ? { startAt: a.startAt } : {}),
  ...(a.endAt ? { endAt: a.endAt } : {}),
});

/**
 * The body every call of one event shares (each call adds its own `id`, `type` and `extension`):
 * the request or assignment as saved, the package, catalog and policy, and the people.
 */
export async function eventBody(
  deps: AppDeps,
  index: GovernanceIndex,
  catalog: Catalog,
  parts: {
    request?: AccessRequest;
    assignment?: Assignment;
    occurredAt: string;
    decidedBy?: UserId | "system";
  },
): Promise<Record<string, unknown>> {
  const { request, assignment } = parts;
  const packageId = (assignment ?? request)!.packageId;
  const policyId = (assignment ?? request)!.policyId;
  const pkg = index.package(packageId);
  const policy = index.policy(policyId);
  const [requester, target, decidedBy] = await Promise.all([
    person(deps, request?.requesterId),
    person(deps, request?.targetUserId ?? assignment?.userId),
    person(deps, parts.decidedBy),
  ]);
  return {
    occurredAt: parts.occurredAt,
    catalog: { id: catalog.id, name: catalog.name },
    accessPackage: { id: packageId, name: pkg?.name ?? packageId },
    policy: { id: policyId, name: policy?.name ?? policyId },
    ...(request ? { request: requestPart(request) } : {}),
    ...(assignment ? { assignment: assignmentPart(assignment) } : {}),
    people: {
      ...(requester ? { requester } : {}),
      ...(target ? { target } : {}),
      ...(decidedBy ? { decidedBy } : {}),
    },
  };
}

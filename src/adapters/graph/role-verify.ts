import type { ResourceRole, UserId } from "../../domain/model";
import { runBatched } from "./batch";
import { appRoleAssignmentsCall, directAssignment, linkCheckCall, targetOf } from "./role-calls";
import type { GraphTransport } from "./transport";

/**
 * Reads each role back for one user after a grant, all in `$batch`: direct membership or ownership
 * with `GET /groups/{id}/members|owners?$filter=id eq '{user}'`, an app role with
 * `GET /users/{id}/appRoleAssignments?$filter=resourceId eq {sp}`. True: held directly; false: not
 * found; undefined: the read failed (after retries), so nothing is concluded.
 * No permission beyond the grants' own: GroupMember.ReadWrite.All, AppRoleAssignment.ReadWrite.All.
 */
export async function verifyRoles(
  transport: GraphTransport,
  userId: UserId,
  roles: ResourceRole[],
): Promise<Array<boolean | undefined>> {
  const targets = roles.map(targetOf);
  const answers = await runBatched(
    transport,
    targets.map((t) =>
      t.kind === "appRole" ? appRoleAssignmentsCall(userId, t.servicePrincipalId) : linkCheckCall(userId, t),
    ),
  );
  return targets.map((t, i) => {
    const answer = answers[i]!;
    if (t.kind !== "appRole" && answer.status === 404) return false;
    if (answer.status !== 200) return undefined;
    if (t.kind === "appRole") return directAssignment(answer.body, userId, t.appRoleId) !== undefined;
    return ((answer.body as { value?: unknown[] }).value ?? []).length > 0;
  });
}

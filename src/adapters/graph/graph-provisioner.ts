import type { ResourceRole, UserId } from "../../domain/model";
import type { Logger } from "../../ports/logger";
import type { ProvisioningOperation, ProvisioningOutcome, Provisioner } from "../../ports/provisioner";
import { runBatched } from "./batch";
import { roleHolders } from "./role-holders";
import { verifyRoles } from "./role-verify";
import { isRetryableStatus } from "./retry-policy";
import {
  appRoleAssignmentsCall,
  directAssignment,
  grantCall,
  linkCheckCall,
  removeAppRoleCall,
  removeLinkCall,
  targetOf,
  type GraphTarget,
} from "./role-calls";
import {
  errorCode,
  errorMessage,
  GraphCallError,
  type GraphAnswer,
  type GraphCall,
  type GraphTransport,
} from "./transport";

/** Graph's words for "this link is already there" on a member/owner `$ref` add and an app role grant. */
const ALREADY_LINKED = /added object references already exist/i;
const ALREADY_ASSIGNED = /permission being assigned already exists/i;

/**
 * Grants and revokes resource roles in Microsoft Graph. Every mutation goes through `$batch`;
 * repeats are harmless: "already a member" and "already gone" both come back as `unchanged`.
 */
export class GraphProvisioner implements Provisioner {
  constructor(
    private readonly transport: GraphTransport,
    private readonly logger?: Logger,
  ) {}

  /** Who holds each role directly now (group members through a `/groups/delta` round). */
  async holders(roles: ResourceRole[]): Promise<Map<string, UserId[]>> {
    return roleHolders(this.transport, roles, this.logger);
  }

  async apply(operations: ProvisioningOperation[]): Promise<ProvisioningOutcome[]> {
    const outcomes: (ProvisioningOutcome | undefined)[] = operations.map(() => undefined);
    const targets = operations.map((op) => targetOf(op.role));

    // An app role is removed by assignment id, so revokes look their assignment up first.
    const lookups = operations.flatMap((op, i) => {
      const target = targets[i];
      return op.action === "revoke" && target.kind === "appRole" ? [{ i, target }] : [];
    });
    const assignmentIds = new Map<number, string>();
    const found = await runBatched(
      this.transport,
      lookups.map(({ i, target }) => appRoleAssignmentsCall(operations[i].userId, target.servicePrincipalId)),
    );
    lookups.forEach(({ i, target }, k) => {
      const answer = found[k];
      if (answer.status !== 200) outcomes[i] = failure(answer);
      else {
        const assignment = directAssignment(answer.body, operations[i].userId, target.appRoleId);
        if (assignment) assignmentIds.set(i, assignment.id);
        else outcomes[i] = { status: "unchanged" };
      }
    });

    const mutations: { i: number; call: GraphCall }[] = [];
    operations.forEach((op, i) => {
      if (outcomes[i]) return;
      mutations.push({ i, call: mutationCall(op.action, op.userId, targets[i], assignmentIds.get(i)) });
    });
    const answers = await runBatched(
      this.transport,
      mutations.map((m) => m.call),
    );
    mutations.forEach(({ i }, k) => (outcomes[i] = interpret(operations[i].action, answers[k])));

    const result = outcomes.map(
      (o) => o ?? { status: "failed" as const, retryable: true, error: "not attempted" },
    );
    const failed = result.filter((o) => o.status === "failed").length;
    if (failed > 0)
      this.logger?.warn({ failed, total: operations.length }, "graph provisioning had failures");
    return result;
  }

  /** Reads grants back after a delivery, in `$batch` (see role-verify.ts). */
  verify(userId: UserId, roles: ResourceRole[]): Promise<Array<boolean | undefined>> {
    return verifyRoles(this.transport, userId, roles);
  }

  async holds(userId: UserId, role: ResourceRole): Promise<boolean> {
    const target = targetOf(role);
    if (target.kind === "appRole") {
      const call = appRoleAssignmentsCall(userId, target.servicePrincipalId);
      const answer = await this.transport.call(call);
      if (answer.status !== 200) throw new GraphCallError(call.url, answer);
      return directAssignment(answer.body, userId, target.appRoleId) !== undefined;
    }
    const call = linkCheckCall(userId, target);
    const answer = await this.transport.call(call);
    if (answer.status === 404) return false;
    if (answer.status !== 200) throw new GraphCallError(call.url, answer);
    return ((answer.body as { value?: unknown[] }).value ?? []).length > 0;
  }
}

function mutationCall(
  action: "grant" | "revoke",
  userId: UserId,
  target: GraphTarget,
  assignmentId?: string,
): GraphCall {
  if (action === "grant") return grantCall(userId, target);
  if (target.kind === "appRole") return removeAppRoleCall(target.servicePrincipalId, assignmentId ?? "");
  return removeLinkCall(userId, target);
}

/** Each answer on its own: success, an idempotent no-op, or a failure that says whether to retry. */
export function interpret(action: "grant" | "revoke", answer: GraphAnswer): ProvisioningOutcome {
  if (answer.status >= 200 && answer.status < 300) return { status: "done" };
  const message = errorMessage(answer.body);
  if (
    action === "grant" &&
    answer.status === 400 &&
    (ALREADY_LINKED.test(message) || ALREADY_ASSIGNED.test(message))
  ) {
    return { status: "unchanged" };
  }
  // Removing what is not there: the goal (no access) already holds.
  if (action === "revoke" && answer.status === 404) return { status: "unchanged" };
  return failure(answer);
}

function failure(answer: GraphAnswer): ProvisioningOutcome {
  const retryable = isRetryableStatus(answer.status);
  const code = errorCode(answer.body);
  const outcome: ProvisioningOutcome = {
    status: "failed",
    retryable,
    error: `${answer.status || "no response"} ${code}: ${errorMessage(answer.body)}`.trim(),
  };
  if (retryable && answer.retryAfterMs !== undefined) outcome.retryAfterMs = answer.retryAfterMs;
  return outcome;
}

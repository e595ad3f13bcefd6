import type { ResourceRole, UserId } from "../../domain/model";
import type { ProvisioningOperation, ProvisioningOutcome, Provisioner } from "../../ports/provisioner";
import { grantKey } from "../../domain/assignment/revocation";
import { LocalDirectory, resourceKeyOf } from "./local-directory";

/** Lets a test make one operation fail (return an outcome) or pass through (return undefined). */
export type FaultHook = (
  operation: ProvisioningOperation,
) => ProvisioningOutcome | undefined | Promise<ProvisioningOutcome | undefined>;

/**
 * Grants and revokes in the local directory. Idempotent like Microsoft Graph: granting what is held
 * or revoking what is absent is `unchanged`, not an error.
 */
export class LocalProvisioner implements Provisioner {
  constructor(
    private readonly directory: LocalDirectory,
    private readonly options: { fault?: FaultHook } = {},
  ) {}

  async apply(operations: ProvisioningOperation[]): Promise<ProvisioningOutcome[]> {
    const outcomes: ProvisioningOutcome[] = [];
    for (const op of operations) outcomes.push(await this.applyOne(op));
    return outcomes;
  }

  async holds(userId: UserId, role: ResourceRole): Promise<boolean> {
    return this.directory.holds(userId, resourceKeyOf(role));
  }

  /** The grants read back: the local directory answers at once, so every delivery is verified. */
  async verify(userId: UserId, roles: ResourceRole[]): Promise<boolean[]> {
    return Promise.all(roles.map((role) => this.holds(userId, role)));
  }

  /** Direct holders of each role, by grant key: the organisation file plus what provisioning changed. */
  async holders(roles: ResourceRole[]): Promise<Map<string, UserId[]>> {
    const found = new Map<string, UserId[]>();
    for (const role of roles) {
      const key = grantKey(role);
      if (!found.has(key)) found.set(key, await this.directory.holderIds(resourceKeyOf(role)));
    }
    return found;
  }

  private async applyOne(op: ProvisioningOperation): Promise<ProvisioningOutcome> {
    try {
      const injected = await this.options.fault?.(op);
      if (injected) return injected;
      const missing = this.missingResource(op);
      if (missing) return { status: "failed", retryable: false, error: missing };
      if (!(await this.directory.getUser(op.userId))) {
        return { status: "failed", retryable: false, error: `no user with id ${op.userId}` };
      }
      const key = resourceKeyOf(op.role);
      const want = op.action === "grant";
      if ((await this.directory.holds(op.userId, key)) === want) return { status: "unchanged" };
      await this.directory.setHolding(key, op.userId, want);
      return { status: "done" };
    } catch (e) {
      // Storage hiccups are worth retrying; the operation is idempotent.
      return { status: "failed", retryable: true, error: (e as Error).message };
    }
  }

  private missingResource(op: ProvisioningOperation): string | undefined {
    const role = op.role;
    if (role.kind === "appRole") {
      const sp = this.directory.getServicePrincipal(role.servicePrincipalId);
      if (!sp) return `no service principal ${role.servicePrincipalId}`;
      if (!sp.appRoles.some((r) => r.id === role.appRoleId))
        return `no app role ${role.appRoleId} on ${sp.displayName}`;
      return undefined;
    }
    return this.directory.hasGroup(role.groupId) ? undefined : `no group ${role.groupId}`;
  }
}

import type { ResourceRole, UserId } from "../../../../src/domain/model";
import { grantKey } from "../../../../src/domain/assignment/revocation";
import type {
  ProvisioningOperation,
  ProvisioningOutcome,
  Provisioner,
} from "../../../../src/ports/provisioner";

/** Holds grants in a set; failures can be queued per role display name. */
export class MapProvisioner implements Provisioner {
  readonly held = new Set<string>();
  readonly log: ProvisioningOperation[] = [];
  private readonly failures = new Map<string, ProvisioningOutcome[]>();

  private key = (userId: UserId, role: ResourceRole) => `${userId}|${grantKey(role)}`;

  give(userId: UserId, role: ResourceRole): void {
    this.held.add(this.key(userId, role));
  }
  has(userId: UserId, role: ResourceRole): boolean {
    return this.held.has(this.key(userId, role));
  }
  /** The next grants/revokes of the role fail with these outcomes, in order. */
  failNext(displayName: string, ...outcomes: ProvisioningOutcome[]): void {
    this.failures.set(displayName, outcomes);
  }

  async holds(userId: UserId, role: ResourceRole): Promise<boolean> {
    return this.has(userId, role);
  }

  async apply(operations: ProvisioningOperation[]): Promise<ProvisioningOutcome[]> {
    return operations.map((op) => {
      this.log.push(op);
      const queued = this.failures.get(op.role.displayName);
      const failure = queued?.shift();
      if (failure) return failure;
      const key = this.key(op.userId, op.role);
      if (op.action === "grant") {
        if (this.held.has(key)) return { status: "unchanged" };
        this.held.add(key);
      } else {
        if (!this.held.delete(key)) return { status: "unchanged" };
      }
      return { status: "done" };
    });
  }
}

import type { Delegation } from "../../domain/delegation/delegation";
import type { Instant, UserId } from "../../domain/model";
import type { DelegationStore } from "../../ports/delegations";
import type { UsedLinkStore } from "../../ports/signed-links";

/** Delegations in memory, one per approver. */
export class MemoryDelegationStore implements DelegationStore {
  private readonly rows = new Map<UserId, Delegation>();

  async get(approverId: UserId): Promise<Delegation | undefined> {
    const row = this.rows.get(approverId);
    return row && { ...row };
  }

  async put(delegation: Delegation): Promise<void> {
    this.rows.set(delegation.approverId, { ...delegation });
  }

  async remove(approverId: UserId): Promise<Delegation | undefined> {
    const row = this.rows.get(approverId);
    this.rows.delete(approverId);
    return row;
  }

  async list(): Promise<Delegation[]> {
    return [...this.rows.values()]
      .map((d) => ({ ...d }))
      .sort((a, b) => (a.approverId < b.approverId ? -1 : a.approverId > b.approverId ? 1 : 0));
  }

  async listForDelegate(delegateId: UserId): Promise<Delegation[]> {
    return (await this.list()).filter((d) => d.delegateId === delegateId);
  }
}

/** Used download links in memory. */
export class MemoryUsedLinkStore implements UsedLinkStore {
  private readonly used = new Set<string>();

  async claim(linkId: string, _expiresAt: Instant): Promise<boolean> {
    if (this.used.has(linkId)) return false;
    this.used.add(linkId);
    return true;
  }
}

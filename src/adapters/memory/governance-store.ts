import { randomBytes } from "node:crypto";
import type { AuditEntry, GovernanceConfig } from "../../domain/model";
import type { GovernancePublish, GovernanceStore, GovernanceVersion, OwedAudit } from "../../ports/stores";
import { AlreadyExistsError, ConcurrencyError } from "../../ports/versioned";
import { emptyGovernance, KEEP_PREVIOUS_VERSIONS } from "../shared/governance";
import { storedCopy } from "../shared/stored-json";

interface StoredVersion {
  config: GovernanceConfig;
  audit: AuditEntry[];
}

interface Pointer {
  version: string;
  /** Versions whose audit entries are owed, oldest first. */
  owed: string[];
  /** The versions that were current before, oldest first (at most KEEP_PREVIOUS_VERSIONS). */
  history: string[];
}

/**
 * The governance configuration in memory, with the versions and the pointer of the table store
 * (see docs/storage.md), copied on the way in and out. A publish here cannot be interrupted; the
 * semantics (base check, owed audit, pruning) are the same.
 */
export class MemoryGovernanceStore implements GovernanceStore {
  private readonly versions = new Map<string, StoredVersion>();
  private pointer?: Pointer;

  constructor(initial?: GovernanceConfig) {
    if (initial) {
      this.versions.set("initial", { config: storedCopy("governance", initial), audit: [] });
      this.pointer = { version: "initial", owed: [], history: [] };
    }
  }

  async load(): Promise<GovernanceConfig> {
    return (await this.current()).config;
  }

  async current(): Promise<GovernanceVersion> {
    if (!this.pointer) return { config: emptyGovernance() };
    const { config } = this.versions.get(this.pointer.version)!;
    return { version: this.pointer.version, config: storedCopy("governance", config) };
  }

  async currentVersion(): Promise<string | undefined> {
    return this.pointer?.version;
  }

  async publish(change: GovernancePublish): Promise<void> {
    const stored = {
      config: storedCopy("governance", change.config),
      audit: storedCopy("audit entries", change.audit),
    };
    if (this.versions.has(change.version))
      throw new AlreadyExistsError(`governance version ${change.version}`);
    const before = this.pointer;
    if (before?.version !== change.base) throw new ConcurrencyError("the governance configuration");
    this.versions.set(change.version, stored);
    this.pointer = {
      version: change.version,
      owed: [...(before?.owed ?? []), ...(change.audit.length > 0 ? [change.version] : [])],
      history: before ? [...before.history, before.version].slice(-KEEP_PREVIOUS_VERSIONS) : [],
    };
  }

  async owedAudit(): Promise<OwedAudit[]> {
    return (this.pointer?.owed ?? []).map((version) => ({
      version,
      entries: storedCopy("audit entries", this.versions.get(version)!.audit),
    }));
  }

  async confirmAudited(versions: string[]): Promise<void> {
    if (this.pointer) this.pointer.owed = this.pointer.owed.filter((v) => !versions.includes(v));
  }

  async prune(): Promise<void> {
    if (!this.pointer) return;
    const keep = new Set([this.pointer.version, ...this.pointer.owed, ...this.pointer.history]);
    for (const version of [...this.versions.keys()]) if (!keep.has(version)) this.versions.delete(version);
  }

  async save(next: GovernanceConfig): Promise<void> {
    const version = `save-${randomBytes(8).toString("hex")}`;
    await this.publish({ version, base: this.pointer?.version, config: next, audit: [] });
    await this.prune();
  }

  /** How many versions are kept (tests of pruning). */
  get versionCount(): number {
    return this.versions.size;
  }
}

import type { GovernanceConfig } from "../../domain/model";
import type { GovernanceStore } from "../../ports/stores";
import { storedCopy } from "../shared/stored-json";
import { emptyGovernance } from "../shared/governance";

/** The governance configuration in memory, copied on the way in and out. */
export class MemoryGovernanceStore implements GovernanceStore {
  private config: GovernanceConfig;

  constructor(initial: GovernanceConfig = emptyGovernance()) {
    this.config = storedCopy("governance", initial);
  }

  async load(): Promise<GovernanceConfig> {
    return storedCopy("governance", this.config);
  }

  async save(next: GovernanceConfig): Promise<void> {
    this.config = storedCopy("governance", next);
  }
}

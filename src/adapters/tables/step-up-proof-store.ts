import type { TableClient } from "@azure/data-tables";
import type { UserId } from "../../domain/model";
import type { StepUpProof } from "../../domain/step-up/step-up";
import type { StepUpProofStore } from "../../ports/step-up";
import { tolerating } from "./errors";
import { key } from "./keys";

const ROW = "proof";

interface ProofEntity {
  partitionKey: string;
  rowKey: string;
  authTime: string;
  method: string;
  provedAt: string;
  expiresAt: string;
}

/**
 * StepUpProofs table: one row per approver (`u|<user>`, row `proof`), replaced by their next
 * sign-in. Shared by every instance, so a sign-in answered by one counts for a click that another
 * receives. An expired proof stays until the next sign-in replaces it: the domain judges expiry.
 */
export class TableStepUpProofs implements StepUpProofStore {
  constructor(private readonly client: TableClient) {}

  async get(userId: UserId): Promise<StepUpProof | undefined> {
    const e = await tolerating([404], () => this.client.getEntity<ProofEntity>(key("u", userId), ROW));
    return e
      ? { userId, authTime: e.authTime, method: e.method, provedAt: e.provedAt, expiresAt: e.expiresAt }
      : undefined;
  }

  async save(proof: StepUpProof): Promise<void> {
    const entity: ProofEntity = {
      partitionKey: key("u", proof.userId),
      rowKey: ROW,
      authTime: proof.authTime,
      method: proof.method,
      provedAt: proof.provedAt,
      expiresAt: proof.expiresAt,
    };
    await this.client.upsertEntity(entity, "Replace");
  }
}

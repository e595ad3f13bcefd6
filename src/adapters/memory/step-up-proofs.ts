import type { UserId } from "../../domain/model";
import type { StepUpProof } from "../../domain/step-up/step-up";
import type { StepUpProofStore } from "../../ports/step-up";

/** Step-up proofs in memory (tests, and one local instance): the latest sign-in per approver. */
export class MemoryStepUpProofs implements StepUpProofStore {
  private readonly rows = new Map<UserId, StepUpProof>();

  async get(userId: UserId): Promise<StepUpProof | undefined> {
    const proof = this.rows.get(userId);
    return proof && { ...proof };
  }

  async save(proof: StepUpProof): Promise<void> {
    this.rows.set(proof.userId, { ...proof });
  }
}

import { approverGroupContract, approverGroupRowsContract } from "./approver-groups.contract";
import { assignmentAndReviewContract } from "./assignments-reviews.contract";
import { claimContract, rememberedClaimContract } from "./claims.contract";
import { delegationContract } from "./delegations.contract";
import { deliveryLogContract } from "./deliveries.contract";
import { conversationContract, governanceContract } from "./conversations-governance.contract";
import { dueWorkContract } from "./due-work.contract";
import { runContract } from "./harness";
import { largeReviewContract } from "./large-reviews.contract";
import { laterDropsContract } from "./later-drops.contract";
import { auditContract, leaseContract } from "./lease-audit.contract";
import { requestContract } from "./requests.contract";
import { savesAfterContract } from "./saves-after.contract";
import { stepUpProofContract } from "./step-up-proofs.contract";
import { tableOnlyContract } from "./tables-only.contract";

describe("store contract", () => {
  runContract(
    [
      requestContract,
      approverGroupContract,
      assignmentAndReviewContract,
      dueWorkContract,
      leaseContract,
      auditContract,
      conversationContract,
      governanceContract,
      claimContract,
      delegationContract,
      largeReviewContract,
      stepUpProofContract,
      deliveryLogContract,
      savesAfterContract,
    ],
    [tableOnlyContract, approverGroupRowsContract, laterDropsContract, rememberedClaimContract],
  );
});

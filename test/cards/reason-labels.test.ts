import assert from "node:assert/strict";
import { GovernanceIndex } from "../../src/domain/governance-index";
import type { ReviewSettings } from "../../src/domain/model";
import type { ViewContext } from "../../src/views/context";
import { renderCard } from "../../src/views/render";
import { reviewView } from "../../src/views/review";
import { USERS, governanceFixture } from "../bot/fixtures/organization";
import { NOW, sampleReview, samples } from "./samples";

interface Input {
  id: string;
  label: string;
  isRequired: boolean;
}

function inputsOf(node: unknown, found: Input[] = []): Input[] {
  if (Array.isArray(node)) node.forEach((n) => inputsOf(n, found));
  else if (node && typeof node === "object") {
    const n = node as Record<string, unknown>;
    if (typeof n.type === "string" && n.type.startsWith("Input.")) {
      found.push({ id: String(n.id), label: String(n.label ?? ""), isRequired: n.isRequired === true });
    }
    Object.values(n).forEach((v) => inputsOf(v, found));
  }
  return found;
}

/** The fixture organisation with Business Analyst reviewed monthly by managers. */
function contextWithReview(justificationRequired: boolean): ViewContext {
  const config = governanceFixture();
  const review: ReviewSettings = {
    recurrence: "monthly",
    startDate: NOW,
    durationDays: 14,
    reviewers: [{ kind: "manager", level: 1 }],
    fallbackReviewers: [],
    justificationRequired,
    ifNoResponse: "keep",
  };
  config.policies[0]!.lifecycle.review = review;
  return { now: NOW, index: new GovernanceIndex(config), people: new Map(USERS.map((u) => [u.id, u])) };
}

describe("reason inputs: the label and what the client checks agree", () => {
  const reviewCards = [true, false].map((required) => ({
    name: `review (reason ${required ? "required" : "optional"} by the policy)`,
    card: renderCard(reviewView(contextWithReview(required), sampleReview(), "maria")),
  }));
  const all = [
    ...samples().map(({ name, message }) => ({ name, card: renderCard(message) })),
    ...reviewCards,
  ];

  for (const { name, card } of all) {
    it(`${name}: an input labelled "required" is isRequired, and only then`, () => {
      for (const input of inputsOf(card)) {
        assert.equal(
          /\brequired\b/i.test(input.label),
          input.isRequired,
          `${input.id}: label "${input.label}", isRequired ${input.isRequired}`,
        );
      }
    });
  }

  it("says on a review card that needs reasons which decisions need one, without blocking the other buttons", () => {
    const inputs = inputsOf(reviewCards[0]!.card);
    const items = inputs.filter((i) => i.id.startsWith("reason_"));
    const bulk = inputs.find((i) => i.id === "reviewReason")!;
    assert.ok(items.length > 1 && bulk);
    // A reason may come from the item's input or the bulk one, and Accept recommendations needs
    // none: a client-side isRequired on any of them would block clicks the rule allows.
    assert.deepEqual(
      inputs.filter((i) => i.isRequired),
      [],
    );
    for (const item of items) assert.equal(item.label, "Reason (needed to approve or deny)");
    assert.equal(bulk.label, "Reason (needed for Approve all and Deny all)");
  });

  it("labels review reasons optional when the policy does not ask for them", () => {
    for (const input of inputsOf(reviewCards[1]!.card)) assert.equal(input.label, "Reason (optional)");
  });
});

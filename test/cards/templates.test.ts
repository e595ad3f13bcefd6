import assert from "node:assert/strict";
import Ajv from "ajv";
import { GovernanceIndex } from "../../src/domain/governance-index";
import { approvalView } from "../../src/views/approval";
import { MAX_CARD_BYTES, TEMPLATES, cardBytes, renderCard } from "../../src/views/render";
import { governanceFixture } from "../bot/fixtures/organization";
import { adaptiveCardSchema } from "./adaptive-card-schema";
import { NOW, sampleContext, sampleRequest, samples } from "./samples";

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(adaptiveCardSchema);

/** Keys an action's data may carry: opaque ids, the card's revision, the stage and a menu item. */
const ALLOWED_DATA_KEYS = new Set([
  "requestId",
  "assignmentId",
  "reviewId",
  "packageId",
  "policyId",
  "forRef",
  "revision",
  "stage",
  "item",
  "page",
]);

function actionsOf(
  node: unknown,
  found: Array<Record<string, unknown>> = [],
): Array<Record<string, unknown>> {
  if (Array.isArray(node)) node.forEach((n) => actionsOf(n, found));
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record.type === "Action.Execute") found.push(record);
    Object.values(record).forEach((v) => actionsOf(v, found));
  }
  return found;
}

describe("card templates", () => {
  const all = samples();

  it("has a sample for every template", () => {
    const covered = new Set(all.map((s) => s.message.template));
    assert.deepEqual(
      Object.keys(TEMPLATES).filter((t) => !covered.has(t)),
      [],
    );
  });

  for (const { name, message } of all) {
    describe(name, () => {
      const card = renderCard(message);

      it("validates against the Adaptive Card 1.5 schema", () => {
        const valid = validate(card);
        assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 1));
      });

      it("binds every expression", () => {
        assert.doesNotMatch(JSON.stringify(card), /\$\{/);
      });

      it(`stays under ${MAX_CARD_BYTES} bytes`, () => {
        assert.ok(cardBytes(card) < MAX_CARD_BYTES, `${cardBytes(card)} bytes`);
      });

      it("carries only opaque ids and revisions in action data", () => {
        for (const action of actionsOf(card)) {
          for (const key of Object.keys((action.data as object) ?? {})) {
            assert.ok(ALLOWED_DATA_KEYS.has(key), `${String(action.verb)} carries ${key}`);
          }
        }
      });
    });
  }

  it("keeps the largest approval card under the size budget", () => {
    const config = governanceFixture();
    const pkg = config.packages[0]!;
    pkg.resourceRoles = Array.from({ length: 200 }, (_, i) => ({
      kind: "groupMember" as const,
      groupId: `g${i}`,
      displayName: "A very long group name that goes on and on ".repeat(4) + i,
    }));
    const ctx = { ...sampleContext(), index: new GovernanceIndex(config) };
    const request = sampleRequest({
      justification: "x".repeat(5000),
      answers: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`q${i}`, "y".repeat(3000)])),
    });
    const card = renderCard(
      approvalView(ctx, request, {
        actionable: true,
        refreshUserIds: Array.from({ length: 100 }, (_, i) => `29:user-${i}`),
        sodWarnings: Array.from({ length: 20 }, () => "z".repeat(1000)),
      }),
    );
    assert.ok(validate(card), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.ok(cardBytes(card) < MAX_CARD_BYTES, `${cardBytes(card)} bytes`);
    assert.equal((card.refresh as { userIds: string[] }).userIds.length, 60);
  });

  it("shows approve and deny only when the viewer may decide", () => {
    const ctx = sampleContext();
    const verbs = (actionable: boolean) =>
      actionsOf(renderCard(approvalView(ctx, sampleRequest(), { actionable, refreshUserIds: [] })).body).map(
        (a) => a.verb,
      );
    assert.deepEqual(verbs(true), ["approval.approve", "approval.deny"]);
    assert.deepEqual(verbs(false), []);
  });

  it("renders dates as client-side date macros", () => {
    const card = JSON.stringify(renderCard(samples().find((s) => s.name === "request status")!.message));
    assert.match(card, /\{\{DATE\(2026-11-23T10:00:00Z, SHORT\)\}\}/);
    assert.ok(NOW);
  });
});

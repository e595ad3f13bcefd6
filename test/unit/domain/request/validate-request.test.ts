import { strict as assert } from "node:assert";
import { validateRequest, type RequestInput } from "../../../../src/domain/request/validate-request";
import type { AssignmentPolicy, Question } from "../../../../src/domain/model";
import { NOW, twoStagePolicy } from "../support/fixtures";

const questions: Question[] = [
  { id: "costCenter", text: "Cost center?", kind: "shortText", required: true, regex: "^CC-\\d{4}$" },
  { id: "notes", text: "Anything else?", kind: "longText", required: false },
  { id: "region", text: "Region?", kind: "multipleChoice", required: true, choices: ["EU", "US"] },
];

const policy = (patch: Partial<AssignmentPolicy["request"]> = {}): AssignmentPolicy => {
  const p = twoStagePolicy();
  return { ...p, request: { ...p.request, questions, requesterSchedule: true, ...patch } };
};

const good: RequestInput = {
  justification: "Month-end close",
  answers: { costCenter: "CC-1234", region: "EU" },
};
const fields = (input: Partial<RequestInput>, p = policy()) => {
  const result = validateRequest(p, { ...good, ...input }, NOW);
  return result.ok ? [] : (result.error.problems ?? []).map((x) => x.field);
};

describe("validateRequest", () => {
  it("accepts a complete request and trims the answers", () => {
    const result = validateRequest(policy(), { ...good, justification: "  Month-end close  " }, NOW);
    assert.ok(result.ok);
    assert.equal(result.value.justification, "Month-end close");
    assert.deepEqual(result.value.answers, { costCenter: "CC-1234", region: "EU" });
  });

  const table: Array<[string, Partial<RequestInput>, string[], AssignmentPolicy?]> = [
    ["requires a justification", { justification: "   " }, ["justification"]],
    [
      "accepts no justification when the policy does not need one",
      { justification: "" },
      [],
      policy({ justificationRequired: false }),
    ],
    ["limits the justification to 1000 characters", { justification: "x".repeat(1001) }, ["justification"]],
    ["requires required questions", { answers: { region: "EU" } }, ["question:costCenter"]],
    [
      "checks text answers against the question's format",
      { answers: { costCenter: "1234", region: "EU" } },
      ["question:costCenter"],
    ],
    [
      "limits short answers to 200 characters",
      { answers: { costCenter: "CC-1234", region: "EU", notes: "" } },
      [],
    ],
    [
      "limits long answers to 2000 characters",
      { answers: { ...good.answers, notes: "n".repeat(2001) } },
      ["question:notes"],
    ],
    [
      "only accepts listed choices",
      { answers: { costCenter: "CC-1234", region: "APAC" } },
      ["question:region"],
    ],
    [
      "rejects answers to unknown questions",
      { answers: { ...good.answers, shoeSize: "42" } },
      ["question:shoeSize"],
    ],
    [
      "reports every problem at once",
      { justification: "", answers: {} },
      ["justification", "question:costCenter", "question:region"],
    ],
    [
      "accepts a schedule within the expiry",
      { schedule: { startAt: "2026-11-25T00:00:00.000Z", endAt: "2026-12-20T00:00:00.000Z" } },
      [],
    ],
    ["accepts a start a moment in the past", { schedule: { startAt: "2026-11-23T09:57:00.000Z" } }, []],
    [
      "rejects a start in the past",
      { schedule: { startAt: "2026-11-22T10:00:00.000Z" } },
      ["schedule.startAt"],
    ],
    [
      "rejects an end before the start",
      { schedule: { startAt: "2026-11-25T00:00:00.000Z", endAt: "2026-11-24T00:00:00.000Z" } },
      ["schedule.endAt"],
    ],
    [
      "rejects an end beyond the policy's expiry",
      { schedule: { endAt: "2027-01-30T00:00:00.000Z" } },
      ["schedule.endAt"],
    ],
    [
      "caps the end from the requested start",
      { schedule: { startAt: "2026-12-01T00:00:00.000Z", endAt: "2026-12-30T00:00:00.000Z" } },
      [],
    ],
    [
      "rejects dates that are not dates",
      { schedule: { startAt: "soon", endAt: "later" } },
      ["schedule.startAt", "schedule.endAt"],
    ],
    [
      "rejects a schedule when the policy does not allow one",
      { schedule: { endAt: "2026-12-01T00:00:00.000Z" } },
      ["schedule.startAt"],
      policy({ requesterSchedule: false }),
    ],
  ];
  for (const [name, input, expected, p] of table) {
    it(name, () => assert.deepEqual(fields(input, p), expected));
  }

  it("names the code REQUEST.INVALID", () => {
    const result = validateRequest(policy(), { justification: "", answers: {} }, NOW);
    assert.equal(!result.ok && result.error.code, "REQUEST.INVALID");
  });
});

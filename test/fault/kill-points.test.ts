import { effects, type KillPoint, killPointSuite } from "./support/kill-runner";

const deliveryRetry = /\|deliveryRetry\|/;

/**
 * Each point: the N-th storage write of a kind (one employee asks for Business Analyst; the
 * manager, then the Security Team approve; delivery; the sweeps once the clock moved on).
 */
const POINTS: KillPoint[] = [
  // Submit
  {
    name: "submit: claim row created",
    pattern: { table: "Claims", verb: "create" },
    at: ["request", "answer"],
  },
  {
    name: "submit: effects journal written",
    pattern: { table: "DueWork", verb: "upsert", rowKey: /\|effects\|request:/ },
    at: ["request"],
  },
  {
    name: "submit: approver index row",
    pattern: { table: "Requests", verb: "upsert", partitionKey: /^a\|/ },
    at: ["request"],
  },
  {
    name: "submit: request created",
    pattern: { table: "Requests", verb: "create" },
    at: ["request", "answer"],
  },
  {
    name: "submit: audit rows (day partition)",
    pattern: { table: "Audit", verb: ["create", "upsert"], partitionKey: /^d\|/ },
    at: ["request"],
  },
  // The notification sink, on the first batch (the manager's approval card)
  {
    name: "sink: conversation reference saved",
    pattern: { table: "Conversations", verb: "upsert", partitionKey: /^user\|/ },
    at: ["request"],
  },
  {
    name: "sink: card copy remembered",
    pattern: { table: "Conversations", verb: "upsert", partitionKey: /^card\|/ },
    at: ["request"],
  },
  {
    name: "sink: delivery-log record",
    pattern: { table: "Deliveries", verb: "upsert" },
    at: ["request", "answer"],
  },
  {
    name: "sink: effects item removed",
    pattern: { table: "DueWork", verb: "delete", rowKey: effects },
    at: ["request"],
  },
  // Stage 1 approval
  {
    name: "approve 1: effects journal written",
    pattern: { table: "DueWork", verb: "upsert", rowKey: /\|effects\|request:/ },
    nth: 2,
    at: ["request"],
  },
  {
    name: "approve 1: request CAS",
    pattern: { table: "Requests", verb: "update", partitionKey: /^e\|/ },
    at: ["request", "answer"],
  },
  {
    name: "approve 1: stage-2 members' group notes",
    pattern: { table: "Requests", verb: "upsert", partitionKey: /^a\|/ },
    nth: 2,
    at: ["request"],
  },
  {
    name: "approve 1: stage-2 group row",
    pattern: { table: "Requests", verb: "upsert", partitionKey: /^g\|/ },
    at: ["request", "answer"],
  },
  {
    name: "approve 1: old approver row dropped",
    pattern: { table: "Requests", verb: "delete", partitionKey: /^a\|/ },
    at: ["request"],
  },
  // Stage 2 approval: into delivering
  {
    name: "approve 2: deliveryRetry safety net",
    pattern: { table: "DueWork", verb: "upsert", rowKey: deliveryRetry },
    at: ["request", "answer"],
  },
  {
    name: "approve 2: request CAS (delivering)",
    pattern: { table: "Requests", verb: "update", partitionKey: /^e\|/ },
    nth: 2,
    at: ["request", "answer"],
  },
  // Delivery
  {
    name: "delivery: claim handed over",
    pattern: { table: "Claims", verb: "update" },
    at: ["request", "answer"],
  },
  {
    name: "delivery: assignment created",
    pattern: { table: "Assignments", verb: "create" },
    at: ["request", "answer"],
  },
  {
    name: "delivery: second grant (membership)",
    pattern: { table: "Memberships", verb: "upsert" },
    nth: 2,
    at: ["request"],
  },
  {
    name: "delivery: grant CAS",
    pattern: { table: "Assignments", verb: "update", partitionKey: /^e\|/ },
    at: ["request", "answer"],
  },
  {
    name: "delivery: grant audit rows",
    pattern: { table: "Audit", verb: ["create", "upsert"], partitionKey: /^u\|/, rowKey: /^s\|assignment:/ },
    at: ["request"],
  },
  {
    name: "delivery: request CAS (delivered)",
    pattern: { table: "Requests", verb: "update", partitionKey: /^e\|/ },
    nth: 3,
    at: ["request", "answer"],
  },
  {
    name: "delivery: channel post record",
    pattern: { table: "Deliveries", verb: "upsert", rowKey: /channel/ },
    at: ["request"],
  },
  // Sweeps, once the clock moved on
  {
    name: "sweep: safety net claimed",
    pattern: { table: "DueWork", verb: "update", condition: "etag", rowKey: deliveryRetry },
    phase: "sweep",
    at: ["request", "answer"],
  },
  {
    name: "sweep: safety net completed",
    pattern: { table: "DueWork", verb: "delete", condition: "etag", rowKey: deliveryRetry },
    phase: "sweep",
    at: ["request"],
  },
  {
    name: "sweep: effects batch claimed",
    pattern: { table: "DueWork", verb: "update", condition: "etag", rowKey: effects },
    phase: "sweep",
    keepFirstBatch: true,
    at: ["request", "answer"],
  },
  {
    name: "sweep: rerun removes the batch",
    pattern: { table: "DueWork", verb: "delete", condition: "any", rowKey: effects },
    phase: "sweep",
    keepFirstBatch: true,
    sameBatch: true,
    at: ["request"],
  },
];

killPointSuite({
  title: "fault suite: SIGKILL at chosen storage writes (one employee per point)",
  points: POINTS,
  shareReference: true,
});

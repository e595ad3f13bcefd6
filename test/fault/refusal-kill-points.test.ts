import assert from "node:assert/strict";
import { type KillPoint, killPointSuite } from "./support/kill-runner";

/** A Security Team member who removed the app: stage 2's card to her is refused (403). */
const JOHANNA = "11111111-0000-4000-8000-000000000012"; // Johanna Lorenz
const hers = new RegExp(`^u\\|${JOHANNA}$`);

/**
 * The refusal's own writes: the delivery log's "undeliverable" row, the request remembering her as
 * unreachable, her audit row (the copies, then the day's chain), the notices' delivery-log rows,
 * and the register of who was told.
 * The requester hears "Couldn't reach" once, and the refusal is audited once, whatever the kill.
 */
const POINTS: KillPoint[] = [
  {
    name: "refusal: delivery-log row",
    pattern: { table: "Deliveries", verb: ["create", "upsert"], body: /undeliverable/ },
    at: ["request", "answer"],
  },
  {
    name: "refusal: request remembers the unreachable",
    pattern: { table: "Requests", verb: "update", partitionKey: /^e\|/, body: new RegExp(JOHANNA) },
    at: ["request", "answer"],
  },
  {
    name: "refusal: audit row copies",
    pattern: { table: "Audit", verb: ["create", "upsert"], partitionKey: hers },
    at: ["request", "answer"],
  },
  {
    name: "refusal: audit row chained",
    pattern: { table: "Audit", verb: ["create", "upsert"], partitionKey: /^d\|/, body: /undeliverable/ },
    at: ["request", "answer"],
  },
  {
    name: "refusal: notice to the requester logged",
    pattern: { table: "Deliveries", verb: ["create", "upsert"], rowKey: /unreachable/ },
    at: ["request", "answer"],
  },
  {
    name: "refusal: who was told",
    pattern: { table: "Deliveries", verb: ["create", "upsert"], partitionKey: /^unreachable-/ },
    at: ["request", "answer"],
  },
];

killPointSuite({
  title: "fault suite: SIGKILL around a card refused for good (one employee per point)",
  points: POINTS,
  setUp: (f) => f.connector.removeApp(JOHANNA),
  // Back to the default for the suites after this one: her messages are delivered again.
  tearDown: (f) => f.connector.store.markInstalled(JOHANNA),
  checkReference: (reference) => {
    assert.equal(reference.audit.get("notification.undeliverable"), 1, "the refusal audited once");
    const told = [...reference.messages.keys()].filter((k) => k.startsWith("<employee> | Couldn't reach"));
    assert.equal(told.length, 1, `the requester told once: ${[...reference.messages.keys()].join("; ")}`);
  },
});

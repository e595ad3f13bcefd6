import assert from "node:assert/strict";
import type { AccessRequest, Assignment, RequestType } from "../../../src/domain/model";
import { startBotWorld } from "../../support/over-http";
import { memoryStores } from "../../support/stores";
import { governanceFixture } from "../fixtures/organization";
import { type HttpHarness, START } from "./harness";

/**
 * The fixture organisation with catalog roles: Maria owns Finance, Sam manages its assignments,
 * Sara reads it; Ben and Ana hold no role. Vault is assigned by administrators only (`requestors:
 * none`) and is incompatible with Salesforce Sales.
 */
export async function startWithRoles(): Promise<HttpHarness> {
  const config = governanceFixture();
  const finance = config.catalogs[0]!;
  finance.readers = ["sara"];
  finance.accessPackageAssignmentManagers = ["sam"];
  const sales = config.packages[1]!;
  config.packages.push({
    ...sales,
    id: "pkg-vault",
    name: "Finance Vault",
    description: "The finance vault, given by administrators.",
    keywords: [],
    resourceRoles: [{ kind: "groupMember", groupId: "g-ba", displayName: "Business Analysts" }],
    incompatiblePackageIds: ["pkg-sales"],
  });
  config.policies.push({
    ...config.policies[1]!,
    id: "pol-vault",
    packageId: "pkg-vault",
    name: "Administrators only",
    requestors: { kind: "none" },
    approval: { required: false, stages: [] },
  });
  const world = await startBotWorld({ stores: memoryStores(config) });
  for (const user of ["maria", "sam", "sara", "ben", "ana", "lola", "noman"])
    await world.channel.install(user);
  return { ...world, botUrl: world.url };
}

/** An active Business Analyst assignment of `userId`, with the request it came from. */
export async function seedHolder(
  h: HttpHarness,
  userId: string,
  type: RequestType,
  options: { packageId?: string; policyId?: string; startAt?: string } = {},
): Promise<Assignment> {
  const packageId = options.packageId ?? "pkg-ba";
  const policyId = options.policyId ?? "pol-ba";
  const startAt = options.startAt ?? START;
  const request: AccessRequest = {
    id: `req-${userId}-${packageId}`,
    type,
    requesterId: type === "userAdd" ? userId : type === "systemAdd" ? "system" : "maria",
    targetUserId: userId,
    packageId,
    policyId,
    justification: "Seeded",
    answers: {},
    schedule: {},
    state: "delivered",
    stages: [],
    assignmentId: `asg-${userId}-${packageId}`,
    createdAt: startAt,
    updatedAt: startAt,
    revision: 1,
  };
  const assignment: Assignment = {
    id: `asg-${userId}-${packageId}`,
    userId,
    packageId,
    policyId,
    requestId: request.id,
    state: "delivered",
    startAt,
    endAt: "2026-12-23T10:00:00.000Z",
    resources: [],
    remindersSent: [],
    createdAt: startAt,
    updatedAt: startAt,
    revision: 1,
  };
  await h.stores.requests.create(request);
  await h.stores.assignments.create(assignment);
  return assignment;
}

/** The newest message in the user's chat (a card the bot just answered with). */
export function lastMessage(h: HttpHarness, userId: string) {
  return h.channel.activities(h.channel.conversationOf(userId)).at(-1)!;
}

/**
 * What the bot answered to `text` in the user's chat: its turn reply to that message. Notices the
 * same turn set off (a delivered card) may reach the chat first, since both share the chat's pacer.
 */
export async function answerTo(h: HttpHarness, userId: string, text: string) {
  const conversationId = h.channel.conversationOf(userId);
  const before = h.channel.transcript(conversationId).length;
  await h.channel.say(userId, text);
  const after = h.channel.transcript(conversationId).slice(before);
  const mine = after.find((a) => a.from === "user");
  const answer = after.find((a) => a.from === "bot" && mine !== undefined && a.replyToId === mine.id);
  assert.ok(answer, `the bot answered "${text}"`);
  return answer;
}

import assert from "node:assert/strict";
import type { HttpHarness } from "./harness";
import { actionData, cardOf, invokeCard, latestCard, latestWithAction, textOf } from "./cards";

/** Ana (or `requester`) asks for Business Analyst through the package card and the form; returns the request id. */
export async function requestBusinessAnalyst(
  h: HttpHarness,
  justification = "Quarterly forecasting",
  requester = "ana",
): Promise<string> {
  const { channel } = h;
  await channel.say(requester, "I need access to Business Analyst");
  const pkg = latestCard(channel, requester, "What it grants")!;
  const formData = actionData(cardOf(pkg), "request.form")!;
  assert.equal((await channel.invoke(requester, pkg.id, "request.form", formData)).status, 200);
  const form = latestWithAction(channel, requester, "request.submit")!;
  const submit = actionData(cardOf(form), "request.submit")!;
  const answer = await channel.invoke(requester, form.id, "request.submit", {
    ...submit,
    justification,
    q_costCenter: "CC-1234",
  });
  assert.equal(answer.status, 200);
  assert.match(textOf(invokeCard(answer)), /Request submitted: Business Analyst/);
  await h.settle();
  const request = (await h.stores.requests.listForUser(requester))[0]!;
  return request.id;
}

/**
 * `userId` clicks `verb` on their latest approval card. `settle`: wait for the notices it starts
 * (false when a test holds a chat, so they cannot all go out yet).
 */
export async function decide(
  h: HttpHarness,
  userId: string,
  verb: "approval.approve" | "approval.deny",
  reason = "",
  settle = true,
) {
  const card = latestCard(h.channel, userId, "Approval needed")!;
  assert.ok(card, `${userId} has an approval card`);
  const data = actionData(cardOf(card), verb)!;
  assert.ok(data, `${userId}'s card has ${verb}`);
  const result = await h.channel.invoke(userId, card.id, verb, { ...data, decisionReason: reason });
  if (settle) await h.settle();
  return { card, result };
}

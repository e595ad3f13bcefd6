/**
 * Malformed activities for the fuzz test: well-formed Teams activities (as the local channel sends
 * them) with one to three fields removed or replaced by a value of the wrong kind. Deterministic:
 * the same seed gives the same list.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** mulberry32: a tiny seeded generator, enough to make the fuzz repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BaseActivities {
  serviceUrl: string;
  tenantId: string;
  /** A card to act on, its conversation and the user that conversation belongs to. */
  card: { activityId: string; conversationId: string; userId: string; verb: string; data: JsonObject };
}

const deep = (levels: number): Json => (levels === 0 ? "bottom" : { nested: deep(levels - 1) });

/** Values of every kind that a field should not hold. `undefined` removes the field. */
export const ODD_VALUES: Array<Json | undefined> = [
  undefined,
  null,
  "",
  " ",
  0,
  -1,
  1e308,
  true,
  false,
  [],
  [null],
  {},
  { id: 1 },
  "x".repeat(20_000),
  "\u202Eevil\u202C",
  "\u0000",
  "adaptiveCard/action",
  "Action.Execute",
  "Action.Submit",
  "approval.approve",
  "29:",
  "28:access-desk",
  "a:personal-maria",
  "mailto:someone@example.com",
  deep(60),
];

/** Names of invokes Teams (or a forger) may send; the bot handles only `adaptiveCard/action`. */
export const INVOKE_NAMES: Json[] = [
  "",
  "adaptiveCard/action ",
  "ADAPTIVECARD/ACTION",
  "adaptiveCard/action/x",
  "composeExtension/query",
  "composeExtension/submitAction",
  "task/fetch",
  "task/submit",
  "signin/verifyState",
  "signin/tokenExchange",
  "fileConsent/invoke",
  "actionableMessage/executeAction",
  "config/fetch",
  "tab/fetch",
  "message/submitAction",
  "handoff/action",
  "healthCheck",
  "application/search",
  "unknown/name",
];

export const ACTIVITY_TYPES: Json[] = [
  "invoke",
  "message",
  "conversationUpdate",
  "event",
  "typing",
  "messageReaction",
  "installationUpdate",
  "endOfConversation",
  "messageUpdate",
  "messageDelete",
  "command",
  "trace",
  "handoff",
  "INVOKE",
  "unknown",
];

/** Field paths a mutation may touch, from the envelope down into the card action. */
export const PATHS: string[][] = [
  ["type"],
  ["name"],
  ["value"],
  ["value", "action"],
  ["value", "action", "type"],
  ["value", "action", "verb"],
  ["value", "action", "data"],
  ["value", "trigger"],
  ["from"],
  ["from", "id"],
  ["from", "aadObjectId"],
  ["from", "name"],
  ["recipient"],
  ["recipient", "id"],
  ["recipient", "name"],
  ["conversation"],
  ["conversation", "id"],
  ["conversation", "conversationType"],
  ["conversation", "tenantId"],
  ["channelId"],
  ["channelData"],
  ["channelData", "tenant"],
  ["channelData", "tenant", "id"],
  ["replyToId"],
  ["id"],
  ["timestamp"],
  ["localTimestamp"],
  ["locale"],
  ["entities"],
  ["text"],
  ["textFormat"],
  ["membersAdded"],
  ["attachments"],
  ["serviceUrl"],
];

function bases(b: BaseActivities): JsonObject[] {
  const from = { id: `29:${b.card.userId}`, aadObjectId: b.card.userId, name: b.card.userId };
  const envelope = (type: string, id: string): JsonObject => ({
    type,
    id,
    timestamp: "2026-11-23T10:00:00.000Z",
    localTimestamp: "2026-11-23T10:00:00.000Z",
    serviceUrl: b.serviceUrl,
    channelId: "msteams",
    from,
    recipient: { id: "28:access-desk", name: "Access Desk" },
    conversation: { id: b.card.conversationId, conversationType: "personal", tenantId: b.tenantId },
    channelData: { tenant: { id: b.tenantId } },
    locale: "en-US",
    entities: [{ type: "clientInfo", locale: "en-US", platform: "Web" }],
  });
  return [
    {
      ...envelope("invoke", "fuzz-invoke"),
      name: "adaptiveCard/action",
      replyToId: b.card.activityId,
      value: { action: { type: "Action.Execute", verb: b.card.verb, data: b.card.data }, trigger: "manual" },
    },
    { ...envelope("message", "fuzz-message"), text: "help", textFormat: "plain" },
    { ...envelope("conversationUpdate", "fuzz-update"), membersAdded: [{ id: "28:access-desk" }] },
  ];
}

function set(target: JsonObject, path: string[], value: Json | undefined): void {
  let node: Json = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return;
    const next: Json | undefined = node[key];
    if (typeof next !== "object" || next === null) node[key] = {};
    node = node[key]!;
  }
  if (typeof node !== "object" || node === null || Array.isArray(node)) return;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

export interface HostileActivity {
  label: string;
  activity: JsonObject;
}

/** `count` malformed activities derived from the bases; the same seed, the same activities. */
export function hostileActivities(b: BaseActivities, count: number, seed: number): HostileActivity[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const templates = bases(b);
  const out: HostileActivity[] = [];
  for (let i = 0; i < count; i++) {
    const base = templates[i % templates.length]!;
    const activity = structuredClone(base);
    const changes: string[] = [];
    const n = 1 + Math.floor(random() * 3);
    for (let k = 0; k < n; k++) {
      const path = pick(PATHS);
      let value = pick(ODD_VALUES);
      // Keep some mutations plausible so they reach deeper code.
      if (path.join(".") === "name" && random() < 0.6) value = pick(INVOKE_NAMES);
      if (path.join(".") === "type" && random() < 0.6) value = pick(ACTIVITY_TYPES);
      set(activity, path, value);
      const shown = value === undefined ? "(removed)" : JSON.stringify(value).slice(0, 40);
      changes.push(`${path.join(".")}=${shown}`);
    }
    out.push({ label: `#${i} ${String(base.type)}: ${changes.join(", ")}`, activity });
  }
  return out;
}

import * as ACData from "adaptivecards-templating";
import type { CardMessage } from "../ports/notifier";
import accessPackage from "../../cards/access-package.json";
import accessProblem from "../../cards/access-problem.json";
import approval from "../../cards/approval.json";
import approvalDecided from "../../cards/approval-decided.json";
import approvalsDigest from "../../cards/approvals-digest.json";
import auditTrail from "../../cards/audit-trail.json";
import channelNotice from "../../cards/channel-notice.json";
import delivered from "../../cards/delivered.json";
import delegations from "../../cards/delegations.json";
import denied from "../../cards/denied.json";
import error from "../../cards/error.json";
import expiryReminder from "../../cards/expiry-reminder.json";
import myAccess from "../../cards/my-access.json";
import myRequests from "../../cards/my-requests.json";
import notice from "../../cards/notice.json";
import packageHolders from "../../cards/package-holders.json";
import packageList from "../../cards/package-list.json";
import packageRequests from "../../cards/package-requests.json";
import requestForm from "../../cards/request-form.json";
import requestStatus from "../../cards/request-status.json";
import review from "../../cards/review.json";
import reviewResults from "../../cards/review-results.json";
import sodReport from "../../cards/sod-report.json";
import stepUp from "../../cards/step-up.json";
import welcome from "../../cards/welcome.json";

/** Every template under `cards/`, by the name a CardMessage uses. */
export const TEMPLATES = {
  "access-package": accessPackage,
  "access-problem": accessProblem,
  approval,
  "approval-decided": approvalDecided,
  "approvals-digest": approvalsDigest,
  "audit-trail": auditTrail,
  "channel-notice": channelNotice,
  delegations,
  delivered,
  denied,
  error,
  "expiry-reminder": expiryReminder,
  "my-access": myAccess,
  "my-requests": myRequests,
  notice,
  "package-holders": packageHolders,
  "package-list": packageList,
  "package-requests": packageRequests,
  "request-form": requestForm,
  "request-status": requestStatus,
  review,
  "review-results": reviewResults,
  "sod-report": sodReport,
  "step-up": stepUp,
  welcome,
} as const;

export type TemplateName = keyof typeof TEMPLATES;

/** An expanded Adaptive Card, ready to attach. */
export interface RenderedCard {
  type: "AdaptiveCard";
  [key: string]: unknown;
}

/** Teams refuses messages over ~80 KB; a card stays well below so a message never hits the limit. */
export const MAX_CARD_BYTES = 28 * 1024;

export class UnknownTemplateError extends Error {
  constructor(name: string) {
    super(`There is no card template "${name}"`);
    this.name = "UnknownTemplateError";
  }
}

/** Drops what `$when` left empty: an ActionSet or `actions` without actions, a FactSet without facts. */
function prune(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(prune).filter((child) => {
      if (typeof child !== "object" || child === null) return true;
      const c = child as Record<string, unknown>;
      if (c.type === "ActionSet") return Array.isArray(c.actions) && c.actions.length > 0;
      if (c.type === "FactSet") return Array.isArray(c.facts) && c.facts.length > 0;
      return true;
    });
  }
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const pruned = prune(value);
    if (
      key === "actions" &&
      Array.isArray(pruned) &&
      pruned.length === 0 &&
      (node as { type?: string }).type === "AdaptiveCard"
    )
      continue;
    out[key] = pruned;
  }
  return out;
}

/**
 * Each template parsed once: parsing its `${...}` expressions took ~8 ms per card, binding a parsed
 * template ~0.2 ms. `expand` is synchronous and leaves the parsed template as it was, so one instance
 * serves every render.
 */
const parsed = new Map<TemplateName, ACData.Template>();

function parsedTemplate(name: TemplateName): ACData.Template {
  let template = parsed.get(name);
  if (!template) parsed.set(name, (template = new ACData.Template(TEMPLATES[name])));
  return template;
}

/** Binds a template to its view model. Data values are never re-evaluated as expressions. */
export function renderCard(message: Pick<CardMessage, "template" | "data">): RenderedCard {
  const name = message.template as TemplateName;
  if (!Object.hasOwn(TEMPLATES, name)) throw new UnknownTemplateError(message.template);
  const expanded = parsedTemplate(name).expand({ $root: message.data });
  return prune(expanded) as RenderedCard;
}

export const cardBytes = (card: RenderedCard): number => Buffer.byteLength(JSON.stringify(card), "utf8");

import type { AccessPackage, AssignmentPolicy } from "../domain/model";
import type { CardMessage } from "../ports/notifier";
import { type ViewContext, approverSpecText, resourceLine } from "./context";
import { LIMITS, safeText } from "./text";
import { expiryText } from "./time";

export interface PackageViewOptions {
  /** Policies under which the viewer (or the person asked for) may request it. */
  requestable: AssignmentPolicy[];
  /** Why it can't be requested, when `requestable` is empty. */
  blockedReason?: string;
  /** Opaque reference to the direct report asked for, when a manager asks on their behalf. */
  forRef?: string;
  forName?: string;
}

function approvalText(ctx: ViewContext, policy: AssignmentPolicy): string {
  if (!policy.approval.required || policy.approval.stages.length === 0) return "No approval needed";
  return policy.approval.stages
    .map((s, i) => `Stage ${i + 1}: ${approverSpecText(ctx, s.primaryApprovers)}`)
    .join("; ");
}

/** What a package grants, who approves and for how long, with a Request button per usable policy. */
export function packageView(ctx: ViewContext, pkg: AccessPackage, options: PackageViewOptions): CardMessage {
  const catalog = ctx.index.catalog(pkg.catalogId);
  const shown = options.requestable.length > 0 ? options.requestable : ctx.index.policiesOfPackage(pkg.id);
  const name = safeText(pkg.name, LIMITS.title);
  return {
    template: "access-package",
    summary: name,
    data: {
      packageId: pkg.id,
      name,
      description: safeText(pkg.description, LIMITS.long),
      catalog: safeText(catalog?.name ?? "", LIMITS.title),
      forName: options.forName ? safeText(options.forName, LIMITS.name) : "",
      forRef: options.forRef ?? "",
      resources: pkg.resourceRoles.slice(0, 20).map(resourceLine),
      policies: shown.slice(0, 5).map((p) => ({
        policyId: p.id,
        name: safeText(p.name, LIMITS.title),
        approval: approvalText(ctx, p),
        duration: expiryText(p.lifecycle.expiry),
        justification: p.request.justificationRequired ? "Business justification required" : "",
        requestable: options.requestable.some((r) => r.id === p.id),
        buttonTitle: options.requestable.length > 1 ? `Request: ${safeText(p.name, 40)}` : "Request access",
      })),
      canRequest: options.requestable.length > 0,
      blockedReason: safeText(options.blockedReason ?? "", LIMITS.short),
    },
  };
}

export interface PackageListItem {
  pkg: AccessPackage;
  /** A short reason it is listed ("held by Lola"), already safe. */
  note?: string;
}

/** A short list of packages with Details and Request buttons (several matches, browsing, same-as). */
export function packageListView(
  title: string,
  items: PackageListItem[],
  emptyText: string,
  forRef?: string,
): CardMessage {
  const shown = items.slice(0, 10);
  return {
    template: "package-list",
    summary: safeText(title, LIMITS.title),
    data: {
      title: safeText(title, LIMITS.title),
      forRef: forRef ?? "",
      items: shown.map(({ pkg, note }) => ({
        packageId: pkg.id,
        name: safeText(pkg.name, LIMITS.title),
        description: safeText(pkg.description, 160),
        note: note ?? "",
      })),
      more:
        items.length > shown.length
          ? `${items.length - shown.length} more: type a few words to narrow it down.`
          : "",
      empty: items.length === 0,
      emptyText: safeText(emptyText, LIMITS.short),
    },
  };
}

import { type AdminQuery, pendingFor, resolveAdminPackage, whoHas } from "../../app/queries/package-admin";
import type { AccessPackage, UserId } from "../../domain/model";
import type { CardMessage } from "../../ports/notifier";
import { errorView } from "../../views/error";
import { noticeView } from "../../views/notices";
import { packageHoldersView, packageRequestsView } from "../../views/package-admin";
import { LIMITS, listOf, safeText } from "../../views/text";
import type { HandlerDeps } from "../turn";

/** The package an admin phrase names, or the card that says why there is none (or which one). */
export async function adminPackage(
  deps: HandlerDeps,
  query: string,
): Promise<{ pkg?: AccessPackage; answer?: CardMessage }> {
  const found = await resolveAdminPackage(deps, query);
  if (found.kind === "one") return { pkg: found.pkg };
  const shown = safeText(query, 80);
  if (found.kind === "several") {
    const names = listOf(found.packages.map((p) => `"${safeText(p.name, LIMITS.title)}"`));
    return {
      answer: noticeView(`Which ${shown}?`, [`Several packages match: ${names}. Write the full name.`]),
    };
  }
  return {
    answer: noticeView(`No access package matches "${shown}"`, [
      "Write the package's name (typos are fine) or its id.",
    ]),
  };
}

/** "who has <package>": the first page (or `page`) of its holders, or the refusal naming the role. */
export async function whoHasAnswer(
  deps: HandlerDeps,
  query: AdminQuery & { page?: number; csv?: boolean },
): Promise<CardMessage> {
  const model = await whoHas(deps, query);
  return model.ok ? packageHoldersView(model.value) : errorView(model.error);
}

export async function whoHasPhrase(deps: HandlerDeps, actorId: UserId, query: string): Promise<CardMessage> {
  const { pkg, answer } = await adminPackage(deps, query);
  if (!pkg) return answer!;
  return whoHasAnswer(deps, { actorId, packageId: pkg.id, source: "chat:who-has" });
}

/** "pending <package>": its open requests and where each waits. */
export async function pendingPhrase(deps: HandlerDeps, actorId: UserId, query: string): Promise<CardMessage> {
  const { pkg, answer } = await adminPackage(deps, query);
  if (!pkg) return answer!;
  const model = await pendingFor(deps, { actorId, packageId: pkg.id, source: "chat:pending" });
  return model.ok ? packageRequestsView(model.value) : errorView(model.error);
}

import type { AssignmentPolicy, Catalog, DomainEvent } from "../model";
import type { CustomExtension, ExtensionStage } from "./model";

/** The extension stage an event stands for, if any. `removed` waits for the revokes (see below). */
export function stageOfEvent(event: DomainEvent): ExtensionStage | undefined {
  switch (event.type) {
    case "RequestSubmitted":
      return "requestCreated";
    case "StageApproved":
      return "stageApproved";
    case "RequestDenied":
      return "stageDenied";
    case "AssignmentDelivered":
      return event.state === "deliveryFailed" ? undefined : "granted";
    // An ended assignment whose revokes are still running is "removed" once RemovalCompleted says so.
    case "AssignmentRemoved":
    case "AssignmentExpired":
    case "RemovalCompleted":
      return "removed";
    default:
      return undefined;
  }
}

/** The catalog's extensions that apply to a policy: every-policy ones and those the policy picks. */
export function extensionsForPolicy(
  catalog: Catalog | undefined,
  policy: AssignmentPolicy | undefined,
): CustomExtension[] {
  const picked = new Set(policy?.extensions ?? []);
  return (catalog?.extensions ?? []).filter((x) => x.everyPolicy || picked.has(x.id));
}

/** Extensions called at `stage`. */
export function extensionsAt(
  catalog: Catalog | undefined,
  policy: AssignmentPolicy | undefined,
  stage: ExtensionStage,
): CustomExtension[] {
  return extensionsForPolicy(catalog, policy).filter((x) => x.stages.includes(stage));
}

/** The extension declared under this id in any catalog (ids are unique across catalogs). */
export function findExtension(
  catalogs: Catalog[],
  id: string,
): { catalog: Catalog; extension: CustomExtension } | undefined {
  for (const catalog of catalogs) {
    const extension = catalog.extensions?.find((x) => x.id === id);
    if (extension) return { catalog, extension };
  }
  return undefined;
}

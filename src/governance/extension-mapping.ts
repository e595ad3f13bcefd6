import { type CustomExtension, EXTENSION_DEFAULTS, type ExtensionStage } from "../domain/extensions/model";

/** A custom extension as written in catalogs.yaml (shape-checked). */
export interface RawExtension {
  id: string;
  name?: string;
  url: string;
  secretName: string;
  stages: ExtensionStage[];
  removalScheduledDaysBefore?: number;
  timeoutSeconds?: number;
  everyPolicy?: boolean;
}

export type RawStageApprover<A> = A | { kind: "extension"; extensionId: string };

export function toExtension(x: RawExtension): CustomExtension {
  return {
    id: x.id,
    ...(x.name ? { name: x.name } : {}),
    url: x.url,
    secretName: x.secretName,
    stages: x.stages,
    removalScheduledDaysBefore: x.removalScheduledDaysBefore ?? EXTENSION_DEFAULTS.removalScheduledDaysBefore,
    timeoutSeconds: x.timeoutSeconds ?? EXTENSION_DEFAULTS.timeoutSeconds,
    everyPolicy: x.everyPolicy ?? true,
  };
}

/** People approvers stay specs; an approval extension (the first named) becomes `extensionApprover`. */
export function splitStageApprovers<A extends { kind: string }>(
  approvers: RawStageApprover<A>[],
): { people: A[]; extensionApprover?: string } {
  const people: A[] = [];
  let extensionApprover: string | undefined;
  for (const a of approvers) {
    if (a.kind === "extension" && "extensionId" in a) extensionApprover ??= a.extensionId;
    else people.push(a as A);
  }
  return { people, ...(extensionApprover ? { extensionApprover } : {}) };
}

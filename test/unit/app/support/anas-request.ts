import assert from "node:assert/strict";
import type { AppDeps } from "../../../../src/app/deps";
import { submitRequest } from "../../../../src/app/submit-request";

/** Ana asks for Business Analyst (the bot fixtures' organisation): the stored request's id. */
export function submitAnasRequest(deps: AppDeps): Promise<string> {
  return submitBusinessAnalystRequest(deps, "ana", "Quarterly forecasting");
}

/** Someone of Maria's team asks for Business Analyst: the stored request's id. */
export async function submitBusinessAnalystRequest(
  deps: AppDeps,
  actorId: string,
  justification: string,
): Promise<string> {
  const submitted = await submitRequest(deps, {
    actorId,
    packageId: "pkg-ba",
    justification,
    answers: { costCenter: "CC-1234" },
    source: "test",
  });
  assert.ok(submitted.ok, JSON.stringify(!submitted.ok && submitted.error));
  return submitted.value.request.id;
}

import type { AppDeps } from "./deps";
import type { Catalog, ChannelRef, UserId } from "../domain/model";
import { domainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { auditRefusal, auditRow } from "./shared/effects";

export interface SetCatalogChannelInput {
  actorId: UserId;
  /** A catalog id or name, as the owner typed it. */
  catalog: string;
  channel: ChannelRef;
  source: string;
}

/**
 * A catalog owner points the catalog's "access delivered / removed" notices at a team channel.
 * The change is stored with the governance configuration and audited; the governance files stay
 * the source of truth, so `governance plan` shows it as a difference until the file says the same.
 */
export async function setCatalogChannel(
  deps: AppDeps,
  input: SetCatalogChannelInput,
): Promise<Result<{ catalog: Catalog }>> {
  const config = await deps.governance.load();
  const wanted = input.catalog.trim().toLowerCase();
  const catalog = config.catalogs.find(
    (c) => c.id.toLowerCase() === wanted || c.name.toLowerCase() === wanted,
  );
  const refuse = async (error: ReturnType<typeof domainError>) => {
    await auditRefusal(deps, {
      actor: input.actorId,
      source: input.source,
      subject: `catalog:${catalog?.id ?? input.catalog.slice(0, 100)}`,
      code: error.code,
      message: error.message,
      action: "request.refused",
    });
    return err(error);
  };
  if (!catalog) {
    const names = config.catalogs.map((c) => c.name).join(", ");
    return refuse(
      domainError("PACKAGE.NOT_FOUND", `There is no catalog called "${input.catalog}". Catalogs: ${names}.`),
    );
  }
  if (!catalog.owners.includes(input.actorId)) {
    return refuse(
      domainError(
        "POLICY.NOT_ELIGIBLE",
        `Only an owner of the ${catalog.name} catalog may choose its channel.`,
      ),
    );
  }
  const updated: Catalog = { ...catalog, channel: input.channel };
  await deps.governance.save({
    ...config,
    catalogs: config.catalogs.map((c) => (c.id === catalog.id ? updated : c)),
  });
  await deps.audit.append([
    auditRow(deps, {
      actor: input.actorId,
      action: "config.changed",
      subject: `catalog:${catalog.id}`,
      reason: `Notices of the ${catalog.name} catalog go to ${input.channel.name ?? input.channel.channelId}.`,
      source: input.source,
      details: { teamId: input.channel.teamId, channelId: input.channel.channelId },
    }),
  ]);
  return ok({ catalog: updated });
}

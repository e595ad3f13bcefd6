import type { AppDeps } from "./deps";
import type { Catalog, ChannelRef, UserId } from "../domain/model";
import { domainError, type DomainError } from "../domain/errors";
import { err, ok, type Result } from "../domain/result";
import { auditRefusal, auditRow } from "./shared/effects";
import { changeGovernance, type GovernanceEdit } from "./shared/governance-change";

export interface SetCatalogChannelInput {
  actorId: UserId;
  /** A catalog id or name, as the owner typed it. */
  catalog: string;
  channel: ChannelRef;
  source: string;
}

/**
 * A catalog owner points the catalog's "access delivered / removed" notices at a team channel.
 * The change is stored as a new version of the governance configuration (one switch, audited with
 * it; a concurrent change is decided again on its result); the governance files stay
 * the source of truth, so `governance plan` shows it as a difference until the file says the same.
 */
export async function setCatalogChannel(
  deps: AppDeps,
  input: SetCatalogChannelInput,
): Promise<Result<{ catalog: Catalog }>> {
  const wanted = input.catalog.trim().toLowerCase();
  const { value } = await changeGovernance(
    deps,
    () => deps.ids.next("cfg"),
    (config): GovernanceEdit<Decided> => {
      const catalog = config.catalogs.find(
        (c) => c.id.toLowerCase() === wanted || c.name.toLowerCase() === wanted,
      );
      if (!catalog) {
        const names = config.catalogs.map((c) => c.name).join(", ");
        return {
          value: refused(
            domainError(
              "PACKAGE.NOT_FOUND",
              `There is no catalog called "${input.catalog}". Catalogs: ${names}.`,
            ),
          ),
        };
      }
      if (!catalog.owners.includes(input.actorId)) {
        const message = `Only an owner of the ${catalog.name} catalog may choose its channel.`;
        return { value: refused(domainError("POLICY.NOT_ELIGIBLE", message), catalog) };
      }
      const updated: Catalog = { ...catalog, channel: input.channel };
      return {
        value: { ok: true, catalog: updated },
        next: { ...config, catalogs: config.catalogs.map((c) => (c.id === catalog.id ? updated : c)) },
        audit: (version) => [
          auditRow(deps, {
            actor: input.actorId,
            action: "config.changed",
            subject: `catalog:${catalog.id}`,
            reason: `Notices of the ${catalog.name} catalog go to ${input.channel.name ?? input.channel.channelId}.`,
            source: input.source,
            details: { teamId: input.channel.teamId, channelId: input.channel.channelId, version },
          }),
        ],
      };
    },
  );
  if (value.ok) return ok({ catalog: value.catalog });
  await auditRefusal(deps, {
    actor: input.actorId,
    source: input.source,
    subject: `catalog:${value.catalog?.id ?? input.catalog.slice(0, 100)}`,
    code: value.error.code,
    message: value.error.message,
    action: "request.refused",
  });
  return err(value.error);
}

type Decided = { ok: true; catalog: Catalog } | { ok: false; error: DomainError; catalog?: Catalog };

const refused = (error: DomainError, catalog?: Catalog): Decided => ({ ok: false, error, catalog });

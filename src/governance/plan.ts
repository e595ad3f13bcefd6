import type { GovernanceConfig } from "../domain/model";
import { describeField, fieldChanges, type FieldChange } from "./diff";

export type ChangeKind = "catalog" | "connectedOrganization" | "package" | "policy";

/** One entity to add, update or remove so the stored configuration matches the declared one. */
export interface Change {
  action: "add" | "update" | "remove";
  kind: ChangeKind;
  id: string;
  name: string;
  /** For packages and policies: the package concerned. */
  packageId?: string;
  /** For updates: what differs, field by field. */
  fields: FieldChange[];
  /** One readable line, e.g. `update policy business-analyst-employees: lifecycle.expiry.days: 30 → 14`. */
  summary: string;
}

const SECTIONS: { kind: ChangeKind; key: keyof GovernanceConfig }[] = [
  { kind: "catalog", key: "catalogs" },
  { kind: "connectedOrganization", key: "connectedOrganizations" },
  { kind: "package", key: "packages" },
  { kind: "policy", key: "policies" },
];

const LABEL: Record<ChangeKind, string> = {
  catalog: "catalog",
  connectedOrganization: "connected organisation",
  package: "access package",
  policy: "policy",
};

type Entity = { id: string; name: string; packageId?: string };

/**
 * What `apply` would change. Adds and updates come in dependency order (catalogs before packages
 * before policies); removals come last, in reverse order. An empty plan means nothing to write.
 */
export function planGovernance(current: GovernanceConfig, desired: GovernanceConfig): Change[] {
  const upserts: Change[] = [];
  const removals: Change[] = [];
  for (const { kind, key } of SECTIONS) {
    const before = new Map((current[key] as Entity[]).map((e) => [e.id, e]));
    const after = new Map((desired[key] as Entity[]).map((e) => [e.id, e]));
    for (const [id, next] of after) {
      const prev = before.get(id);
      if (!prev) {
        upserts.push(change("add", kind, next, []));
        continue;
      }
      const fields = fieldChanges(prev, next);
      if (fields.length > 0) upserts.push(change("update", kind, next, fields));
    }
    const gone = [...before.values()]
      .filter((e) => !after.has(e.id))
      .map((e) => change("remove", kind, e, []));
    removals.unshift(...gone);
  }
  return [...upserts, ...removals];
}

function change(action: Change["action"], kind: ChangeKind, e: Entity, fields: FieldChange[]): Change {
  const packageId = kind === "package" ? e.id : kind === "policy" ? e.packageId : undefined;
  const head = `${action} ${LABEL[kind]} ${e.id} (${e.name})`;
  const summary = fields.length > 0 ? `${head}: ${fields.map(describeField).join("; ")}` : head;
  return { action, kind, id: e.id, name: e.name, ...(packageId ? { packageId } : {}), fields, summary };
}

/** The plan as a person reads it: one line per entity, one indented line per changed field. */
export function formatPlan(changes: Change[]): string {
  if (changes.length === 0) return "No changes: the stored configuration matches the files.";
  const mark = { add: "+", update: "~", remove: "-" } as const;
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`${mark[c.action]} ${LABEL[c.kind]} ${c.id} (${c.name})`);
    for (const f of c.fields) lines.push(`    ${describeField(f)}`);
  }
  const count = (a: Change["action"]) => changes.filter((c) => c.action === a).length;
  lines.push("", `Plan: ${count("add")} to add, ${count("update")} to change, ${count("remove")} to remove.`);
  return lines.join("\n");
}

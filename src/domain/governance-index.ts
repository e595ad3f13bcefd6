import type {
  AccessPackage,
  AssignmentPolicy,
  Catalog,
  ConnectedOrganization,
  GovernanceConfig,
} from "./model";

/** Indexes of frozen configuration snapshots; a snapshot nobody holds any more is dropped with its index. */
const built = new WeakMap<GovernanceConfig, GovernanceIndex>();

/** Lookups over the declared configuration, built once per snapshot (or per use-case call). */
export class GovernanceIndex {
  private readonly packagesById = new Map<string, AccessPackage>();
  private readonly catalogsById = new Map<string, Catalog>();
  private readonly policiesById = new Map<string, AssignmentPolicy>();
  private readonly policiesByPackage = new Map<string, AssignmentPolicy[]>();
  private readonly orgsById = new Map<string, ConnectedOrganization>();
  private readonly orgsByDomain = new Map<string, ConnectedOrganization>();

  /**
   * The index of a configuration: built once per frozen snapshot (what the cached store hands out),
   * anew for a configuration that could still change.
   */
  static of(config: GovernanceConfig): GovernanceIndex {
    if (!Object.isFrozen(config)) return new GovernanceIndex(config);
    let index = built.get(config);
    if (!index) built.set(config, (index = new GovernanceIndex(config)));
    return index;
  }

  constructor(readonly config: GovernanceConfig) {
    for (const c of config.catalogs) this.catalogsById.set(c.id, c);
    for (const p of config.packages) this.packagesById.set(p.id, p);
    for (const p of config.policies) {
      this.policiesById.set(p.id, p);
      const list = this.policiesByPackage.get(p.packageId) ?? [];
      list.push(p);
      this.policiesByPackage.set(p.packageId, list);
    }
    for (const o of config.connectedOrganizations) {
      this.orgsById.set(o.id, o);
      for (const d of o.domains) this.orgsByDomain.set(d.toLowerCase(), o);
    }
  }

  packages(): AccessPackage[] {
    return this.config.packages;
  }

  package(id: string): AccessPackage | undefined {
    return this.packagesById.get(id);
  }

  /** Packages keyed by id, for rules that look across packages (separation of duties, revocation). */
  packageMap(): ReadonlyMap<string, AccessPackage> {
    return this.packagesById;
  }

  catalog(id: string): Catalog | undefined {
    return this.catalogsById.get(id);
  }

  catalogOfPackage(packageId: string): Catalog | undefined {
    const pkg = this.packagesById.get(packageId);
    return pkg ? this.catalogsById.get(pkg.catalogId) : undefined;
  }

  policy(id: string): AssignmentPolicy | undefined {
    return this.policiesById.get(id);
  }

  policiesOfPackage(packageId: string): AssignmentPolicy[] {
    return this.policiesByPackage.get(packageId) ?? [];
  }

  connectedOrganization(id: string): ConnectedOrganization | undefined {
    return this.orgsById.get(id);
  }

  /** By the domain part of an address ("alice@contoso.com") or a bare domain ("contoso.com"). */
  connectedOrganizationByDomain(addressOrDomain: string): ConnectedOrganization | undefined {
    const domain = addressOrDomain.includes("@") ? addressOrDomain.split("@").pop()! : addressOrDomain;
    return this.orgsByDomain.get(domain.trim().toLowerCase());
  }
}

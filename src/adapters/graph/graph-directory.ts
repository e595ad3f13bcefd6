import type { DirectoryGroup, DirectoryUser, GroupId, UserId } from "../../domain/model";
import type { Directory } from "../../ports/directory";
import type { Clock } from "../../ports/runtime";
import { odataString, searchTerm, seg, withQuery } from "./odata";
import { GraphCallError, type GraphTransport } from "./transport";
import { GROUP_SELECT, toDirectoryGroup, toDirectoryUser, userSelect, type GraphUser } from "./user-mapping";
import { TtlCache } from "./ttl-cache";

export interface GraphDirectoryOptions {
  clock?: Clock;
  /** How long a user or manager lookup is reused. Default 60 s; 0 disables the cache. */
  cacheTtlMs?: number;
  /** Select signInActivity (needs AuditLog.Read.All and Entra ID P1). Default false. */
  includeSignInActivity?: boolean;
  /** After Graph refused signInActivity (403), how long before asking for it again. Default 1 hour. */
  signInRetryMs?: number;
}

const systemClock: Clock = { now: () => new Date() };
/** Advanced queries ($search, $count) need this header. */
const EVENTUAL = { ConsistencyLevel: "eventual" };

/** The directory as Microsoft Graph knows it (application permission User.Read.All, GroupMember.Read.All). */
export class GraphDirectory implements Directory {
  private readonly users: TtlCache<DirectoryUser | undefined>;
  private readonly managers: TtlCache<DirectoryUser | undefined>;
  private readonly wantsSignIn: boolean;
  private readonly clock: Clock;
  private readonly signInRetryMs: number;
  /** Until when Graph is taken to refuse signInActivity (a 403 on a read that selected it). */
  private signInRefusedUntil = 0;

  constructor(
    private readonly transport: GraphTransport,
    opts: GraphDirectoryOptions = {},
  ) {
    const clock = opts.clock ?? systemClock;
    const ttl = opts.cacheTtlMs ?? 60_000;
    this.users = new TtlCache(clock, ttl);
    this.managers = new TtlCache(clock, ttl);
    this.clock = clock;
    this.wantsSignIn = opts.includeSignInActivity ?? false;
    this.signInRetryMs = opts.signInRetryMs ?? 3_600_000;
  }

  /**
   * Runs a user read with signInActivity selected when enabled; a 403 on it (no AuditLog.Read.All,
   * no Entra ID P1) reads again without it and marks the users "notPermitted", so reviews say
   * "no data" instead of recommending everyone's removal. Users read without it are "notRead".
   */
  private async withSignIn<T>(read: (select: string) => Promise<T>, mark: (value: T, why: SignInGap) => T) {
    const refused = this.clock.now().getTime() < this.signInRefusedUntil;
    if (this.wantsSignIn && !refused) {
      try {
        return await read(userSelect(true));
      } catch (error) {
        if (!(error instanceof GraphCallError) || error.answer.status !== 403) throw error;
        this.signInRefusedUntil = this.clock.now().getTime() + this.signInRetryMs;
      }
    }
    return mark(await read(userSelect(false)), this.wantsSignIn ? "notPermitted" : "notRead");
  }

  getUser(id: UserId): Promise<DirectoryUser | undefined> {
    return this.users.getOrLoad(id, async () => {
      const user = await this.withSignIn(async (select) => {
        const url = withQuery(`/users/${seg(id)}`, { $select: select, $expand: "manager($select=id)" });
        const found = await this.getOne<GraphUser>(url);
        return found && toDirectoryUser(found);
      }, markOne);
      return user;
    });
  }

  async findUsers(query: string, limit = 10): Promise<DirectoryUser[]> {
    const text = query.trim();
    if (!text) return [];
    if (text.includes("@")) {
      const exact = odataString(text);
      const found = await this.page(`userPrincipalName eq ${exact} or mail eq ${exact}`, limit);
      if (found.length > 0) return found;
    }
    const prefix = odataString(text);
    const byPrefix = await this.page(
      `startswith(displayName,${prefix}) or startswith(givenName,${prefix}) or startswith(surname,${prefix}) or startswith(mail,${prefix})`,
      limit,
    );
    if (byPrefix.length >= limit || !searchTerm(text)) return byPrefix.slice(0, limit);
    // Word matches inside the name ("Smith" in "Anna Smith-Jones") need $search.
    const found = await this.withSignIn(async (select) => {
      const url = withQuery("/users", {
        $search: `"displayName:${searchTerm(text)}"`,
        $select: select,
        $top: limit,
        $count: "true",
      });
      const answer = await this.transport.call({ method: "GET", url, headers: EVENTUAL });
      if (answer.status !== 200) throw new GraphCallError(url, answer);
      return ((answer.body as { value?: GraphUser[] }).value ?? []).map(toDirectoryUser);
    }, markAll);
    const seen = new Set(byPrefix.map((u) => u.id));
    const extra = found.filter((u) => !seen.has(u.id));
    return [...byPrefix, ...extra].slice(0, limit);
  }

  async getManager(userId: UserId, level: 1 | 2): Promise<DirectoryUser | undefined> {
    const direct = await this.directManager(userId);
    if (level === 1 || !direct) return direct;
    return this.directManager(direct.id);
  }

  async getDirectReports(userId: UserId): Promise<DirectoryUser[]> {
    return this.withSignIn(async (select) => {
      const users = await this.transport.getAll<GraphUser>(
        withQuery(`/users/${seg(userId)}/directReports/microsoft.graph.user`, { $select: select }),
      );
      return users.map(toDirectoryUser);
    }, markAll);
  }

  async getGroup(id: GroupId): Promise<DirectoryGroup | undefined> {
    const group = await this.getOne<{ id: string; displayName?: string }>(
      withQuery(`/groups/${seg(id)}`, { $select: GROUP_SELECT }),
    );
    return group && toDirectoryGroup(group);
  }

  /** Users in the group, nested groups included: approver groups are often built from groups. */
  async getGroupMemberIds(groupId: GroupId): Promise<UserId[]> {
    const members = await this.transport.getAll<{ id: string }>(
      withQuery(`/groups/${seg(groupId)}/transitiveMembers/microsoft.graph.user`, {
        $select: "id",
        $top: 999,
      }),
    );
    return members.map((m) => m.id);
  }

  async getUserGroupIds(userId: UserId): Promise<GroupId[]> {
    const groups = await this.transport.getAll<{ id: string }>(
      withQuery(`/users/${seg(userId)}/transitiveMemberOf/microsoft.graph.group`, {
        $select: "id",
        $top: 999,
      }),
    );
    return groups.map((g) => g.id);
  }

  async listUsers(): Promise<DirectoryUser[]> {
    return this.withSignIn(async (select) => {
      const users = await this.transport.getAll<GraphUser>(
        withQuery("/users", { $select: select, $top: 999 }),
      );
      return users.map(toDirectoryUser);
    }, markAll);
  }

  /** Sponsors Entra records for the user (users only; a sponsoring group is left out). */
  async getSponsors(userId: UserId): Promise<UserId[]> {
    const url = withQuery(`/users/${seg(userId)}/sponsors`, { $select: "id" });
    const answer = await this.transport.call({ method: "GET", url });
    if (answer.status === 404) return [];
    if (answer.status !== 200) throw new GraphCallError(url, answer);
    const value = (answer.body as { value?: { id: string; "@odata.type"?: string }[] }).value ?? [];
    return value
      .filter((s) => (s["@odata.type"] ?? "#microsoft.graph.user") === "#microsoft.graph.user")
      .map((s) => s.id);
  }

  private directManager(userId: UserId): Promise<DirectoryUser | undefined> {
    return this.managers.getOrLoad(userId, async () => {
      // 404 here means "has no manager", not "no such user".
      return this.withSignIn(async (select) => {
        const manager = await this.getOne<GraphUser>(
          withQuery(`/users/${seg(userId)}/manager`, { $select: select }),
        );
        return manager && toDirectoryUser(manager);
      }, markOne);
    });
  }

  private page(filter: string, limit: number): Promise<DirectoryUser[]> {
    return this.withSignIn(async (select) => {
      const url = withQuery("/users", { $filter: filter, $select: select, $top: limit });
      const answer = await this.transport.call({ method: "GET", url });
      if (answer.status !== 200) throw new GraphCallError(url, answer);
      return ((answer.body as { value?: GraphUser[] }).value ?? []).map(toDirectoryUser);
    }, markAll);
  }

  /** A single object; undefined on 404, an error for anything else that is not 200. */
  private async getOne<T>(url: string): Promise<T | undefined> {
    const answer = await this.transport.call({ method: "GET", url });
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw new GraphCallError(url, answer);
    return answer.body as T;
  }
}

type SignInGap = NonNullable<DirectoryUser["signInData"]>;

const markOne = (user: DirectoryUser | undefined, why: SignInGap) => user && { ...user, signInData: why };
const markAll = (users: DirectoryUser[], why: SignInGap) => users.map((u) => ({ ...u, signInData: why }));

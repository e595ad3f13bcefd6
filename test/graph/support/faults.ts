import { graphError, throttled, unavailable, type Reply } from "./graph-errors";

/** Where a fault strikes: whole HTTP requests (a `$batch` included), `$batch` items, or both. */
export type Where = "request" | "item" | "any";

interface Rule {
  where: Where;
  reply: () => Reply;
  /** Strikes left; Infinity for "every k-th" rules. */
  remaining: number;
  every: number;
  seen: number;
  match: (method: string, path: string) => boolean;
}

const always = () => true;

/** Fault-injection knobs of the loopback Graph server. The first matching rule wins. */
export class Faults {
  private rules: Rule[] = [];

  throttleNext(count: number, retryAfterSeconds: number, where: Where = "any"): this {
    return this.add({ where, reply: () => throttled(retryAfterSeconds), remaining: count, every: 1 });
  }

  /** Answers every k-th eligible request or item with 429 and Retry-After. */
  throttleEvery(k: number, retryAfterSeconds: number, where: Where = "any"): this {
    return this.add({ where, reply: () => throttled(retryAfterSeconds), remaining: Infinity, every: k });
  }

  failNext(count: number, status: number, where: Where = "any", retryAfterSeconds?: number): this {
    return this.add({
      where,
      reply: () => errorReply(status, retryAfterSeconds),
      remaining: count,
      every: 1,
    });
  }

  failEvery(k: number, status: number, where: Where = "any"): this {
    return this.add({ where, reply: () => errorReply(status), remaining: Infinity, every: k });
  }

  /** A lasting failure for matching calls, e.g. a group the app may not change. */
  failMatching(
    match: (method: string, path: string) => boolean,
    reply: () => Reply,
    where: Where = "any",
  ): this {
    return this.add({ where, reply, remaining: Infinity, every: 1, match });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this call, if any; counts the call against the rules it is eligible for. */
  pick(kind: "request" | "item", method: string, path: string): Reply | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || (rule.where !== "any" && rule.where !== kind) || !rule.match(method, path))
        continue;
      rule.seen++;
      if (rule.seen % rule.every !== 0) continue;
      rule.remaining--;
      return rule.reply();
    }
    return undefined;
  }

  private add(rule: Omit<Rule, "seen" | "match"> & { match?: Rule["match"] }): this {
    this.rules.push({ seen: 0, match: always, ...rule });
    return this;
  }
}

function errorReply(status: number, retryAfterSeconds?: number): Reply {
  if (status >= 500) return unavailable(status, retryAfterSeconds);
  if (status === 429) return { ...graphError(429, "TooManyRequests", "Too many requests") };
  if (status === 403)
    return graphError(
      403,
      "Authorization_RequestDenied",
      "Insufficient privileges to complete the operation.",
    );
  return graphError(status, "Request_BadRequest", "Injected failure.");
}

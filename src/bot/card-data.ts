import type { AppDeps } from "../app/deps";
import { appendRefusal } from "../app/audit/refusals";
import { err, ok, type Result } from "../domain/result";

/**
 * Card data is untrusted: whatever the client sent. Each field is checked for type and size; an
 * id must look like one of ours. A malformed action changes nothing and is answered with an error.
 */
export interface CardDataError {
  code: "CARD.INVALID";
  message: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/;
export const MAX_DATA_BYTES = 16 * 1024;

export class CardData {
  private constructor(private readonly data: Record<string, unknown>) {}

  static parse(raw: unknown): Result<CardData, CardDataError> {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      return invalid("The button sent no data.");
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(raw), "utf8");
    } catch {
      return invalid("The button sent data that can't be read.");
    }
    if (size > MAX_DATA_BYTES) return invalid("The card sent more data than a card can hold.");
    return ok(new CardData(raw as Record<string, unknown>));
  }

  id(key: string): Result<string, CardDataError> {
    const value = this.data[key];
    if (typeof value !== "string" || !ID.test(value)) return invalid(`The card has no valid ${key}.`);
    return ok(value);
  }

  optionalId(key: string): Result<string | undefined, CardDataError> {
    const value = this.data[key];
    if (value === undefined || value === null || value === "") return ok(undefined);
    return this.id(key);
  }

  /** A whole number the card was rendered with (a revision or stage); strings of digits are accepted. */
  int(key: string, max = 1_000_000_000): Result<number, CardDataError> {
    const raw = this.data[key];
    const value = typeof raw === "string" && /^\d{1,10}$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
      return invalid(`The card has no valid ${key}.`);
    }
    return ok(value);
  }

  optionalInt(key: string): Result<number | undefined, CardDataError> {
    return this.data[key] === undefined ? ok(undefined) : this.int(key);
  }

  /** Text a person typed into the card; too long is refused rather than silently cut. */
  text(key: string, max: number): Result<string, CardDataError> {
    const value = this.data[key];
    if (value === undefined || value === null) return ok("");
    if (typeof value !== "string") return invalid(`The field ${key} must be text.`);
    if (value.length > max) return invalid(`Keep ${key} under ${max} characters.`);
    return ok(value);
  }

  /** Inputs whose id starts with `prefix`, as strings. */
  withPrefix(prefix: string): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.data).filter(([key]) => key.startsWith(prefix)));
  }
}

const invalid = (message: string): Result<never, CardDataError> => err({ code: "CARD.INVALID", message });

/** Refused card actions are part of the audit trail too, even when no use case ran. */
export async function auditInvalidAction(
  deps: Pick<AppDeps, "audit" | "ids" | "clock" | "logger">,
  actor: string | undefined,
  verb: string,
  message: string,
  code = "CARD.INVALID",
): Promise<void> {
  try {
    await appendRefusal(
      deps.audit,
      {
        id: deps.ids.next("aud"),
        at: deps.clock.now().toISOString(),
        actor: actor ?? "system",
        action: "cardAction.refused",
        subject: `card:${verb.slice(0, 60)}`,
        reason: message,
        source: "card",
        details: { code },
      },
      deps.clock.now().getTime(),
    );
  } catch (error) {
    deps.logger.warn({ err: error }, "could not audit a refused card action");
  }
}

import assert from "node:assert/strict";
import { Writable } from "node:stream";
import pino from "pino";
import { contextualLogger } from "../../src/adapters/runtime/logger";
import type { Logger } from "../../src/ports/logger";

function capture(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: "info" }, stream) as unknown as Logger;
  return {
    logger,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("contextual logging", () => {
  it("gives lines logged inside a turn the turn's correlation ids, also after awaits", async () => {
    const { logger, lines } = capture();
    const log = contextualLogger(logger);
    await log.within(log.child({ turnId: "t-1" }), async () => {
      log.info("before");
      await new Promise((r) => setTimeout(r, 5));
      log.info({ step: 2 }, "after");
    });
    log.info("outside");
    const [before, after, outside] = lines();
    assert.equal(before.turnId, "t-1");
    assert.equal(after.turnId, "t-1");
    assert.equal(after.step, 2);
    assert.equal(outside.turnId, undefined);
  });

  it("keeps two concurrent turns apart", async () => {
    const { logger, lines } = capture();
    const log = contextualLogger(logger);
    await Promise.all(
      ["a", "b"].map((turnId, i) =>
        log.within(log.child({ turnId }), async () => {
          await new Promise((r) => setTimeout(r, 10 - i * 5));
          log.info({ who: turnId }, "work");
        }),
      ),
    );
    for (const line of lines()) assert.equal(line.turnId, line.who);
  });
});

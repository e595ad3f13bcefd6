import assert from "node:assert/strict";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { compileAnswerFormat } from "../../../../src/domain/request/answer-format";

const WORKER = "test/unit/domain/request/support/adversarial-answers.worker.ts";

/**
 * Runs a TypeScript module in a worker and resolves with the first message it posts. The deadline
 * is a generous guard, not a benchmark: it only tells a stalled (backtracking) matcher from a
 * linear one without blocking the test run itself.
 */
function inWorker(file: string, deadlineMs = 10_000): Promise<unknown> {
  const worker = new Worker(
    `require("tsx/cjs/api").register(); require(${JSON.stringify(path.resolve(file))});`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`no answer after ${deadlineMs} ms: the answer matcher backtracks`));
    }, deadlineMs);
    worker.once("message", (message) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe("question format rules are matched in linear time", function () {
  this.timeout(30_000);

  it("refuses an adversarial answer to a nested-quantifier rule and accepts a fitting one, without stalling", async () => {
    const results = (await inWorker(WORKER)) as Record<string, string>;
    assert.match(results.adversarialShort!, /^refused: The answer doesn't have the expected format\.$/);
    assert.equal(results.fineShort, "accepted");
    assert.match(results.adversarialLong!, /^refused: The answer doesn't have the expected format\.$/);
    assert.equal(results.fineLong, "accepted");
  });

  it("matches 10,000-character input against the same rule (a backtracking engine never finishes)", async () => {
    const results = (await inWorker(WORKER)) as Record<string, boolean>;
    assert.equal(results.hugeAdversarial, false);
    assert.equal(results.hugeFine, true);
  });

  it("searches like RegExp.test: unanchored unless the rule says ^ or $", () => {
    const format = (source: string) => {
      const compiled = compileAnswerFormat(source);
      assert.ok(compiled.ok);
      return compiled.value;
    };
    assert.equal(format("CC-[0-9]{4}").test("my CC-1234 code"), true);
    assert.equal(format("^CC-\\d{4}$").test("my CC-1234 code"), false);
    assert.equal(format("^CC-\\d{4}$").test("CC-1234"), true);
  });

  it("refuses rules RE2 cannot run, with the reason", () => {
    for (const source of ["^(?=.*\\d).+$", "(a)\\1", "[0-9"]) {
      const compiled = compileAnswerFormat(source);
      assert.equal(compiled.ok, false, source);
      if (!compiled.ok) assert.match(compiled.error, /error parsing regexp/);
    }
  });
});

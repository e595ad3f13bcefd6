import assert from "node:assert/strict";
import path from "node:path";
import { readSources } from "./import-graph";
import { checkLayers } from "./layers";

const ROOT = path.resolve(__dirname, "../..");

const file = (p: string, text: string) => ({ path: p, text });
const rulesBrokenBy = (p: string, text: string): string[] => checkLayers([file(p, text)]).map((v) => v.rule);

describe("layering rules", () => {
  it("hold for every file under src/", () => {
    const violations = checkLayers(readSources(ROOT, "src"));
    const listing = violations.map((v) => `${v.file}: ${v.detail} (${v.rule})`).join("\n");
    assert.equal(violations.length, 0, `layering rules broken:\n${listing}`);
  });

  it("refuse a domain file in a nested folder that imports an adapter", () => {
    const rules = rulesBrokenBy("src/domain/request/x.ts", `import { a } from "../../adapters/memory";`);
    assert.ok(rules.includes("domain imports only domain"));
  });

  it("allow the domain only the pure packages it is allowed", () => {
    assert.deepEqual(rulesBrokenBy("src/domain/x.ts", `import { RE2JS } from "re2js";`), []);
    assert.ok(
      rulesBrokenBy("src/domain/x.ts", `import pino from "pino";`).includes("domain imports only domain"),
    );
  });

  it("refuse a package import, a dynamic import and a require in the domain", () => {
    const text = `import pino from "pino";\nconst a = () => import("../../app/deps");\nconst b = require("node:fs");`;
    assert.equal(rulesBrokenBy("src/domain/model/x.ts", text).length, 3);
  });

  it("allow the domain to import the domain", () => {
    assert.deepEqual(rulesBrokenBy("src/domain/request/x.ts", `import { ok } from "../result";`), []);
  });

  it("refuse app importing the scheduler, an adapter or a package", () => {
    const text = [
      `import type { DueHandler } from "../../scheduler/handlers";`,
      `import { x } from "../../adapters/memory";`,
      `import { y } from "botbuilder";`,
    ].join("\n");
    const rules = rulesBrokenBy("src/app/lifecycle/x.ts", text);
    assert.ok(rules.includes("app imports only app, domain and ports"));
    assert.equal(rules.filter((r) => r === "app imports only app, domain and ports").length, 3);
  });

  it("refuse views importing app", () => {
    assert.deepEqual(
      rulesBrokenBy("src/views/x.ts", `import { f } from "../app/lifecycle/review-results";`),
      ["views import no app, adapters or bot"],
    );
  });

  it("refuse botbuilder outside the bot and the Teams adapter", () => {
    assert.deepEqual(rulesBrokenBy("src/scheduler/x.ts", `import { TurnContext } from "botbuilder";`), [
      "only the bot and the Teams adapter import botbuilder or teams-ai",
    ]);
    assert.deepEqual(
      rulesBrokenBy("src/adapters/teams/x.ts", `import { TurnContext } from "botbuilder";`),
      [],
    );
  });

  it("refuse the bot importing an adapter, even for a type", () => {
    assert.ok(
      rulesBrokenBy("src/bot/x.ts", `import type { T } from "../adapters/teams/pacing";`).includes(
        "the bot imports no adapter",
      ),
    );
  });

  it("refuse one adapter importing code of another, but allow a type", () => {
    assert.deepEqual(
      rulesBrokenBy("src/adapters/tables/x.ts", `import { s } from "../memory/stored-json";`),
      ["one adapter imports another only through the composition root (adapters/shared is common)"],
    );
    assert.deepEqual(
      rulesBrokenBy("src/adapters/tables/x.ts", `import type { S } from "../memory/stored-json";`),
      [],
    );
  });

  it("refuse constructing adapters outside the composition root", () => {
    assert.deepEqual(
      rulesBrokenBy("src/cli/x.ts", `import { createTableStores } from "../adapters/tables";`),
      ["only the composition root constructs adapters"],
    );
    assert.deepEqual(
      rulesBrokenBy("src/composition/x.ts", `import { createTableStores } from "../adapters/tables";`),
      [],
    );
  });

  it("refuse process.env outside config.ts, but not the words in a comment", () => {
    assert.deepEqual(rulesBrokenBy("src/http/x.ts", `const port = process.env.PORT;`), [
      "nothing but config.ts reads process.env",
    ]);
    assert.deepEqual(rulesBrokenBy("src/http/x.ts", `// process.env is read by config.ts`), []);
    assert.deepEqual(rulesBrokenBy("src/config.ts", `const env = process.env;`), []);
  });
});

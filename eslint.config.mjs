import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", ".data/**", "test-artifacts/**", "src/web/static/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": "off",
    },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["botbuilder*", "@microsoft/*", "@azure/*", "restify", "node:*", "fs", "http", "https"],
              message: "The domain is pure: no I/O, no SDKs.",
            },
            {
              // Any depth: "../adapters/x" from src/domain, "../../adapters/x" from src/domain/request.
              regex:
                "^(\\.\\./)+(adapters|app|bot|ports|views|scheduler|http|composition|governance|cli|local-channel|dev|main|config)(/|$)",
              message: "The domain imports only the domain.",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: "The domain takes the time from its context." },
        { object: "Math", property: "random", message: "The domain takes ids from its context." },
      ],
    },
  },
);

/**
 * Under tsx (`npm start`, the benchmark's bot) source maps are on, and Node then reads and keeps the
 * `.map` file of every module that names one: for our packages about 12 MB of heap in a process that
 * should stay under 200 MB. Our own code needs its maps (stack traces point into the TypeScript); the
 * packages' traces can show the JavaScript they ship. So the large packages are loaded first with
 * source maps off. Import this module first in an entry point tsx runs; a compiled build runs with
 * source maps off and loads nothing here.
 */
const LARGE_PACKAGES = [
  "botbuilder",
  "@microsoft/teams-ai",
  "adaptivecards-templating",
  "@azure/data-tables",
  "@azure/identity",
  "@microsoft/microsoft-graph-client",
  "restify",
];

if (process.sourceMapsEnabled) {
  process.setSourceMapsEnabled(false);
  try {
    // A `require` on purpose: an import would run before the switch above.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const name of LARGE_PACKAGES) require(name);
  } finally {
    process.setSourceMapsEnabled(true);
  }
}

export {};

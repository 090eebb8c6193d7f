// `next build` only when the sources changed since the last build (used by the e2e tests and the
// benchmarks). `--always` (`npm run build`, the release step of docs/deployment.md) builds anyway.
// Either way it first checks that the development dependencies `next build` needs are installed,
// and a failed build removes .next so the next attempt starts clean.
import { buildIfNeeded } from "./lib/setup.mjs";

buildIfNeeded({ always: process.argv.includes("--always") });

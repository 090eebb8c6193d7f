// `next build` only when the sources changed since the last build (used by the e2e tests).
import { buildIfNeeded } from "./lib/setup.mjs";

buildIfNeeded();

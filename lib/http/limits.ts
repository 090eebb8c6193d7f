// Request limits shared by next.config.ts (server actions, proxy buffering) and proxy.ts.
// Pure constants: imported by the build config, so no "server-only" here.

/**
 * Largest request body in bytes (6 MiB): a 5 MB CSV import plus multipart overhead. Next parses
 * server-action bodies up to this size; proxy.ts answers 413 above it before Next buffers anything,
 * because Next's proxy would otherwise pass on a body silently cut at its own buffer limit.
 */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** Most form fields in one request (urlencoded pairs or multipart parts); the largest form has ~20. */
export const MAX_FORM_FIELDS = 1000;

/** Deepest nesting of a server action's JSON arguments; ours are 2 deep, React's decoder recurses. */
export const MAX_JSON_DEPTH = 32;

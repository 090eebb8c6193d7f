// Endpoint URLs of the redirection service as an admin types them. Pure (no server imports): the
// settings form's schema, the settings data layer, the action wrapper and the client share it.

/** Said when a URL carries `user:password@`: the form has fields for both, and the URL is shown and logged. */
export const URL_CREDENTIALS_MESSAGE =
  "Remove the username and password from the URL: enter them in the XML-RPC username and password fields.";

// `scheme://user[:password]@` at the start. For http(s) the WHATWG URL parser also takes `https:/`,
// `https:` and backslashes as the authority's start, so those forms count too.
const USERINFO = /^(\s*(?:https?:[\\/]*|[a-z][a-z0-9+.-]*:\/\/))[^/\\?#\s]+@/i;

/** Does `url` carry a `user[:password]@` part? Text that does not parse as a URL is checked textually. */
export function hasUrlCredentials(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    if (parsed.username !== "" || parsed.password !== "") return true;
  } catch {
    /* judged textually below */
  }
  return USERINFO.test(url);
}

/**
 * `text` without a leading URL's `user[:password]@` (`https://u:p@h/x/` → `https://h/x/`); anything
 * else is returned unchanged. For values sent back to a form, messages and logs.
 */
export function withoutUrlCredentials(text: string): string {
  return text.replace(USERINFO, "$1");
}

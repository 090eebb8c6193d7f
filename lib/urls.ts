// Provisioning URLs as the redirection service takes them: http(s), plain text, `{mac}` kept verbatim.

export const MAC_PLACEHOLDER = "{mac}";

/** `{MAC}`, `{mac_address}` and the like are not replaced by the phone: only `{mac}` is. */
export function hasUnknownPlaceholder(value: string): boolean {
  return [...value.matchAll(/\{[^}]*\}/g)].some((m) => m[0] !== MAC_PLACEHOLDER);
}

export function isProvisioningUrl(value: string): boolean {
  if (/\s/.test(value) || hasUnknownPlaceholder(value)) return false;
  try {
    const u = new URL(value.replaceAll(MAC_PLACEHOLDER, "000413000000"));
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

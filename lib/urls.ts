// Provisioning URLs as the redirection service takes them: http(s), plain text, `{mac}` kept verbatim.

export const MAC_PLACEHOLDER = "{mac}";

export function isProvisioningUrl(value: string): boolean {
  if (/\s/.test(value)) return false;
  try {
    const u = new URL(value.replaceAll(MAC_PLACEHOLDER, "000413000000"));
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

// Credentials typed into an endpoint URL are recognised in every form the URL parser accepts, and
// removed from everything a form action sends back.
import { describe, expect, it } from "vitest";
import { withoutSecrets } from "@/lib/actions/action";
import { hasUrlCredentials, withoutUrlCredentials } from "@/lib/redirection/endpoint-url";

describe("credentials in an endpoint URL", () => {
  it("are found with or without a password, also in forms browsers repair", () => {
    for (const url of [
      "https://user:pass@host:8083/xmlrpc/",
      "https://user@host:8083/xmlrpc/",
      "https://user:p@ss@host:8083/xmlrpc/",
      "https:/user:pass@host/xmlrpc/",
      "HTTPS://user:pass@host/xmlrpc/",
      "https://user:pa ss@host/xmlrpc/",
    ]) {
      expect(hasUrlCredentials(url), url).toBe(true);
    }
    for (const url of [
      "https://host:8083/xmlrpc/",
      "https://host/xmlrpc/?owner=a@b",
      "https://host/a@b/",
      "not a url",
    ]) {
      expect(hasUrlCredentials(url), url).toBe(false);
    }
  });

  it("are removed from the values sent back to a form (with the password fields)", () => {
    expect(withoutUrlCredentials("https://user:p@ss@host:8083/xmlrpc/")).toBe("https://host:8083/xmlrpc/");
    expect(
      withoutSecrets({
        endpointKind: "CUSTOM",
        customUrl: "https://user:Sup3rSecretPw@host:8083/xmlrpc/",
        username: "u",
        password: "x",
        notes: "a@b",
      }),
    ).toEqual({ endpointKind: "CUSTOM", customUrl: "https://host:8083/xmlrpc/", username: "u", notes: "a@b" });
  });
});

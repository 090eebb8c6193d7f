import { describe, expect, it } from "vitest";
import { checkProvisioningUrl, URL_VARIABLES, type UrlRejection } from "@/lib/urls";
import { checkRowFields } from "@/lib/import/classify";

describe("checkProvisioningUrl accepts what snom phones use", () => {
  it.each([
    "https://prov.example.net/snom/{mac}.xml",
    "https://prov.example.net/snom/{phone_type}/{mac}.xml",
    "https://prov.example.net/prv.php?mac={mac}&model={phone_type}",
    "https://prov.example.net/{phone_type}.htm",
    "http://192.0.2.10:8080/snom/{mac}",
    "https://[2001:db8::10]:8443/{mac}.xml",
    "https://prov.example.net/settings",
  ])("%s", (url) => {
    expect(checkProvisioningUrl(url)).toEqual({ ok: true });
  });

  it("documents the variables snom lists", () => {
    expect([...URL_VARIABLES]).toEqual(["mac", "phone_type"]);
  });
});

describe("checkProvisioningUrl refuses with a specific message", () => {
  it.each<[string, UrlRejection, string]>([
    [
      "https://prov.example.net/snom/%7Bmac%7D.xml",
      "encoded_placeholder",
      "The URL contains “%7Bmac%7D”, a percent-encoded {mac}: the phone replaces only the literal {mac} and {phone_type}, so write them with plain curly brackets.",
    ],
    [
      "https://prov.example.net/snom/%7bphone_type%7d/x",
      "encoded_placeholder",
      "The URL contains “%7bphone_type%7d”, a percent-encoded {phone_type}: the phone replaces only the literal {mac} and {phone_type}, so write them with plain curly brackets.",
    ],
    [
      "https://prov.example.net\\snom\\{mac}.xml",
      "backslash",
      "The URL contains a backslash (\\) after “https://prov.example.net”: URLs use forward slashes (/).",
    ],
    [
      "https:/prov.example.net/snom/{mac}.xml",
      "scheme",
      "“https:” must be followed by two slashes: https://prov.example.net/snom/{mac}.xml (a browser repairs this, a phone does not).",
    ],
    [
      "https:prov.example.net/{mac}",
      "scheme",
      "“https:” must be followed by two slashes: https://prov.example.net/{mac} (a browser repairs this, a phone does not).",
    ],
    [
      "https:///prov.example.net/{mac}",
      "scheme",
      "“https:” is followed by three slashes; write https://prov.example.net/{mac}.",
    ],
    [
      "https://prov.example.net/snom/ {mac}.xml",
      "whitespace",
      "The URL contains a space after “https://prov.example.net/snom/”: a URL has no spaces (write %20 if the server really needs one).",
    ],
    [
      "https://prov.example.net/snom/\t{mac}.xml",
      "whitespace",
      "The URL contains a tab after “https://prov.example.net/snom/”: a URL has no spaces (write %20 if the server really needs one).",
    ],
    [
      "https://prov.example.net/snom/\u00A0{mac}.xml",
      "whitespace",
      "The URL contains a space character U+00A0 (no-break space) after “https://prov.example.net/snom/”: a URL has no spaces (write %20 if the server really needs one).",
    ],
    [
      "https://prov.example.net/snom/{mac}.xml\u200B",
      "invisible_character",
      "The URL contains an invisible character U+200B (zero-width space) after “https://prov.example.net/snom/{mac}.xml”: delete it or type the URL again.",
    ],
    [
      "\u200Ehttps://prov.example.net/snom/{mac}.xml",
      "invisible_character",
      "The URL contains an invisible character U+200E (left-to-right mark) at the start: delete it or type the URL again.",
    ],
    [
      "https://prov.exam\u00ADple.net/{mac}",
      "invisible_character",
      "The URL contains an invisible character U+00AD (soft hyphen) after “https://prov.exam”: delete it or type the URL again.",
    ],
    [
      "https://prov.example.net/{MAC}.xml",
      "unknown_placeholder",
      "“{MAC}” is not a variable snom phones replace (write it lowercase: {mac}); they replace only {mac} and {phone_type}.",
    ],
    [
      "https://prov.example.net/{mac_address}.xml",
      "unknown_placeholder",
      "“{mac_address}” is not a variable snom phones replace; they replace only {mac} and {phone_type}.",
    ],
    ["https://prov.example.net/{mac.xml", "unbalanced_brace", "The URL has a “{” without “}”."],
    [
      "ftp://prov.example.net/{mac}",
      "scheme",
      "“ftp:” is not a scheme snom phones provision over: the URL must start with http:// or https://.",
    ],
    [
      "prov.example.net:8080/{mac}",
      "scheme",
      "The URL must start with http:// or https://, e.g. https://prov.example.net/snom/{mac}.xml.",
    ],
  ])("%j → %s", (url, reason, message) => {
    expect(checkProvisioningUrl(url)).toEqual({ ok: false, reason, message });
  });

  it("user:password@ is refused and the password is never echoed", () => {
    const result = checkProvisioningUrl("https://admin:Geheim-2026@prov.example.net/snom/{mac}.xml");
    expect(result).toMatchObject({ ok: false, reason: "credentials" });
    expect(!result.ok && result.message).toMatch(/user name and password/);
    expect(JSON.stringify(result)).not.toContain("Geheim-2026");
    expect(JSON.stringify(checkProvisioningUrl("https://admin:Geheim-2026@prov.example.net/a b"))).not.toContain(
      "Geheim-2026",
    );
  });

  it("the import's row check gives the same message", () => {
    expect(checkRowFields({ urlOverride: "https://prov.example.net/%7Bmac%7D" })).toEqual({
      reason: "invalid_url",
      message: expect.stringContaining("percent-encoded {mac}"),
    });
    expect(checkRowFields({ urlOverride: "https://prov.example.net/{phone_type}/{mac}" })).toBeNull();
  });

  it("forms and files trim ASCII spaces only: a no-break space or BOM at an end is named", () => {
    expect(checkRowFields({ urlOverride: "  https://prov.example.net/{mac}\t" })).toBeNull();
    expect(checkRowFields({ urlOverride: "https://prov.example.net/{mac}\u00A0" })).toEqual({
      reason: "invalid_url",
      message:
        "The URL contains a space character U+00A0 (no-break space) after “https://prov.example.net/{mac}”: a URL has no spaces (write %20 if the server really needs one).",
    });
    expect(checkRowFields({ urlOverride: "\uFEFFhttps://prov.example.net/{mac}" })).toMatchObject({
      message: expect.stringContaining("invisible character U+FEFF"),
    });
  });
});

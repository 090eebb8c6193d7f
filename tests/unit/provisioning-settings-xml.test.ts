// The snom settings file: escaping, placeholders, perm flags, secrets, overrides.
import { describe, expect, it } from "vitest";
import { create } from "xmlbuilder2";
import {
  buildSettingsXml,
  fillPlaceholders,
  SettingsXmlError,
  unknownPlaceholders,
  type PlaceholderValues,
} from "@/lib/provisioning/settings-xml";
import { composeSettings, maskSecrets, overrideProblem, ProfileSettingsSchema } from "@/lib/provisioning/profile";

const values: PlaceholderValues = {
  mac: "000413A1B2C3",
  label: 'Reception <1> & "front"',
  serial: "S-1",
  model: "snomD785",
  customer_name: "Müller & Söhne",
  customer_number: "C-42",
  organization_name: "Acme",
};

describe("buildSettingsXml", () => {
  it("writes <settings><phone-settings> with idx and perm attributes and escapes text and attributes", () => {
    const xml = buildSettingsXml([
      { name: "language", perm: "RW", value: "Deutsch" },
      { name: "user_realname", idx: 1, perm: "R", value: `A<B & "C" 'D'>` },
      { name: "user_host", idx: 1, perm: "", value: "pbx.example.net" },
    ]);
    expect(xml).toContain('<?xml version="1.0" encoding="utf-8"?>');
    expect(xml).toContain('<phone-settings e="2">');
    expect(xml).toContain('<language perm="RW">Deutsch</language>');
    expect(xml).toContain('<user_realname idx="1" perm="R">A&lt;B &amp; "C" \'D\'&gt;</user_realname>');
    expect(xml).toContain('<user_host idx="1" perm="">pbx.example.net</user_host>');
    // A real XML parser reads back exactly what went in.
    const realname = create(xml)
      .root()
      .first()
      .find((n) => n.node.nodeName === "user_realname");
    expect(realname?.node.textContent).toBe(`A<B & "C" 'D'>`);
  });

  it("refuses names that are not snom setting names and values XML cannot carry", () => {
    expect(() => buildSettingsXml([{ name: "bad name", perm: "R", value: "x" }])).toThrow(SettingsXmlError);
    expect(() => buildSettingsXml([{ name: "x><script", perm: "R", value: "x" }])).toThrow(SettingsXmlError);
    expect(() => buildSettingsXml([{ name: "language", perm: "R", value: "a\u0001b" }])).toThrow(SettingsXmlError);
  });
});

describe("placeholders", () => {
  it("fills known placeholders and names unknown ones", () => {
    expect(fillPlaceholders("{customer_number}-{mac}@{organization_name}", values)).toBe("C-42-000413A1B2C3@Acme");
    expect(unknownPlaceholders("{mac} {MAC} {foo}")).toEqual(["MAC", "foo"]);
  });

  it("rejects a profile with an unknown placeholder, with a clear message", () => {
    const parsed = ProfileSettingsSchema.safeParse({ lines: [{ sipUser: "{extension}" }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toMatch(/Unknown \{placeholder\}/);
  });
});

describe("composeSettings", () => {
  const profile = ProfileSettingsSchema.parse({
    perm: "R",
    language: "Deutsch",
    timezone: "GER+1",
    ntpServer: "ntp.example.net",
    updatePolicy: "auto_update",
    syslogToPortal: true,
    lines: [
      { sipUser: "{customer_number}-{label}", authUser: "{mac}", registrar: "pbx.example.net", displayName: "{label}" },
    ],
  });

  it("maps profile fields to snom settings, fills placeholders, escapes the result, and keeps passwords literal", () => {
    const settings = composeSettings({
      profile,
      secrets: { adminPassword: "adm{mac}<&", httpPassword: null },
      overrides: { "user_pass:1": "sip{secret}&", timezone: "USA-5" },
      values,
      syslogTarget: "portal.example.net:5514",
    });
    const by = (name: string, idx?: number) => settings.find((s) => s.name === name && s.idx === idx);
    expect(by("language")).toEqual({ name: "language", perm: "R", value: "Deutsch" });
    expect(by("timezone")?.value).toBe("USA-5"); // the phone's override wins
    expect(by("syslog_server")?.value).toBe("portal.example.net:5514");
    expect(by("user_name", 1)?.value).toBe('C-42-Reception <1> & "front"');
    expect(by("user_pname", 1)?.value).toBe("000413A1B2C3");
    expect(by("admin_mode_password")).toEqual({ name: "admin_mode_password", perm: "R", value: "adm{mac}<&" });
    expect(by("user_pass", 1)).toEqual({ name: "user_pass", idx: 1, perm: "R", value: "sip{secret}&" });
    const xml = buildSettingsXml(settings);
    expect(xml).toContain('<user_name idx="1" perm="R">C-42-Reception &lt;1&gt; &amp; "front"</user_name>');
    expect(xml).toContain('<user_pass idx="1" perm="R">sip{secret}&amp;</user_pass>');
  });

  it("writes no syslog_server while the receiver is off, and masks every password for the preview", () => {
    const settings = composeSettings({
      profile,
      secrets: { adminPassword: "x", httpPassword: "y" },
      overrides: { "user_pass:1": "z" },
      values,
      syslogTarget: null,
    });
    expect(settings.some((s) => s.name === "syslog_server")).toBe(false);
    const masked = buildSettingsXml(maskSecrets(settings));
    expect(masked).not.toMatch(/>x<|>y<|>z</);
    expect(masked).toContain('<http_pass perm="R">********</http_pass>');
  });

  it("explains bad overrides", () => {
    expect(overrideProblem("User Pass", "x")).toMatch(/lowercase/);
    expect(overrideProblem("language", "{nope}")).toMatch(/Unknown/);
    expect(overrideProblem("user_pass:1", "{anything goes in a password}")).toBeNull();
  });
});

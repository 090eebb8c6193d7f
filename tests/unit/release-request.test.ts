// The release request for a phone owned elsewhere names the organization's redirection service by its
// endpoint kind (the settings page's words), one line per paragraph (audit 6, point 2).
import { describe, expect, it } from "vitest";
import { redirectionServiceName, releaseRequestText } from "@/lib/reconcile/types";

const base = { mac: "000413FFFF01", serial: "SN-4711", ownerCompany: "Other GmbH", ourCompany: "Us AG" };

describe("release request", () => {
  it("says SRAPS only for snom's service; a custom endpoint or the sandbox by their names", () => {
    const sraps = releaseRequestText({ ...base, service: redirectionServiceName("SRAPS") });
    expect(sraps).toContain(
      "the snom phone below is registered to your account at snom's redirection service (SRAPS). It has been sold to Us AG, who now provision it. Please deregister (release) it in your account there so that we can register it to ours.\n",
    );
    const custom = releaseRequestText({
      ...base,
      service: redirectionServiceName("CUSTOM", { customHost: "https://rds.example.net/xmlrpc/" }),
    });
    expect(custom).toContain("registered to your account at the redirection service at https://rds.example.net/xmlrpc/.");
    expect(custom).not.toContain("SRAPS");
    expect(releaseRequestText({ ...base, service: redirectionServiceName("CUSTOM") })).toContain(
      "at the custom redirection endpoint.",
    );
    const sandbox = releaseRequestText({ ...base, service: redirectionServiceName("SANDBOX", { sandboxLabel: "Built-in sandbox" }) });
    expect(sandbox).toContain("at the built-in sandbox.");
    expect(sandbox).not.toContain("SRAPS");
  });

  it("keeps each paragraph on one line, the fields one per line", () => {
    const lines = releaseRequestText({ ...base, service: redirectionServiceName("SRAPS") }).split("\n");
    expect(lines).toEqual([
      "Subject: Release request for snom phone 00:04:13:FF:FF:01",
      "",
      "Hello Other GmbH,",
      "",
      expect.stringMatching(/^the snom phone below .* register it to ours\.$/),
      "",
      "MAC address:   00:04:13:FF:FF:01",
      "Serial number: SN-4711",
      "Invoice date:  (please fill in)",
      "Current owner: Other GmbH",
      "",
      "Thank you,",
      "Us AG",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { auditTargetHref, cleanAuditText, describeImportAdd } from "@/lib/audit/summary";

describe("describeImportAdd", () => {
  it("a paste names the customer", () => {
    expect(describeImportAdd({ customers: ["Bäckerei Müller"], created: 39, moved: 0, skipped: 0 })).toBe(
      "Into “Bäckerei Müller”: 39 added, 0 moved, 0 skipped",
    );
  });

  it("a file import names the file and every customer, at most five", () => {
    expect(
      describeImportAdd({ fileName: "telefone.csv", customers: ["A", "B"], created: 6, moved: 1, skipped: 2 }),
    ).toBe("File “telefone.csv” into “A”, “B”: 6 added, 1 moved, 2 skipped");
    const seven = ["A", "B", "C", "D", "E", "F", "G"];
    expect(describeImportAdd({ fileName: "x.csv", customers: seven, created: 7, moved: 0, skipped: 0 })).toBe(
      "File “x.csv” into “A”, “B”, “C”, “D”, “E” and 2 more: 7 added, 0 moved, 0 skipped",
    );
  });

  it("a file name loses control and bidi characters and is cut", () => {
    expect(cleanAuditText("a\r\nb\u202Ec\u0000d.csv")).toBe("a b c d.csv");
    const long = cleanAuditText(`${"x".repeat(200)}.csv`);
    expect(long).toHaveLength(80);
    expect(long.endsWith("…")).toBe(true);
    expect(describeImportAdd({ fileName: "\u0007", customers: ["A"], created: 1, moved: 0, skipped: 0 })).toBe(
      "File “(no name)” into “A”: 1 added, 0 moved, 0 skipped",
    );
  });
});

describe("auditTargetHref", () => {
  it("links customers, phones and re-point runs; not deleted targets", () => {
    expect(auditTargetHref("import.paste_add", "customer", "c1")).toBe("/customers/c1");
    expect(auditTargetHref("phone.bulk", "customer", "c1")).toBe("/customers/c1");
    expect(auditTargetHref("phone.retry", "phone", "p1")).toBe("/phones/p1");
    expect(auditTargetHref("reconcile.repoint", "reconcile", "r1")).toBe("/reconcile/repoint?run=r1");
    expect(auditTargetHref("reconcile.scan", "reconcile", "r1")).toBe("/reconcile");
    expect(auditTargetHref("customer.delete", "customer", "c1")).toBeNull();
    expect(auditTargetHref("phone.bulk", "phone", null)).toBeNull();
    expect(auditTargetHref("auth.sign_in", "user", "u1")).toBeNull();
  });
});

// Syslog datagrams from phones: severity from <PRI>, bounded lines, no control characters.
import { describe, expect, it } from "vitest";
import { MAX_LINE_CHARS, parseSyslogPacket } from "@/lib/provisioning/syslog";

describe("parseSyslogPacket", () => {
  it("reads the severity from <PRI> (RFC 3164 / 5424) and keeps the message", () => {
    expect(parseSyslogPacket(Buffer.from("<134>Nov 29 20:00:00 snomD785 [prov] done"))).toEqual({
      severity: 6,
      text: "Nov 29 20:00:00 snomD785 [prov] done",
    });
    expect(parseSyslogPacket(Buffer.from("<11>1 2026-11-29T20:00:00Z phone app - - - failed"))?.severity).toBe(3);
    expect(parseSyslogPacket(Buffer.from("no priority at all"))).toEqual({
      severity: null,
      text: "no priority at all",
    });
    expect(parseSyslogPacket(Buffer.from("<999>out of range"))?.severity).toBeNull();
  });

  it("cuts long lines, replaces control characters and drops empty packets", () => {
    const long = parseSyslogPacket(Buffer.from("<134>" + "x".repeat(50_000)));
    expect(long?.text.length).toBe(MAX_LINE_CHARS);
    expect(parseSyslogPacket(Buffer.from("<134>a\u0000b\u001bc\r\n"))?.text).toBe("a b c");
    expect(parseSyslogPacket(Buffer.from("<134>   "))).toBeNull();
  });
});

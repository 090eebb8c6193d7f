// Syslog from phones over UDP (RFC 3164 / 5424 framing: "<PRI>…"), stored per phone. A line belongs
// to the phone whose last settings fetch came from the packet's source address (the most recent one
// when several phones of one organization share it, e.g. behind one NAT). When phones of different
// organizations were last seen at that address, the line is dropped: one tenant's log never reaches
// another's pages. Started from lib/background.ts when SYSLOG_PORT
// is set. No "server-only": lib/background.ts loads it at server start.
import dgram from "node:dgram";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { Db } from "../db-core";
import { logger } from "../log";

export const MAX_LINE_CHARS = 1000;
const MAX_DATAGRAM = 8192;

export type SyslogLine = { severity: number | null; text: string };

/** Severity (0 emergency … 7 debug) and the message, cut to MAX_LINE_CHARS, control characters removed. */
export function parseSyslogPacket(packet: Buffer): SyslogLine | null {
  const raw = packet.subarray(0, MAX_DATAGRAM).toString("utf8");
  const m = /^<(\d{1,3})>/.exec(raw);
  const pri = m ? Number(m[1]) : null;
  const text = (m ? raw.slice(m[0].length) : raw)
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, " ")
    .trim()
    .slice(0, MAX_LINE_CHARS);
  if (!text) return null;
  return { severity: pri !== null && pri <= 191 ? pri % 8 : null, text };
}

function normalize(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/**
 * Stores one line for the phone last seen at `address`; false when no phone matches or the address is
 * shared by phones of several organizations (ambiguous: dropped). Keeps `linesPerPhone` per phone.
 */
export async function recordSyslogLine(
  db: Db,
  address: string,
  line: SyslogLine,
  linesPerPhone: number,
): Promise<boolean> {
  const from = normalize(address);
  const phone = await db.phone.findFirst({
    where: { provLastAddress: from, deletedAt: null },
    orderBy: { provLastFetchAt: "desc" },
    select: { id: true, organizationId: true },
  });
  if (!phone) return false;
  const otherTenant = await db.phone.findFirst({
    where: { provLastAddress: from, deletedAt: null, organizationId: { not: phone.organizationId } },
    select: { id: true },
  });
  if (otherTenant) return false;
  await db.phoneLogLine.create({
    data: {
      organizationId: phone.organizationId,
      phoneId: phone.id,
      address: from,
      severity: line.severity,
      text: line.text,
    },
  });
  const cutoff = await db.phoneLogLine.findFirst({
    where: { phoneId: phone.id },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    skip: linesPerPhone,
    select: { receivedAt: true },
  });
  if (cutoff)
    await db.phoneLogLine.deleteMany({ where: { phoneId: phone.id, receivedAt: { lte: cutoff.receivedAt } } });
  return true;
}

export type SyslogReceiver = { port: number; close: () => Promise<void> };

/**
 * Listens on UDP `host:port` (port 0: any free port). At most 20 lines a second per source address
 * are stored; more are dropped. Lines are written one after another, so a burst cannot pile up
 * concurrent transactions.
 */
export async function startSyslogReceiver(opts: {
  db: Db;
  host: string;
  port: number;
  linesPerPhone: number;
}): Promise<SyslogReceiver> {
  const socket = dgram.createSocket(opts.host.includes(":") ? "udp6" : "udp4");
  const limiter = new RateLimiterMemory({ keyPrefix: "syslog", points: 20, duration: 1 });
  let chain: Promise<unknown> = Promise.resolve();
  let backlog = 0;
  socket.on("message", (msg, rinfo) => {
    if (backlog > 1000) return;
    const line = parseSyslogPacket(msg);
    if (!line) return;
    backlog++;
    chain = chain
      .then(() => limiter.consume(normalize(rinfo.address)))
      .then(
        () => recordSyslogLine(opts.db, rinfo.address, line, opts.linesPerPhone),
        () => false, // over the per-address limit: dropped
      )
      .catch((e: unknown) => logger.error({ err: e }, "syslog: line not stored"))
      .finally(() => backlog--);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(opts.port, opts.host, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  socket.on("error", (e) => logger.error({ err: e }, "syslog receiver failed"));
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

// No "server-only": loaded by instrumentation.ts, outside the React server bundle.
import http from "node:http";
import { CLIENT_ADDRESS_HEADER } from "./client-address";

const INSTALLED = Symbol.for("portal.clientAddressHeader");

/**
 * Every HTTP request this process serves gets its socket address in CLIENT_ADDRESS_HEADER (a value a
 * client sent under that name is replaced). Called once from instrumentation.ts; idempotent.
 */
export function installClientAddressHeader(): void {
  const proto = http.Server.prototype as http.Server & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[CLIENT_ADDRESS_HEADER] = req.socket?.remoteAddress ?? "";
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(
      this,
      event,
      ...args,
    );
  } as typeof proto.emit;
}

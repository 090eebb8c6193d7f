// Types for the two xmlrpc@1.3.2 internals we use directly (the package ships no typings for them).
declare module "xmlrpc/lib/serializer.js" {
  const serializer: {
    serializeMethodCall(method: string, params?: unknown[], encoding?: string): string;
    serializeMethodResponse(value: unknown): string;
    serializeFault(fault: { faultCode: number; faultString: string }): string;
  };
  export default serializer;
}

declare module "xmlrpc/lib/deserializer.js" {
  import type { Readable } from "node:stream";
  class Deserializer {
    constructor(encoding?: string);
    /** The sax stream the package parses with (events: opentag, closetag, doctype, error, end …). */
    parser: {
      on(event: string, listener: (...args: unknown[]) => void): unknown;
      write(chunk: string): boolean;
      end(): void;
    };
    deserializeMethodResponse(stream: Readable, callback: (error: unknown, value?: unknown) => void): void;
    deserializeMethodCall(
      stream: Readable,
      callback: (error: unknown, methodName?: string, params?: unknown[]) => void,
    ): void;
  }
  export default Deserializer;
}

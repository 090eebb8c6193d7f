// The pure half of the import (parsers and classification), safe to import from the browser.
// The database half lives in ./commit and is imported from there by server code only.
export * from "./types";
export * from "./paste";
export * from "./csv";
export * from "./classify";

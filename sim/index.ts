// simlab's public entry: what student code and graders may use.
export * from "./core/index.ts";
export * from "./codec/index.ts";
export * from "./storage/index.ts";
export * from "./net/index.ts";

// Part 2X (conformance: the harness plays the other peers) under vitest: `npm test -- 2X`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./2X.ts";

registerWithVitest("2X", tests);

// Lab 2B under vitest: `npm test -- 2B`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./2B.ts";

registerWithVitest("2B", tests);

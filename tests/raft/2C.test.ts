// Lab 2C under vitest: `npm test -- 2C`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./2C.ts";

registerWithVitest("2C", tests);

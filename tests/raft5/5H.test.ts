// Lab 5H under vitest: `npm test -- 5H`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5H.ts";

registerWithVitest("5H", tests);

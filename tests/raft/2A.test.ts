// Lab 2A under vitest: `npm test -- 2A`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./2A.ts";

registerWithVitest("2A", tests);

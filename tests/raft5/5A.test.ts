// Lab 5A under vitest: `npm test -- 5A`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5A.ts";

registerWithVitest("5A", tests);

// Lab 4A under vitest: `npm test -- 4A`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./4A.ts";

registerWithVitest("4A", tests);

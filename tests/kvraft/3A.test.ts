// Lab 3A under vitest: `npm test -- 3A`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./3A.ts";

registerWithVitest("3A", tests);

// Lab 5D under vitest: `npm test -- 5D`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5D.ts";

registerWithVitest("5D", tests);

// Lab 2D under vitest: `npm test -- 2D`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./2D.ts";

registerWithVitest("2D", tests);

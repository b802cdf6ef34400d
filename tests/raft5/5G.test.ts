// Lab 5G under vitest: `npm test -- 5G`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5G.ts";

registerWithVitest("5G", tests);

// Lab 5C under vitest: `npm test -- 5C`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5C.ts";

registerWithVitest("5C", tests);

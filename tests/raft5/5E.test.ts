// Lab 5E under vitest: `npm test -- 5E`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5E.ts";

registerWithVitest("5E", tests);

// Lab 5B under vitest: `npm test -- 5B`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5B.ts";

registerWithVitest("5B", tests);

// Lab 4B under vitest: `npm test -- 4B`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./4B.ts";

registerWithVitest("4B", tests);

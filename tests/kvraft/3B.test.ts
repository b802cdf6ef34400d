// Lab 3B under vitest: `npm test -- 3B`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./3B.ts";

registerWithVitest("3B", tests);

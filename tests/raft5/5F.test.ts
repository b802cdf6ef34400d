// Lab 5F under vitest: `npm test -- 5F`.
import { registerWithVitest } from "../harness/vitest.ts";
import { tests } from "./5F.ts";

registerWithVitest("5F", tests);

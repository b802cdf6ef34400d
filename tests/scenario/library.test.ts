// Every scenario in scenarios/, under vitest: `npm test -- scenario`. SEED and SEEDS work as for
// the lab tests, and a failure prints the `simlab run --scenario` command that replays it.
import { registerWithVitest } from "../harness/vitest.ts";
import { libraryTests } from "./library.ts";

registerWithVitest("scenarios", libraryTests());

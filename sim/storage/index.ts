export { Persister } from "./persister.ts";

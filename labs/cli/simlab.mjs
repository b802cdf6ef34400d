#!/usr/bin/env node
// The `simlab` command (package.json "bin"). The CLI is TypeScript like the rest of simlab, so this
// shim registers tsx's loader and hands over to main.ts.
import { register } from "tsx/esm/api";

register();
await import("./main.ts");

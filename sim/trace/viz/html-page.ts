// The debugger page as one self-contained HTML file: styles, script and data inlined, so it opens
// from file:// (where a page can load neither a sibling JSON file nor an ES module) and can be
// mailed. The page's TypeScript (page/) is bundled with esbuild when the page is written (or
// taken from the last bundle, if its sources are unchanged: page-bundle.ts), and
// the data, packed (packed-data.ts: JSON and typed columns), is gzipped (at the fastest level)
// and base64-encoded: a large run's data is over ten megabytes and shrinks about fivefold; the
// page inflates it with the browser's DecompressionStream.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { PageData } from "./page-data.ts";
import { packPageData } from "./packed-data.ts";
import { bundleScript } from "./page-bundle.ts";

const pageDir = join(dirname(fileURLToPath(import.meta.url)), "page");

/** Where bundles of the page's script are kept between processes (page-bundle.ts). */
const bundleCache = join(process.cwd(), ".simlab", "cache");

let bundled: string | undefined;

/** The page's script, bundled once per process, or taken from the bundles kept (pageHtml calls it; a benchmark may, to time it apart). */
export function pageScript(): string {
  bundled ??= bundleScript(join(pageDir, "main.ts"), bundleCache).text;
  return bundled;
}

/** A script's text made safe to inline: no "</script" can end it early. */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1");
}

export function pageHtml(data: PageData): string {
  const packed = gzipSync(packPageData(data), { level: 1 }).toString("base64");
  const title = `${data.header.test}${data.header.seed === null ? "" : ` seed ${data.header.seed}`} — simlab viz`;
  const css = readFileSync(join(pageDir, "page.css"), "utf8");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"))}</title>
<style>${css}</style>
</head>
<body>
<header id="header"></header>
<div id="toolbar"></div>
<div id="overview"></div>
<div id="main">
  <div id="timeline-scroll"><div id="labels"></div><div id="timeline"></div></div>
  <aside id="side"><section id="inspector"></section><section id="state"></section></aside>
</div>
<div id="events"></div>
<script id="simlab-data" type="application/gzip+base64">${packed}</script>
<script>${inlineScript(pageScript())}</script>
</body>
</html>
`;
}

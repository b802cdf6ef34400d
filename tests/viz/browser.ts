// Headless Chromium for the page's tests, through playwright-core and Debian's chromium package
// (npx playwright install cannot download a browser here). Where the browser is missing, the
// tests are skipped with the reason printed — except under CI (CI=true), where they must run:
// .ci/run installs chromium first, and a CI without it fails.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const chromiumPath = process.env.SIMLAB_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `the browser tests need Chromium at ${chromiumPath} (apt-get install chromium, or set SIMLAB_CHROMIUM)`;
  if (process.env.CI === "true") throw new Error(`${reason}; under CI they must run, and .ci/run installs it.`);
  console.warn(`skipped: ${reason}.`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // A closed network: no background connections, no QUIC; software raster; as root, no sandbox.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

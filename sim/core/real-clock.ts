// The real scheduling primitives, captured when simlab is loaded, before the determinism guard
// replaces the globals. Only the kernel uses these; simulated code never sees them.

export const originalNextTick = process.nextTick;
export const realNextTick: (fn: () => void) => void = process.nextTick.bind(process);
export const realSetImmediate = globalThis.setImmediate;
export const realSetTimeout = globalThis.setTimeout;
export const realClearTimeout = globalThis.clearTimeout;
export const realSetInterval = globalThis.setInterval;
export const realClearInterval = globalThis.clearInterval;
export const realDateNow = Date.now;
export const realPerformanceNow = performance.now.bind(performance);

// The page's colours: a cycle of six for Raft terms (RaftScope's idea), a colour per RPC method
// and per log topic picked by hashing the name, and the fixed colours of faults and verdicts.

const termPalette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"];
const namePalette = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];

export const colors = {
  lane: "#d0d4d9",
  text: "#222",
  mutedText: "#777",
  drop: "#d62728",
  slow: "#e6550d",
  toCrashed: "#aaa",
  crashHatch: "#888",
  partitionSides: ["transparent", "rgba(255, 170, 60, 0.16)", "rgba(60, 140, 255, 0.14)", "rgba(120, 200, 80, 0.16)", "rgba(200, 80, 200, 0.14)"],
  opOk: "#6baed6",
  opUnknown: "#fdae6b",
  opGreyed: "#d9d9d9",
  linearization: "#2b8cbe",
  illegalNext: "#d62728",
  cursor: "#e31a1c",
  selection: "#111",
  path: "#ff7f00",
  held: "rgba(106, 61, 154, 0.75)",
  density: "rgba(60, 60, 90, 0.55)",
};

export function termColor(term: number): string {
  return termPalette[((term % termPalette.length) + termPalette.length) % termPalette.length]!;
}

/** A stable colour for a name (an RPC method, a log topic). */
export function nameColor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) >>> 0;
  return namePalette[h % namePalette.length]!;
}

export function partitionTint(side: number): string {
  return side <= 0 ? "transparent" : colors.partitionSides[1 + ((side - 1) % (colors.partitionSides.length - 1))]!;
}

// What simlab grade prints and writes when its grades are in, wherever their runs ran (here, or in
// shards put together by simlab merge): for one submission its table, test by test; for several
// one row each; the --json report (every grade, test by test) and the --csv gradebook (one row per
// submission, points per part and lab). The same grades give the same output, to the byte.
import { RUN_WALL_LIMIT_MS, type Grade, type LabGrade } from "../course/grading.ts";
import { labs as courseLabs, type Lab } from "../course/manifest.ts";

/** Prints the grades on stdout: a table test by test for one submission, a row each for several. */
export function printGrades(grades: readonly Grade[], graded: readonly Lab[]): void {
  if (grades.length === 1) printTable(grades[0]!);
  else printRows(grades, graded);
}

/** The --json report. */
export function gradesJson(grades: readonly Grade[], graded: readonly Lab[], seeds: { from: number; count: number }): string {
  return `${JSON.stringify({ labs: graded.map((lab) => lab.number), seeds, grades }, null, 2)}\n`;
}

/** The --csv gradebook: one row per submission, the points of each part and lab, the total, and the notes. */
export function gradesCsv(grades: readonly Grade[], graded: readonly Lab[]): string {
  const header = ["submission", ...graded.flatMap((lab) => [...lab.parts.map((part) => part.name), `lab ${lab.number}`]), "total", "out of", "notes"];
  const quote = (cell: string | number): string => (/[",\n]/.test(String(cell)) ? `"${String(cell).replaceAll('"', '""')}"` : String(cell));
  const rows = grades.map((grade) => [
    grade.submission,
    ...grade.labs.flatMap((lab) => [
      ...courseLabs.find((one) => one.number === lab.lab)!.parts.map((part) => lab.tests.filter((test) => test.part === part.name).reduce((sum, test) => sum + test.earned, 0)),
      lab.earned,
    ]),
    grade.earned,
    grade.points,
    notes(grade, true).join(" "),
  ]);
  return [header, ...rows].map((row) => row.map(quote).join(",")).join("\n") + "\n";
}

function printTable(grade: Grade): void {
  const seeds = `seeds ${grade.seeds.from}–${grade.seeds.from + grade.seeds.count - 1}`;
  console.log(`${grade.submission}: lab${grade.labs.length === 1 ? "" : "s"} ${grade.labs.map((lab) => lab.lab).join(", ")}, ${seeds}\n`);
  const rows: string[][] = [["test", "seeds passed", "points", "first failing seed"]];
  for (const lab of grade.labs) {
    if (lab.notGraded !== undefined) {
      rows.push([`lab ${lab.lab}`, "", `0/${lab.points}`, `not graded: ${lab.notGraded}`]);
      continue;
    }
    for (const test of lab.tests) {
      const failure = test.firstFailure;
      const why = failure?.ended === "worker ended" ? `crashed the test runner: ${failure.why}` : failure?.why;
      const shown = failure === undefined ? "-" : `${failure.seed}: ${shorten(why!, 90)}  ${failure.replay}`;
      rows.push([test.test, `${test.passed}/${test.runs}`, `${test.earned}/${test.points}`, shown]);
    }
    rows.push([`lab ${lab.lab}`, "", `${lab.earned}/${lab.points}`, ""]);
  }
  rows.push(["total", "", `${grade.earned}/${grade.points}`, ""]);
  printColumns(rows, [false, true, true, false]);
  for (const note of notes(grade, false)) console.log(`\n${note}`);
}

function printRows(grades: readonly Grade[], graded: readonly Lab[]): void {
  const rows = [["submission", ...graded.map((lab) => `lab ${lab.number}`), "total", "notes"]];
  for (const grade of grades) {
    const cell = (lab: LabGrade): string => `${lab.earned}/${lab.points}${lab.notGraded === undefined ? "" : " (not graded)"}`;
    rows.push([grade.submission, ...grade.labs.map(cell), `${grade.earned}/${grade.points}`, notes(grade, true).join(" ")]);
  }
  printColumns(rows, [false, ...graded.map(() => true), true, false]);
}

/** What a reader of the grade should know besides the points (and, unless the table shows them, why a lab was not graded). */
function notes(grade: Grade, withLabs: boolean): string[] {
  const notes: string[] = [];
  for (const lab of withLabs ? grade.labs : []) if (lab.notGraded !== undefined) notes.push(`Lab ${lab.lab} was not graded: it ${lab.notGraded}`);
  if (grade.stoppedRuns > 0) {
    notes.push(
      `${grade.stoppedRuns} run${grade.stoppedRuns === 1 ? " was" : "s were"} stopped after ${RUN_WALL_LIMIT_MS / 1000} s of real time: not wrong answers, but runaway runs; the tests they belong to did not score.`,
    );
  }
  if (grade.missing.length > 0) notes.push(`Not in the submission (the skeleton's were used): ${grade.missing.join(", ")}.`);
  if (grade.ignored.length > 0) notes.push(`Changed, but not student files, so the official ones were used: ${grade.ignored.join(", ")}.`);
  return notes;
}

function printColumns(rows: string[][], alignRight: boolean[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (c === row.length - 1 ? 0 : row[c]!.length))));
  for (const row of rows) {
    console.log(row.map((cell, c) => (c === row.length - 1 ? cell : alignRight[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd());
  }
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

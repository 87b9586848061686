// The CSV export of Reports › Cancellations, written by export-to-csv (docs/architecture.md,
// Libraries): every text cell quoted with its quotes doubled, so commas and line breaks in a
// comment stay in their cell, and a cell that starts with = + - @ (or a tab or carriage
// return) gets a leading ' so a spreadsheet shows it rather than running it as a formula.
// Built in the browser from the replica's rows, so it works offline.
import { asString, download, generateCsv, mkConfig } from 'export-to-csv';
import { type CancellationRow, csvColumns, csvFileName, csvRows } from './cancellation-report.ts';

function config(timeZone: string, from: string, to: string) {
  return mkConfig({
    filename: csvFileName(from, to),
    columnHeaders: [...csvColumns(timeZone)],
    escapeFormulas: true,
    // The byte-order mark tells Excel the file is UTF-8 (names and comments in any script).
    useBom: true,
  });
}

export interface CsvExport {
  readonly rows: readonly CancellationRow[];
  readonly timeZone: string;
  /** The range's calendar dates, for the file's name. */
  readonly from: string;
  readonly to: string;
}

/** The file's text, byte-order mark first. */
export function cancellationCsv(e: CsvExport): string {
  return asString(generateCsv(config(e.timeZone, e.from, e.to))(csvRows(e.rows, e.timeZone)));
}

/** Saves the file as a download ("cancellations-2026-05-01-to-2026-05-30.csv"), from a Blob. */
export function downloadCancellationCsv(e: CsvExport): void {
  const settings = config(e.timeZone, e.from, e.to);
  download(settings)(generateCsv(settings)(csvRows(e.rows, e.timeZone)));
}

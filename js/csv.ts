// kintone-seek/csv: records as the CSV that `cli-kintone record export` writes, streamed
// page by page, and the exports built on it (a text stream, a file download in a page).
//
// The format, as cli-kintone 1.19 writes it (learnt from its source, written anew here):
// - columns: the supported fields, in the form layout's order (`fields` instead: in the
//   order given); a table is its own column (holding the row id) followed by its fields in
//   the table's layout order; a leading `*` column when any table is exported;
// - one line per table row (the rows of every table, one table after the other), the
//   record's other fields repeated on each, `*` on the record's first line; a record with
//   no row at all is one line;
// - check boxes, multi-selects, files (their names) and user, organization and group
//   selections: the values joined by "\n"; creator and modifier: the user's code;
// - every non-empty value quoted (`"` doubled), except `*` and a value holding a line
//   terminator other than "\n" but no `"`, `,` or "\n" (csv-stringify's `quoted_match`
//   `/^(?!\*$).+$/`, whose `.` stops at line terminators); empty values bare; "\n" after
//   every line, the header's included.
//
// This module holds no wasm: the writer is plain TypeScript, and the reads come from the
// package's main entry ("./index.js": left external in dist/csv.js, so that it shares the
// main entry's wasm instance; bundled with the rest in the single file, whose entry,
// js/iife.ts, exports this module's exports too).
import { currentView, iteratePages, kintoneTransport, KintoneApiError, KintoneSeekError } from "./index.js";
import type { FetchOptions, KintoneRecord, Progress, Transport } from "./types.js";

/** A field as `/k/v1/app/form/fields.json` describes it (only what the CSV needs). */
export interface FormFieldProperty {
  type: string;
  code: string;
  /** The fields of a SUBTABLE. */
  fields?: Record<string, FormFieldProperty>;
}

/** The answer of `/k/v1/app/form/fields.json`. */
export interface FormFields {
  properties: Record<string, FormFieldProperty>;
}

/** One element of `/k/v1/app/form/layout.json`: a row, a table or a group. */
export interface FormLayoutRow {
  type: string;
  code?: string;
  fields?: { type: string; code?: string }[];
  layout?: FormLayoutRow[];
}

/** The answer of `/k/v1/app/form/layout.json`. */
export interface FormLayout {
  layout: FormLayoutRow[];
}

/** One exported field: a field of the record, or a table with its exported fields. */
export interface CsvField {
  code: string;
  type: string;
  /** A table's fields, in their column order. */
  fields?: { code: string; type: string }[];
}

/** What the CSV holds, in column order: built once per export by {@link csvSchema}. */
export interface CsvSchema {
  /** The record's fields in column order (tables with their own fields). */
  fields: CsvField[];
  /** The header's cells: `*` first when a table is exported, then the field codes. */
  columns: string[];
  /** The codes a read must ask for (`fields` of the read): the top-level codes. */
  readFields: string[];
}

/** Types that cli-kintone exports; any other (STATUS, CATEGORY, REFERENCE_TABLE, GROUP, ...) is left out. */
const EXPORTED_TYPES = new Set([
  "RECORD_NUMBER", "SINGLE_LINE_TEXT", "RADIO_BUTTON", "MULTI_LINE_TEXT", "NUMBER", "RICH_TEXT", "LINK",
  "DROP_DOWN", "CALC", "CREATOR", "MODIFIER", "UPDATED_TIME", "CREATED_TIME", "DATETIME", "DATE", "TIME",
  "MULTI_SELECT", "CHECK_BOX", "FILE", "SUBTABLE", "USER_SELECT", "ORGANIZATION_SELECT", "GROUP_SELECT",
]);
/** The record-wide types cannot be inside a table. */
const RECORD_ONLY_TYPES = new Set(["RECORD_NUMBER", "CREATOR", "MODIFIER", "UPDATED_TIME", "CREATED_TIME", "SUBTABLE"]);
/**
 * Where a system field that the layout does not place goes: the record number first,
 * the others after every placed field, in this order.
 */
const UNPLACED_SYSTEM_ORDER = ["CREATOR", "CREATED_TIME", "MODIFIER", "UPDATED_TIME"];

const PRIMARY_MARK = "*";

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

function invalid(message: string): KintoneSeekError {
  return new KintoneSeekError("INVALID_OPTION", message);
}

/** Every field code the layout places, in reading order (groups opened, tables with their fields). */
function layoutOrder(rows: readonly FormLayoutRow[], into: string[] = []): string[] {
  for (const row of rows) {
    if (row.type === "GROUP") {
      layoutOrder(row.layout ?? [], into);
      continue;
    }
    if (row.type === "SUBTABLE" && row.code !== undefined) into.push(row.code);
    if (row.type !== "ROW" && row.type !== "SUBTABLE") continue;
    for (const element of row.fields ?? []) {
      if (element.code !== undefined && element.type !== "LABEL" && element.type !== "SPACER" && element.type !== "HR") {
        into.push(element.code);
      }
    }
  }
  return into;
}

/** A stable sort by a numeric rank (Array.prototype.sort is stable since ES2019). */
function sortByRank<T>(items: T[], rank: (item: T) => number): T[] {
  const ranked = items.map((item) => ({ item, rank: rank(item) }));
  ranked.sort((a, b) => a.rank - b.rank);
  return ranked.map(({ item }) => item);
}

/** A table's exported fields, in the order of the table in the layout (the form's order if absent). */
function tableFields(table: FormFieldProperty, layout: FormLayout): { code: string; type: string }[] {
  const inside = Object.values(table.fields ?? {}).filter((f) => EXPORTED_TYPES.has(f.type) && !RECORD_ONLY_TYPES.has(f.type));
  const placed = layout.layout.find((row) => row.type === "SUBTABLE" && row.code === table.code);
  const fields = placed ? sortByRank(inside, (f) => {
    const at = (placed.fields ?? []).findIndex((element) => element.code === f.code);
    return at === -1 ? Number.MAX_SAFE_INTEGER : at;
  }) : inside;
  return fields.map(({ code, type }) => ({ code, type }));
}

/**
 * The CSV's columns for an app, from its form's fields and layout, as cli-kintone builds
 * them: every exported field in layout order (a record number that the layout does not
 * place first; creator, created time, modifier and updated time that it does not place
 * last, in that order), or with `fields` exactly those, in the order given (a table
 * brings all its fields). Throws `INVALID_OPTION` for a code of `fields` that is not a
 * field of the app, is a field inside a table, or has a type the CSV does not hold.
 */
export function csvSchema(form: FormFields, layout: FormLayout, fields?: readonly string[]): CsvSchema {
  const properties = form.properties;
  let chosen: FormFieldProperty[];
  if (fields !== undefined) {
    if (!Array.isArray(fields) || fields.length === 0) throw invalid("`fields` must be a non-empty array of field codes, e.g. [\"件名\", \"明細\"].");
    for (const code of fields) {
      if (typeof code !== "string" || code === "") throw invalid("`fields` must hold field codes (non-empty strings).");
      const table = Object.values(properties).find((p) => p.type === "SUBTABLE" && p.fields !== undefined && hasOwn(p.fields, code));
      if (table) throw invalid(`\`fields\`: "${code}" is a field of the table "${table.code}": give the table ("${table.code}") instead, which brings all its fields.`);
      if (!hasOwn(properties, code)) throw invalid(`\`fields\`: the app has no field "${code}".`);
      if (!EXPORTED_TYPES.has(properties[code].type)) throw invalid(`\`fields\`: "${code}" is a ${properties[code].type} field, which a CSV export does not hold.`);
    }
    chosen = sortByRank(Object.values(properties).filter((p) => EXPORTED_TYPES.has(p.type) && fields.includes(p.code)), (p) => fields.indexOf(p.code));
  } else {
    const placed = layoutOrder(layout.layout);
    const at = new Map<string, number>();
    placed.forEach((code, i) => {
      if (!at.has(code)) at.set(code, i);
    });
    chosen = sortByRank(Object.values(properties).filter((p) => EXPORTED_TYPES.has(p.type)), (p) => {
      const position = at.get(p.code);
      if (position !== undefined) return position;
      if (p.type === "RECORD_NUMBER") return -1;
      return placed.length + 1 + UNPLACED_SYSTEM_ORDER.indexOf(p.type);
    });
  }
  const schemaFields: CsvField[] = chosen.map((p) =>
    p.type === "SUBTABLE" ? { code: p.code, type: p.type, fields: tableFields(p, layout) } : { code: p.code, type: p.type },
  );
  const columns: string[] = schemaFields.some((f) => f.type === "SUBTABLE") ? [PRIMARY_MARK] : [];
  for (const field of schemaFields) {
    columns.push(field.code);
    for (const inner of field.fields ?? []) columns.push(inner.code);
  }
  return { fields: schemaFields, columns, readFields: schemaFields.map((f) => f.code) };
}

/** One CSV cell, quoted as cli-kintone's csv-stringify options quote it. */
export function csvCell(value: string): string {
  if (value === "") return "";
  const quoted = /[",\n]/.test(value) || (value !== PRIMARY_MARK && !/[\r\u2028\u2029]/.test(value));
  return quoted ? `"${value.replace(/"/g, '""')}"` : value;
}

type FieldValue = { type?: string; value?: unknown } | undefined;

/** A field's text in the CSV, before quoting. */
function fieldText(field: FieldValue): string {
  if (field === undefined || field === null) return "";
  const value = field.value as any;
  switch (field.type) {
    case "CREATOR":
    case "MODIFIER":
      return text(value?.code);
    case "CHECK_BOX":
    case "MULTI_SELECT":
      return Array.isArray(value) ? value.map(text).join("\n") : "";
    case "FILE":
      return Array.isArray(value) ? value.map((file) => text(file?.name)).join("\n") : "";
    case "USER_SELECT":
    case "ORGANIZATION_SELECT":
    case "GROUP_SELECT":
      return Array.isArray(value) ? value.map((entity) => text(entity?.code)).join("\n") : "";
    case "SUBTABLE":
      return "";
    default:
      return text(value);
  }
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : typeof value === "object" ? "" : String(value);
}

/**
 * Turns records into CSV lines for one {@link CsvSchema}. It keeps nothing between calls
 * but the schema, so an export's memory does not grow with its records.
 */
export class CsvWriter {
  readonly schema: CsvSchema;
  private readonly marked: boolean;
  private readonly plain: string[] = [];
  private readonly tables: { code: string; fields: string[]; column: number }[] = [];
  private readonly width: number;

  constructor(schema: CsvSchema) {
    this.schema = schema;
    this.marked = schema.columns[0] === PRIMARY_MARK && schema.fields.some((f) => f.type === "SUBTABLE");
    let column = this.marked ? 1 : 0;
    for (const field of schema.fields) {
      if (field.type === "SUBTABLE") {
        const fields = (field.fields ?? []).map((f) => f.code);
        this.tables.push({ code: field.code, fields, column });
        column += 1 + fields.length;
      } else {
        this.plain.push(field.code);
        column += 1;
      }
    }
    this.width = column;
  }

  /** The header line (with its "\n"). */
  header(): string {
    return this.schema.columns.map(csvCell).join(",") + "\n";
  }

  /** The CSV lines of these records (each line with its "\n"). */
  write(records: readonly KintoneRecord[]): string {
    let out = "";
    for (const record of records) out += this.record(record);
    return out;
  }

  private record(record: KintoneRecord): string {
    const cells: string[] = new Array(this.width).fill("");
    let column = this.marked ? 1 : 0;
    const missing = (code: string) => new KintoneSeekError("PROTOCOL", `The record is missing the field "${code}" (its $id: ${record.$id?.value ?? "not asked for"}); it was asked for.`);
    for (const field of this.schema.fields) {
      if (field.type === "SUBTABLE") {
        column += 1 + (field.fields?.length ?? 0);
        continue;
      }
      if (!(field.code in record)) throw missing(field.code);
      cells[column++] = csvCell(fieldText(record[field.code]));
    }
    let out = "";
    let first = true;
    for (const table of this.tables) {
      if (!(table.code in record)) throw missing(table.code);
      const rows = record[table.code].value;
      if (!Array.isArray(rows)) continue;
      for (const row of rows as { id?: unknown; value?: Record<string, FieldValue> }[]) {
        const line = cells.slice();
        if (first) line[0] = PRIMARY_MARK;
        first = false;
        line[table.column] = csvCell(text(row?.id));
        const values = row?.value ?? {};
        table.fields.forEach((code, i) => {
          if (code in values) line[table.column + 1 + i] = csvCell(fieldText(values[code]));
        });
        out += line.join(",") + "\n";
      }
    }
    if (first) {
      if (this.marked) cells[0] = PRIMARY_MARK;
      out = cells.join(",") + "\n";
    }
    return out;
  }
}

/** The form's fields and layout of `app`, through `transport`. */
export async function fetchForm(
  transport: Transport,
  app: number | string,
  options: { guestSpaceId?: number | string | null; signal?: AbortSignal } = {},
): Promise<{ fields: FormFields; layout: FormLayout }> {
  const guest = options.guestSpaceId;
  const path = (name: string) => (guest === undefined || guest === null ? `/k/v1/app/form/${name}.json` : `/k/guest/${guest}/v1/app/form/${name}.json`);
  const context = options.signal ? { signal: options.signal } : undefined;
  const get = (name: string) => transport(path(name), "GET", { app: String(app) }, context).catch((rejection) => {
    throw asError(rejection);
  });
  const [fields, layout] = await Promise.all([get("fields"), get("layout")]);
  if (typeof (fields as FormFields)?.properties !== "object" || !Array.isArray((layout as FormLayout)?.layout)) {
    throw new KintoneSeekError("PROTOCOL", "kintone answered the form's fields or layout without `properties` or `layout`.");
  }
  return { fields: fields as FormFields, layout: layout as FormLayout };
}

function asError(rejection: unknown): Error {
  if (rejection instanceof Error) return rejection;
  const body = rejection as { code?: unknown; message?: unknown } | null;
  if (typeof body === "object" && body !== null && typeof body.code === "string" && typeof body.message === "string") {
    return new KintoneApiError(body as { code: string; message: string });
  }
  return new KintoneSeekError("PROTOCOL", `kintone answered with something that is not a kintone error: ${String(rejection).slice(0, 200)}`, { cause: rejection });
}

/** Inside kintone, the guest space of the page (as the reads find it); none elsewhere. */
function pageGuestSpace(): string | undefined {
  try {
    const url: unknown = (globalThis as any).kintone?.api?.url?.("/k/v1/records.json", true);
    return typeof url === "string" ? /\/k\/guest\/([1-9][0-9]*)\//.exec(url)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Options of {@link exportCsv}: a read's options; `fields` chooses the columns, in its order. */
export type CsvExportOptions = FetchOptions;

/**
 * The CSV of a read, as text chunks: the header, then the lines of each page as it
 * arrives. Reads with `iteratePages` (the same methods, cursors and cleanup; `signal` and
 * `onProgress` are the read's), after its first page asks for the form's fields and
 * layout through the same transport (so options are checked before any request, and the
 * form's requests run beside the read's next page). Breaking out of the loop ends the read.
 */
export async function* exportCsv(options: CsvExportOptions): AsyncIterableIterator<string> {
  if (typeof options !== "object" || options === null) throw invalid("Options must be an object, e.g. { app: 12 }.");
  const { fields } = options;
  if (fields !== undefined) csvFieldsCheck(fields);
  const read = iteratePages(options as FetchOptions) as AsyncIterableIterator<KintoneRecord[]>;
  try {
    const first = await read.next();
    const transport = options.transport ?? kintoneTransport();
    const guestSpaceId = options.guestSpaceId !== undefined ? options.guestSpaceId : options.transport === undefined ? pageGuestSpace() : undefined;
    const form = await fetchForm(transport, options.app, { guestSpaceId, signal: options.signal });
    const writer = new CsvWriter(csvSchema(form.fields, form.layout, fields));
    yield writer.header();
    if (first.done) return;
    yield writer.write(first.value);
    for (let next = await read.next(); !next.done; next = await read.next()) yield writer.write(next.value);
  } finally {
    await read.return?.();
  }
}

function csvFieldsCheck(fields: unknown): void {
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((code) => typeof code === "string" && code !== "")) {
    throw invalid("`fields` must be a non-empty array of field codes, e.g. [\"件名\", \"明細\"].");
  }
}

/** Options of {@link downloadCsv}: a read's options (all optional) and the file's name. */
export interface DownloadCsvOptions extends Partial<FetchOptions> {
  /** The file's name. Default `app-{app}.csv`. */
  fileName?: string;
}

/** What {@link downloadCsv} saved. */
export interface DownloadCsvResult {
  fileName: string;
  /** Records exported. */
  records: number;
  /** Bytes of the file, its BOM included. */
  bytes: number;
}

/** Text kept as strings before it goes into a Blob (which browsers may keep out of the JS heap, or on disk). */
const BLOB_PART_CHARS = 1 << 22;

/**
 * Exports a read to a CSV file that the browser downloads: UTF-8 with a BOM (so that Excel
 * reads Japanese text), cli-kintone's format. Without `app`, the list on screen
 * (`currentView()`'s app, condition and order; `query` replaces the last two); options
 * given override them. `signal` aborts it (nothing is downloaded, no cursor stays open);
 * `onProgress` reports as for the reads. Resolves once the download was handed to the browser.
 */
export async function downloadCsv(options: DownloadCsvOptions = {}): Promise<DownloadCsvResult> {
  if (typeof options !== "object" || options === null) throw invalid("Options must be an object, e.g. { fields: [\"件名\"] }.");
  const { fileName, ...read } = options;
  if (fileName !== undefined && (typeof fileName !== "string" || fileName === "")) throw invalid("`fileName` must be a non-empty string, e.g. \"deals.csv\".");
  let readOptions: FetchOptions;
  if (read.app === undefined) {
    const view = currentView();
    readOptions = (read.query !== undefined ? { app: view.app, ...read } : { ...view, ...read }) as FetchOptions;
  } else {
    readOptions = read as FetchOptions;
  }
  const onProgress = readOptions.onProgress;
  let records = 0;
  const parts: BlobPart[] = [];
  let pending: string[] = ["\uFEFF"];
  let pendingChars = 1;
  let bytes = 0;
  const flush = () => {
    const blob = new Blob(pending, { type: "text/csv" });
    bytes += blob.size;
    parts.push(blob);
    pending = [];
    pendingChars = 0;
  };
  for await (const chunk of exportCsv({ ...readOptions, onProgress: (p: Progress) => {
    records = p.fetched;
    onProgress?.(p);
  } })) {
    pending.push(chunk);
    pendingChars += chunk.length;
    if (pendingChars >= BLOB_PART_CHARS) flush();
  }
  flush();
  const file = new Blob(parts, { type: "text/csv;charset=utf-8" });
  const name = fileName ?? `app-${readOptions.app}.csv`;
  const url = URL.createObjectURL(file);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.style.display = "none";
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has its own reference to the file once started; a minute is ample.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
  return { fileName: name, records, bytes };
}

// `getAllRecords` of an order kintone serves only with a cursor (text past offset's
// 10,000 records) reads by `$id` instead, and sorts here as kintone would
// (docs/KINTONE.md, "Sorting and comparing"). The result is trusted only when it starts
// with kintone's own first page of the order and ends with kintone's own last records.
import type { KintoneRecord } from "./types.js";

/** One key as `SeekReader.localOrder()` describes it. */
export interface LocalKey {
  field: string;
  descending: boolean;
  kind: "text" | "decimal" | "rank" | "id";
  /** A drop-down's or radio button's options, in their order (`kind: "rank"`). */
  options?: string[];
}

/** What `SeekReader.localOrder()` answers once a read served by a local sort has ended. */
export interface LocalOrder {
  /** The keys, `$id` last. */
  keys: LocalKey[];
  /** Fields the library added to the caller's `fields` to sort on. */
  added: string[];
  /** The ids of kintone's first page of the order, in order. */
  first: number[];
  /** The ids of the last records of kintone's order, in order. */
  last: number[];
}

/** A key's value of one record, made comparable with `<`: a string or a number. */
type SortValue = string | number;

const SURROGATE_OR_ABOVE = /[\uD800-\uFFFF]/;
const SURROGATE_OR_ABOVE_ALL = /[\uD800-\uFFFF]/g;

/**
 * Text that `<` orders by code point. `<` compares UTF-16 code units, which puts an
 * astral character (a surrogate pair, D800–DFFF) before U+E000–U+FFFF; moving the
 * surrogates above E000–FFFF (and those down) fixes that. Most values have no unit at or
 * above D800 and are kept as they are.
 */
function codePointText(text: string): string {
  if (!SURROGATE_OR_ABOVE.test(text)) return text;
  return text.replace(SURROGATE_OR_ABOVE_ALL, (unit) => {
    const code = unit.charCodeAt(0);
    return String.fromCharCode(code >= 0xe000 ? code - 0x800 : code + 0x2000);
  });
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const COMPLEMENT = "9876543210";

/**
 * A decimal number as text that `<` orders by value, exactly (no float: kintone keeps
 * more digits than a double). Empty is `""`, below everything; then negatives (longer
 * integer part first, digits complemented, `:` after them so that a shorter magnitude
 * sorts above its extensions), zero, positives (shorter integer part first). `undefined`
 * when the text is no decimal number.
 */
function decimalText(text: string): string | undefined {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === "" && !match[3])) return text.trim() === "" ? "" : undefined;
  const integer = match[2].replace(/^0+/, "");
  const digits = integer + (match[3] ?? "").replace(/0+$/, "");
  if (digits === "") return "\u0002";
  if (match[1] !== "-") return "\u0003" + String.fromCharCode(integer.length) + digits;
  let complemented = "";
  for (let index = 0; index < digits.length; index += 1) complemented += COMPLEMENT[digits.charCodeAt(index) - 48];
  return "\u0001" + String.fromCharCode(0xffff - integer.length) + complemented + ":";
}

function rawValue(record: KintoneRecord, field: string): unknown {
  return record[field]?.value;
}

/** How a key's values become `SortValue`s; a value that cannot becomes `undefined`. */
function converter(key: LocalKey): ((text: string) => SortValue | undefined) | undefined {
  switch (key.kind) {
    case "text":
      return codePointText;
    case "decimal":
      return decimalText;
    case "rank": {
      // Unselected, or an option removed from the form since: below every option.
      const ranks = new Map((key.options ?? []).map((option, rank) => [option, rank]));
      return (text) => ranks.get(text) ?? -1;
    }
    case "id":
      return (text) => {
        const id = Number(text);
        return Number.isSafeInteger(id) ? id : undefined;
      };
    default:
      return undefined;
  }
}

/** Each record's value of `key`, or `undefined` when one cannot be compared as kintone would. */
function keyValues(records: KintoneRecord[], key: LocalKey): SortValue[] | undefined {
  const convert = converter(key);
  if (!convert) return undefined;
  const values: SortValue[] = new Array(records.length);
  for (let index = 0; index < records.length; index += 1) {
    const value = rawValue(records[index], key.field);
    const converted = convert(typeof value === "string" ? value : "");
    if (converted === undefined) return undefined;
    values[index] = converted;
  }
  return values;
}

/**
 * The records in the order of `keys`, or `undefined` when a value does not fit its
 * key. Each value is converted once, so that each of the n log n comparisons is a `<`.
 */
export function sortRecords(records: KintoneRecord[], keys: LocalKey[]): KintoneRecord[] | undefined {
  const columns: SortValue[][] = [];
  for (const key of keys) {
    const values = keyValues(records, key);
    if (!values) return undefined;
    columns.push(values);
  }
  const signs = keys.map((key) => (key.descending ? -1 : 1));
  const positions = Array.from(records, (_, index) => index);
  positions.sort((a, b) => {
    for (let key = 0; key < columns.length; key += 1) {
      const x = columns[key][a];
      const y = columns[key][b];
      if (x !== y) return x < y ? -signs[key] : signs[key];
    }
    return 0;
  });
  return positions.map((index) => records[index]);
}

/** Whether the sorted records start with kintone's first page and end with its last records. */
export function matchesEnds(sorted: KintoneRecord[], first: number[], last: number[]): boolean {
  if (sorted.length < first.length || sorted.length < last.length) return false;
  const id = (index: number) => Number(rawValue(sorted[index], "$id"));
  const offset = sorted.length - last.length;
  return first.every((expected, index) => id(index) === expected) && last.every((expected, index) => id(offset + index) === expected);
}

/**
 * The records in kintone's order without the fields the library added, or `undefined`
 * when the local order cannot be trusted (then only kintone itself can give the order).
 */
export function sortLocally(records: KintoneRecord[], order: LocalOrder): KintoneRecord[] | undefined {
  const sorted = sortRecords(records, order.keys);
  if (!sorted || !matchesEnds(sorted, order.first, order.last)) return undefined;
  for (const record of sorted) {
    for (const field of order.added) delete record[field];
  }
  return sorted;
}

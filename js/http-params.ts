// Query-string encoding of kintone REST parameters, the way kintone reads them on a GET.
// Kept apart from fetch-transport.ts so that the rules about what a query string can
// carry sit in one place.

/**
 * The query string form of a `fields` array indexes its entries `fields[0]` to `fields[99]`:
 * kintone ignores higher indexes, so a longer array has to travel in a JSON body.
 */
export const MAX_QUERY_ARRAY = 100;

// A scalar as kintone takes it in a query string, or undefined when it has no faithful
// text form (null, NaN, objects): such a parameter must travel as JSON instead.
function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Encodes `params` as a query string without the leading `?`: `key=value` for scalars
 * (booleans `true`/`false`, numbers in decimal), `key[0]=a&key[1]=b` for arrays, keys
 * and values through `encodeURIComponent`, `undefined` values skipped.
 *
 * @returns the query string (`""` when nothing is left), or `undefined` when some
 * parameter cannot be expressed in one (a nested object, `null`, an empty array or one
 * with more than {@link MAX_QUERY_ARRAY} entries): the caller then sends the params as JSON.
 */
export function toQueryString(params: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = encodeURIComponent(key);
    if (Array.isArray(value)) {
      // An empty array has no query string form at all (it would read as "absent"),
      // and kintone may treat `fields: []` differently from no `fields`: keep it as JSON.
      if (value.length === 0 || value.length > MAX_QUERY_ARRAY) return undefined;
      for (let i = 0; i < value.length; i++) {
        const text = scalar(value[i]);
        if (text === undefined) return undefined;
        // Brackets stay literal: that is the form kintone documents (`fields[0]=...`).
        parts.push(`${name}[${i}]=${encodeURIComponent(text)}`);
      }
    } else {
      const text = scalar(value);
      if (text === undefined) return undefined;
      parts.push(`${name}=${encodeURIComponent(text)}`);
    }
  }
  return parts.join("&");
}

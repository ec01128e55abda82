// An in-memory stand-in for kintone's records endpoint, shaped like `kintone.api`
// (resolves with the JSON answer, rejects with kintone's plain error body). It serves
// the queries a seek read sends and refuses anything else, so a test fails when the
// library sends a query of another shape. Used by the Node tests and loaded as a module
// by the browser test page.

/** Builds `n` records with ids from `firstId` upward (every `step`). */
export function makeRecords(n, { firstId = 1, step = 1 } = {}) {
  const records = [];
  for (let i = 0; i < n; i++) {
    const id = firstId + i * step;
    records.push({
      $id: { type: "__ID__", value: String(id) },
      $revision: { type: "__REVISION__", value: "1" },
      title: { type: "SINGLE_LINE_TEXT", value: `record ${id}` },
      amount: { type: "NUMBER", value: String(id % 97) },
    });
  }
  return records;
}

// `(COND) and $id > 5 [and $id <= 9] order by $id asc limit 500`, every part but
// `order by` optional (the far bound is an id window's).
const SEEK_QUERY =
  /^(?:\((?<cond>[\s\S]*)\) )?(?<and>and )?(?:\$id (?<op>[<>]) (?<last>\d+) (?:and \$id (?<farOp><=|>=) (?<until>\d+) )?)?order by \$id (?<dir>asc|desc) limit (?<limit>\d+)$/;

// A first page (or a probe) in an order on fields: `(COND) order by k1 asc, $id desc limit N`
// (the library ends such an order in `$id desc`, a probe of its far end in `$id asc`).
const ORDERED_QUERY = /^(?:\((?<cond>[\s\S]*)\) )?order by (?<keys>[^()"]+?) limit (?<limit>\d+)$/;

/** Compares two records by a field as kintone sorts it: NUMBER and `$id` by value, empty NUMBER first; text by code point. */
function compareBy(field, a, b) {
  const x = a[field]?.value ?? "";
  const y = b[field]?.value ?? "";
  if (field === "$id" || a[field]?.type === "NUMBER") {
    if (x === "" || y === "") return (x === "" ? 0 : 1) - (y === "" ? 0 : 1);
    return Number(x) - Number(y);
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function kintoneError(code, message) {
  return { code, id: `fake-${Math.random().toString(36).slice(2, 10)}`, message };
}

/**
 * @param records the app's records (ids ascending or not; the fake sorts as asked)
 * @param options.conditions user condition text -> predicate(record), the conditions the fake understands
 * @param options.guestSpaceId serve the guest path `/k/guest/{id}/v1/...` instead of `/k/v1/...`
 * @param options.app the app id it answers for (number); any other answers GAIA_AP01
 * @param options.fail (request, index) -> error body or undefined: answer that request with an error
 * @param options.answer (request, answer) -> answer: rewrite an answer (to break the protocol)
 * @param options.form the form's `properties` (field code -> { type, code, required }): serves
 *   `app/form/fields.json`, and first pages in an order on fields (keyset pages on fields are refused)
 */
export function createFakeKintone(records, options = {}) {
  const { conditions = {}, guestSpaceId, app = 1, fail, answer } = options;
  const requests = [];
  const prefix = guestSpaceId === undefined ? "/k/v1/" : `/k/guest/${guestSpaceId}/v1/`;

  function serve(path, method, params) {
    if (path === `${prefix}app/form/fields.json` && method === "GET" && options.form) {
      return { properties: options.form, revision: "1" };
    }
    if (path !== `${prefix}records.json` || method !== "GET") {
      throw kintoneError("CB_NO02", `fake kintone does not serve ${method} ${path}`);
    }
    if (Number(params.app) !== app) throw kintoneError("GAIA_AP01", "指定したアプリ（id: " + params.app + "）が見つかりません。");
    const ordered = ORDERED_QUERY.exec(params.query ?? "");
    if (ordered && !SEEK_QUERY.test(params.query)) return serveOrdered(ordered.groups, params);
    const match = SEEK_QUERY.exec(params.query ?? "");
    // `and` joins the condition and the id bound, and appears only when both do.
    const joined = match && (match.groups.and !== undefined) === (match.groups.cond !== undefined && match.groups.op !== undefined);
    if (!joined) throw kintoneError("CB_VA01", `fake kintone does not understand the query: ${params.query}`);
    const { cond, op, last, farOp, until, dir, limit } = match.groups;
    let predicate = () => true;
    if (cond !== undefined) {
      predicate = conditions[cond];
      if (!predicate) throw kintoneError("GAIA_IQ11", `fake kintone has no predicate for condition: ${cond}`);
    }
    if (Number(limit) > 500) throw kintoneError("GAIA_QU01", "limit must be 500 or less");
    const idOf = (r) => Number(r.$id.value);
    const matching = records.filter(predicate);
    const sorted = matching.slice().sort((a, b) => (dir === "asc" ? idOf(a) - idOf(b) : idOf(b) - idOf(a)));
    const after = sorted
      .filter((r) => last === undefined || (op === ">" ? idOf(r) > Number(last) : idOf(r) < Number(last)))
      .filter((r) => until === undefined || (farOp === "<=" ? idOf(r) <= Number(until) : idOf(r) >= Number(until)));
    let page = after.slice(0, Number(limit));
    if (Array.isArray(params.fields)) {
      page = page.map((r) => Object.fromEntries(params.fields.filter((f) => f in r).map((f) => [f, r[f]])));
    } else {
      page = page.map((r) => ({ ...r }));
    }
    return { records: page, totalCount: params.totalCount ? String(matching.length) : null };
  }

  function project(page, params) {
    if (!Array.isArray(params.fields)) return page.map((r) => ({ ...r }));
    return page.map((r) => Object.fromEntries(params.fields.filter((f) => f in r).map((f) => [f, r[f]])));
  }

  function serveOrdered({ cond, keys, limit }, params) {
    let predicate = () => true;
    if (cond !== undefined) {
      predicate = conditions[cond];
      if (!predicate) throw kintoneError("GAIA_IQ11", `fake kintone has no predicate for condition: ${cond}`);
    }
    const order = keys.split(", ").map((key) => {
      const [field, dir] = key.split(" ");
      if (!["asc", "desc"].includes(dir) || (field !== "$id" && !records.some((r) => field in r))) {
        throw kintoneError("CB_VA01", `fake kintone does not understand the order: ${keys}`);
      }
      return { field, sign: dir === "asc" ? 1 : -1 };
    });
    const matching = records.filter(predicate);
    const sorted = matching.slice().sort((a, b) => {
      for (const { field, sign } of order) {
        const c = compareBy(field, a, b);
        if (c !== 0) return sign * c;
      }
      // kintone returns records whose keys tie in `$id desc`.
      return compareBy("$id", b, a);
    });
    const page = project(sorted.slice(0, Number(limit)), params);
    return { records: page, totalCount: params.totalCount ? String(matching.length) : null };
  }

  async function api(path, method, params) {
    const request = { path, method, params: structuredClone(params) };
    const index = requests.push(request) - 1;
    await Promise.resolve(); // answer asynchronously, as kintone.api does
    const error = fail?.(request, index);
    if (error) throw error;
    const result = serve(path, method, params);
    return answer ? answer(request, result) : result;
  }

  return { api, requests };
}

// The kintone page as the library sees it: its list view and its `kintone.api`. Plain
// TypeScript, no wasm: both are synchronous, cheap on first use, and work on a page
// that forbids WebAssembly.
import { KintoneSeekError } from "./errors.js";
import type { Transport } from "./types.js";

type Getters = { getId(): unknown; getQuery(): unknown; getQueryCondition(): unknown };

/** The page's `kintone`, if it has `kintone.api` (a function of any realm: `typeof`, not `instanceof`). */
function kintonePage(what: string): { api: Function; app?: Getters; mobile?: { app?: Getters } } {
  const kintone = (globalThis as { kintone?: any }).kintone;
  if (typeof kintone !== "object" || kintone === null || typeof kintone.api !== "function") {
    throw new KintoneSeekError("NO_TRANSPORT", `${what} needs a kintone page (\`kintone.api\` is not defined here).`);
  }
  return kintone;
}

/** The app id, whole query and condition of a list page, when these getters give a list
 * (a missing namespace throws, a page that is not a list answers `null`). */
function listView(namespace: () => Getters | undefined): [number, string, unknown] | undefined {
  try {
    const list = namespace()!;
    const app = list.getId();
    const query = typeof app === "number" && list.getQuery();
    if (typeof query !== "string") return;
    let condition: unknown;
    try {
      condition = list.getQueryCondition();
    } catch {}
    return [app as number, query, condition];
  } catch {}
}

// kintone's query language (src/query/lexer.rs). A bare word is a field code or a
// keyword: no ASCII punctuation but `_` and `$`, no whitespace or control character.
const WORD = /^[^\s\p{Cc}!-#%-/:-@[-^`{-~]+$/u;
// What matters to find the first clause: strings, words, parentheses.
const TOKENS = /"(?:[^"\\]|\\[^])*"?|[^\s\p{Cc}!-#%-/:-@[-^`{-~]+|\S/gu;
// Only these separate words; `trim()` would take others too.
const EDGE_SEPARATORS = /^[ \t\n\r\u3000]+|[ \t\n\r\u3000]+$/g;
const TAIL_WORDS = /,|[^, \t\n\r\u3000]+/g;

/** Where the first clause (`order by`, `limit`, `offset`) outside strings and parentheses begins. */
function firstClause(query: string): number {
  const tokens = [...query.matchAll(TOKENS)];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i][0].toLowerCase();
    depth += token === "(" ? 1 : token === ")" ? -1 : 0;
    if (!depth && (token === "limit" || token === "offset" || (token === "order" && tokens[i + 1]?.[0].toLowerCase() === "by"))) {
      return tokens[i].index!;
    }
  }
  return query.length;
}

/** The record list on screen: its app, condition and order (its `limit`/`offset` left out). */
export function currentView(): { app: number; condition: string; orderBy: string } {
  const kintone = kintonePage("currentView()");
  // A PC list page answers under `kintone.app`; a mobile one under `kintone.mobile.app`.
  const view = listView(() => kintone.app) ?? listView(() => kintone.mobile!.app);
  if (!view) {
    throw new KintoneSeekError(
      "INVALID_OPTION",
      "currentView() reads the record list on screen: call it on an app's record list page " +
        "(app.record.index.show, or mobile.app.record.index.show on mobile).",
    );
  }
  const [app, query, given] = view;
  // kintone's query is the condition, then `order by ... limit N offset M`: the clauses
  // follow `getQueryCondition()`, or, should the query not start with it (or a page have
  // no such getter), begin at the first clause outside strings and parentheses.
  const start =
    typeof given === "string" && query.startsWith(given) && /^[ \t\n\r\u3000]|^$/.test(query.slice(given.length))
      ? given.length
      : firstClause(query);
  const condition = typeof given === "string" ? given : query.slice(0, start).replace(EDGE_SEPARATORS, "");
  const words = query.slice(start).match(TAIL_WORDS) ?? [];
  let at = 0;
  const is = (keyword: string, ahead = 0) => words[at + ahead]?.toLowerCase() === keyword;
  const fail = (): never => {
    throw new KintoneSeekError(
      "INVALID_QUERY",
      `the list view's query does not parse (unexpected ${at < words.length ? `"${words[at]}"` : "end"} in its clauses): ${query}`,
    );
  };
  const keys: string[] = [];
  if (is("order") && is("by", 1)) {
    at += 2;
    for (;;) {
      const field = words[at++];
      // A field code, not a keyword: kintone's own parser says the same (src/query/parser.rs).
      if (!field || !WORD.test(field) || /^(asc|desc|limit|offset)$/i.test(field) || (/^order$/i.test(field) && is("by"))) {
        at--;
        fail();
      }
      keys.push(is("asc") || is("desc") ? `${field} ${words[at++].toLowerCase()}` : field);
      if (words[at] !== ",") break;
      at++;
    }
  }
  for (const clause of ["limit", "offset"]) {
    if (is(clause)) {
      at++;
      if (!/^\d+$/.test(words[at++] ?? "")) fail();
    }
  }
  if (at < words.length) fail();
  // With no `order by`, kintone sorts `$id desc`: say so, so the read keeps the view's order.
  return { app, condition, orderBy: keys.join(", ") || "$id desc" };
}

/** A transport that sends through the page's `kintone.api` (the default inside kintone). */
export function kintoneTransport(): Transport {
  kintonePage("kintoneTransport()");
  // `kintone.api` as the page has it at each call. A synchronous throw of it becomes a
  // rejection, as callers expect of a transport. The mark keeps a read through this
  // transport on the in-kintone defaults (src/bindings/view.rs, KINTONE_TRANSPORT_MARK).
  return Object.assign(
    (path: string, method: string, params: unknown) => {
      try {
        return Promise.resolve((globalThis as { kintone?: any }).kintone.api(path, method, params));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    { kintoneSeekTransport: "kintone" },
  ) as Transport;
}

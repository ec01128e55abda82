// The single file's global, as a TypeScript customization sees it. A customization
// writes `/// <reference types="kintone-seek/iife" />` (resolved in node_modules); inside
// this repository the package is only reachable by its own name through `exports`, which
// a type-only import follows to the same declaration file.
import type {} from "kintone-seek/iife";
import type { DownloadCsvResult, exportCsv } from "kintone-seek/csv";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectGlobal<A, B>(_equal: Equal<A, B>): void {}

export async function fromTheGlobal(): Promise<void> {
  const view = KintoneSeek.currentView();
  const records = await KintoneSeek.getAllRecords<kintone.types.SavedFields>({ ...view, fields: undefined });
  expectGlobal<typeof records, kintone.types.SavedFields[]>(true);
  expectGlobal<typeof window.KintoneSeek.iterateRecords, typeof KintoneSeek.iterateRecords>(true);
  // @ts-expect-error: the global has no such export
  KintoneSeek.getRecords;
}

// The CSV export is in the same single file: `KintoneSeek.downloadCsv()` in a page, with
// the types of "kintone-seek/csv".
export async function csvFromTheGlobal(): Promise<void> {
  const controller = new AbortController();
  const saved = await KintoneSeek.downloadCsv({
    fields: ["件名", "明細"],
    fileName: "deals.csv",
    signal: controller.signal,
    onProgress: (p) => console.log(p.fetched, p.total),
  });
  expectGlobal<typeof saved, DownloadCsvResult>(true);
  expectGlobal<typeof KintoneSeek.exportCsv, typeof exportCsv>(true);
  expectGlobal<typeof window.KintoneSeek.downloadCsv, typeof KintoneSeek.downloadCsv>(true);
  for await (const text of KintoneSeek.exportCsv({ app: 1, transport: KintoneSeek.kintoneTransport() })) text.length;
  // @ts-expect-error: `fileName` is a string
  KintoneSeek.downloadCsv({ fileName: 1 });
}

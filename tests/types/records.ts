// Type test of the typed reads, compiled by `tsc -p tests/types` in `npm test` against
// the built package (dist/types, through the package's own name). Each `Equal` check
// must hold, and each `@ts-expect-error` line must be an error: tsc fails otherwise
// ("Unused '@ts-expect-error' directive").
import {
  getAllRecords,
  iteratePages,
  iterateRecords,
  type FetchOptions,
  type KintoneRecord,
  type Transport,
} from "kintone-seek";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<A, B>(_equal: Equal<A, B>): void {}

type Saved = kintone.types.SavedFields;
declare const transport: Transport;

export async function typedReads(): Promise<void> {
  // No record type: today's loose records.
  const loose = await getAllRecords({ app: 1, transport });
  expectType<typeof loose, KintoneRecord[]>(true);
  loose[0]?.["どれでも"]?.value;

  // The record type of the app, as dts-gen writes it.
  const saved = await getAllRecords<Saved>({ app: 1, transport, orderBy: "金額 desc" });
  expectType<typeof saved, Saved[]>(true);
  const amount: string = saved[0]!.金額.value;
  const staff: { code: string; name: string }[] = saved[0]!.担当者.value;
  const lines: string[] = saved[0]!.明細.value.map((row) => row.value.品名.value);
  void [amount, staff, lines];
  // @ts-expect-error: no such field in the app
  saved[0]!.金額2;
  // @ts-expect-error: a NUMBER field's value is a string, as kintone sends it
  const wrong: number = saved[0]!.金額.value;
  void wrong;

  // `fields` with both type arguments: exactly those fields.
  const two = await getAllRecords<Saved, "件名" | "金額">({ app: 1, transport, fields: ["件名", "金額"] });
  expectType<typeof two, Pick<Saved, "件名" | "金額">[]>(true);
  // @ts-expect-error: 受注日 was not asked for
  two[0]!.受注日;
  // @ts-expect-error: `fields` lists a field the second type argument does not name
  await getAllRecords<Saved, "件名">({ app: 1, transport, fields: ["件名", "金額"] });

  // `fields` with the record type alone: each field may be absent.
  const partial = await getAllRecords<Saved>({ app: 1, transport, fields: ["件名", "$id"] });
  expectType<typeof partial, Partial<Saved>[]>(true);
  // @ts-expect-error: possibly undefined
  partial[0]!.件名.value;
  // @ts-expect-error: a misspelt field code (件目) is not a key of the record type
  await getAllRecords<Saved>({ app: 1, transport, fields: ["件目"] });

  // `fields` with no type argument: the loose type, narrowed to the listed codes.
  const inferred = await getAllRecords({ app: 1, transport, fields: ["title", "amount"] });
  expectType<typeof inferred, Pick<KintoneRecord, "title" | "amount">[]>(true);
  // @ts-expect-error: not asked for
  inferred[0]!.other;

  // A list of field codes kept in a variable (readonly too) works the same way.
  const wanted = ["件名", "ステータス"] as const;
  const fromConst = await getAllRecords<Saved, (typeof wanted)[number]>({ app: 1, transport, fields: wanted });
  expectType<typeof fromConst, Pick<Saved, "件名" | "ステータス">[]>(true);

  // The iterators take the same type arguments.
  for await (const record of iterateRecords<Saved>({ app: 1, transport })) {
    expectType<typeof record, Saved>(true);
  }
  for await (const record of iterateRecords<Saved, "件名">({ app: 1, transport, fields: ["件名"] })) {
    expectType<typeof record, Pick<Saved, "件名">>(true);
  }
  for await (const page of iteratePages<Saved>({ app: 1, transport })) {
    expectType<typeof page, Saved[]>(true);
  }
  for await (const page of iteratePages({ app: 1, transport, fields: ["a"] })) {
    expectType<typeof page, Pick<KintoneRecord, "a">[]>(true);
  }
  // @ts-expect-error: a misspelt field code in an iterator
  iteratePages<Saved>({ app: 1, transport, fields: ["件目"] });

  // Options typed ahead of the call.
  const options: FetchOptions<Saved> = { app: 1, transport, fields: ["件名"] };
  // @ts-expect-error: FetchOptions<R> checks `fields` as well
  const misspelt: FetchOptions<Saved> = { app: 1, fields: ["件目"] };
  void [options, misspelt];
}

// The record type of the simulator's generated app (sim/README.md, "The generated app"),
// in the shape `@kintone/dts-gen` writes for an app: global interfaces
// `kintone.types.Fields` and `kintone.types.SavedFields` (no index signature), each field
// typed by an interface of `kintone.fieldTypes`. The few field types the app uses are
// declared here as `@kintone/dts-gen`'s `kintone.d.ts` declares them, so the test needs
// no extra package.

declare namespace kintone.fieldTypes {
  interface Text<Type extends string> {
    type: Type;
    value: string;
    disabled?: boolean;
    error?: string | null;
  }
  interface Entity {
    code: string;
    name: string;
  }
  interface SingleLineText extends Text<"SINGLE_LINE_TEXT"> {}
  interface MultiLineText extends Text<"MULTI_LINE_TEXT"> {}
  interface Number extends Text<"NUMBER"> {}
  interface Date extends Text<"DATE"> {}
  interface DateTime extends Text<"DATETIME"> {}
  interface Time extends Text<"TIME"> {}
  interface DropDown extends Text<"DROP_DOWN"> {}
  interface CheckBox {
    type: "CHECK_BOX";
    value: string[];
    disabled?: boolean;
    error?: string | null;
  }
  interface UserSelect {
    type: "USER_SELECT";
    value: Entity[];
    disabled?: boolean;
    error?: string | null;
  }
  interface Id {
    type: "__ID__";
    value: string;
  }
  interface Revision {
    type: "__REVISION__";
    value: string;
  }
  interface RecordNumber {
    type: "RECORD_NUMBER";
    value: string;
  }
  interface Creator {
    type: "CREATOR";
    value: Entity;
  }
  interface Modifier {
    type: "MODIFIER";
    value: Entity;
  }
  interface CreatedTime {
    type: "CREATED_TIME";
    value: string;
  }
  interface UpdatedTime {
    type: "UPDATED_TIME";
    value: string;
  }
}

// What `npx @kintone/dts-gen --app-id 1` writes for app 1, "案件管理".
declare namespace kintone.types {
  interface Fields {
    件名: kintone.fieldTypes.SingleLineText;
    顧客名: kintone.fieldTypes.SingleLineText;
    備考: kintone.fieldTypes.MultiLineText;
    金額: kintone.fieldTypes.Number;
    数量: kintone.fieldTypes.Number;
    受注日: kintone.fieldTypes.Date;
    納期: kintone.fieldTypes.Date;
    打合せ日時: kintone.fieldTypes.DateTime;
    開始時刻: kintone.fieldTypes.Time;
    ステータス: kintone.fieldTypes.DropDown;
    優先度: kintone.fieldTypes.DropDown;
    タグ: kintone.fieldTypes.CheckBox;
    担当者: kintone.fieldTypes.UserSelect;
    明細: {
      type: "SUBTABLE";
      value: {
        id: string;
        value: {
          品名: kintone.fieldTypes.SingleLineText;
          単価: kintone.fieldTypes.Number;
          個数: kintone.fieldTypes.Number;
        };
      }[];
    };
  }
  interface SavedFields extends Fields {
    $id: kintone.fieldTypes.Id;
    $revision: kintone.fieldTypes.Revision;
    更新者: kintone.fieldTypes.Modifier;
    作成者: kintone.fieldTypes.Creator;
    レコード番号: kintone.fieldTypes.RecordNumber;
    更新日時: kintone.fieldTypes.UpdatedTime;
    作成日時: kintone.fieldTypes.CreatedTime;
  }
}

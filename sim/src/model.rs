//! The data model: apps, their fields, and records stored compactly (one small enum
//! per field, no JSON trees) so that a million records fit well under 2 GB.

/// kintone field types the simulator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    RecordNumber,
    SingleLineText,
    MultiLineText,
    RichText,
    Link,
    Number,
    Calc,
    Date,
    DateTime,
    Time,
    DropDown,
    RadioButton,
    CheckBox,
    MultiSelect,
    UserSelect,
    Creator,
    Modifier,
    CreatedTime,
    UpdatedTime,
    Subtable,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        use FieldType::*;
        match self {
            RecordNumber => "RECORD_NUMBER",
            SingleLineText => "SINGLE_LINE_TEXT",
            MultiLineText => "MULTI_LINE_TEXT",
            RichText => "RICH_TEXT",
            Link => "LINK",
            Number => "NUMBER",
            Calc => "CALC",
            Date => "DATE",
            DateTime => "DATETIME",
            Time => "TIME",
            DropDown => "DROP_DOWN",
            RadioButton => "RADIO_BUTTON",
            CheckBox => "CHECK_BOX",
            MultiSelect => "MULTI_SELECT",
            UserSelect => "USER_SELECT",
            Creator => "CREATOR",
            Modifier => "MODIFIER",
            CreatedTime => "CREATED_TIME",
            UpdatedTime => "UPDATED_TIME",
            Subtable => "SUBTABLE",
        }
    }

    pub fn from_name(name: &str) -> Option<FieldType> {
        use FieldType::*;
        [
            RecordNumber, SingleLineText, MultiLineText, RichText, Link, Number, Calc, Date, DateTime, Time,
            DropDown, RadioButton, CheckBox, MultiSelect, UserSelect, Creator, Modifier, CreatedTime,
            UpdatedTime, Subtable,
        ]
        .into_iter()
        .find(|t| t.name() == name)
    }

    /// Fields whose value kintone computes: not writable, always present.
    pub fn is_system(self) -> bool {
        use FieldType::*;
        matches!(self, RecordNumber | Creator | Modifier | CreatedTime | UpdatedTime | Calc)
    }
}

/// One field of an app (or of a table).
#[derive(Debug, Clone)]
pub struct Field {
    pub code: String,
    pub label: String,
    pub ftype: FieldType,
    pub required: bool,
    /// Choices of DROP_DOWN, RADIO_BUTTON, CHECK_BOX, MULTI_SELECT.
    pub options: Vec<String>,
    /// The fields of a SUBTABLE.
    pub sub_fields: Vec<Field>,
}

impl Field {
    pub fn new(code: &str, ftype: FieldType) -> Field {
        Field { code: code.into(), label: code.into(), ftype, required: false, options: vec![], sub_fields: vec![] }
    }
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub fn options(mut self, options: &[&str]) -> Field {
        self.options = options.iter().map(|s| s.to_string()).collect();
        self
    }
}

/// A stored value. Dates are days since 1970-01-01, datetimes seconds since the epoch
/// (UTC), times minutes since midnight, users indexes into [`Users`].
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Empty,
    Text(Box<str>),
    Num(f64),
    Date(i32),
    DateTime(i64),
    Time(u16),
    /// Selected options of CHECK_BOX / MULTI_SELECT (as strings: a JSON file may hold
    /// values outside the options).
    Multi(Box<[Box<str>]>),
    Users(Box<[u32]>),
    User(u32),
    Table(Box<[Row]>),
}

/// One row of a table: its row id and one value per sub-field.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: u64,
    pub values: Box<[Val]>,
}

/// A record: id, revision, and one value per top-level field of the app (index =
/// field index). RECORD_NUMBER is rendered from `id` and stores `Val::Empty`.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: u64,
    pub revision: u64,
    pub values: Box<[Val]>,
}

/// The users of the domain: code and display name.
#[derive(Debug, Clone, Default)]
pub struct Users {
    pub list: Vec<(String, String)>,
}

impl Users {
    pub fn index_of(&self, code: &str) -> Option<u32> {
        self.list.iter().position(|(c, _)| c == code).map(|i| i as u32)
    }
    /// The index of `code`, adding the user when unknown.
    pub fn intern(&mut self, code: &str, name: Option<&str>) -> u32 {
        if let Some(i) = self.index_of(code) {
            return i;
        }
        self.list.push((code.to_string(), name.unwrap_or(code).to_string()));
        (self.list.len() - 1) as u32
    }
    pub fn get(&self, i: u32) -> (&str, &str) {
        self.list.get(i as usize).map(|(c, n)| (c.as_str(), n.as_str())).unwrap_or(("", ""))
    }
}

/// An app: its form and its records, kept sorted by id ascending.
#[derive(Debug, Clone)]
pub struct App {
    pub id: u64,
    pub name: String,
    pub guest_space: Option<u64>,
    pub fields: Vec<Field>,
    pub records: Vec<Record>,
    pub next_id: u64,
    pub next_row_id: u64,
    pub form_revision: u64,
}

/// Where a field code points in an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRef {
    Id,
    Revision,
    /// A top-level field (index into `App::fields`).
    Top(usize),
    /// A field inside a table: (table index, sub-field index).
    InTable(usize, usize),
}

impl App {
    pub fn new(id: u64, name: &str, fields: Vec<Field>) -> App {
        App { id, name: name.into(), guest_space: None, fields, records: vec![], next_id: 1, next_row_id: 1, form_revision: 1 }
    }

    pub fn resolve(&self, code: &str) -> Option<FieldRef> {
        match code {
            "$id" => return Some(FieldRef::Id),
            "$revision" => return Some(FieldRef::Revision),
            _ => {}
        }
        for (i, f) in self.fields.iter().enumerate() {
            if f.code == code {
                return Some(FieldRef::Top(i));
            }
            if f.ftype == FieldType::Subtable {
                if let Some(j) = f.sub_fields.iter().position(|s| s.code == code) {
                    return Some(FieldRef::InTable(i, j));
                }
            }
        }
        None
    }

    pub fn field(&self, r: FieldRef) -> Option<&Field> {
        match r {
            FieldRef::Top(i) => self.fields.get(i),
            FieldRef::InTable(i, j) => self.fields.get(i)?.sub_fields.get(j),
            _ => None,
        }
    }

    /// The position of record `id` in `records`.
    pub fn position(&self, id: u64) -> Result<usize, usize> {
        self.records.binary_search_by_key(&id, |r| r.id)
    }

    pub fn get(&self, id: u64) -> Option<&Record> {
        self.position(id).ok().map(|i| &self.records[i])
    }
}

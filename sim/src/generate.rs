//! A generated app: `n` records with Japanese field codes and values, seeded and
//! deterministic (the same seed and count always give the same records).

use crate::model::{App, Field, FieldType::*, Record, Row, Users, Val};

/// SplitMix64: tiny, seeded, and fixed forever (a crate upgrade can never change the
/// generated data).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
const GIVEN: &[&str] = &["一郎", "花子", "健太", "陽子", "翔", "美咲", "大輔", "さくら"];
const COMPANIES: &[&str] = &[
    "株式会社サイボウズ商事", "山田製作所", "東京物産株式会社", "有限会社みなと", "北海道フーズ", "大阪テクノ",
    "合同会社ひかり", "Example Inc.", "名古屋精機", "福岡システムズ",
];
const SUBJECTS: &[&str] = &["見積依頼", "納品確認", "請求書発行", "定例打合せ", "障害対応", "新規提案", "契約更新"];
const ITEMS: &[&str] = &["ノートPC", "モニター", "キーボード", "保守サービス", "ライセンス", "ケーブル"];
const NOTES: &[&str] = &[
    "至急対応をお願いします。",
    "先方の担当者が変更になりました。\n次回は新担当と打合せ。",
    "特記事項なし",
    "Deadline moved; see the mail of last week.",
];
pub const STATUSES: &[&str] = &["未着手", "進行中", "完了", "保留"];
pub const PRIORITIES: &[&str] = &["高", "中", "低"];
pub const TAGS: &[&str] = &["重要", "至急", "定期", "新規", "既存"];

/// The form of the generated app. Field order is the order of every answer.
pub fn fields() -> Vec<Field> {
    let mut table = Field::new("明細", Subtable);
    table.label = "明細".into();
    table.sub_fields = vec![Field::new("品名", SingleLineText), Field::new("単価", Number), Field::new("個数", Number)];
    vec![
        Field::new("レコード番号", RecordNumber),
        Field::new("作成者", Creator),
        Field::new("作成日時", CreatedTime),
        Field::new("更新者", Modifier),
        Field::new("更新日時", UpdatedTime),
        Field::new("件名", SingleLineText).required(),
        Field::new("顧客名", SingleLineText),
        Field::new("備考", MultiLineText),
        Field::new("金額", Number).required(),
        Field::new("数量", Number),
        Field::new("受注日", Date).required(),
        Field::new("納期", Date),
        Field::new("打合せ日時", DateTime),
        Field::new("開始時刻", Time),
        Field::new("ステータス", DropDown).required().options(STATUSES),
        Field::new("優先度", DropDown).options(PRIORITIES),
        Field::new("タグ", CheckBox).options(TAGS),
        Field::new("担当者", UserSelect),
        table,
    ]
}

/// The users of a generated domain: `Administrator` and 40 Japanese names.
pub fn users() -> Users {
    let mut users = Users::default();
    users.intern("Administrator", Some("Administrator"));
    let mut n = 0;
    for s in SURNAMES {
        for g in GIVEN.iter().take(4) {
            n += 1;
            users.intern(&format!("user{n:02}"), Some(&format!("{s} {g}")));
        }
    }
    users
}

/// 2020-01-01T00:00:00Z
const START: i64 = 1_577_836_800;

/// App `app_id` with `n` records from `seed`.
pub fn generate(app_id: u64, n: u64, seed: u64, users: &Users) -> App {
    let mut app = App::new(app_id, "案件管理 (generated)", fields());
    let mut rng = Rng::new(seed ^ 0x6b69_6e74_6f6e_6521);
    let user_count = users.list.len() as u64;
    let mut row_id = 1u64;
    // Created times grow with the id (never decrease), spread over about five years
    // whatever `n` is, in whole minutes as kintone stores them: consecutive records
    // often share a minute, so ties on these keys are common, as on real kintone.
    let mean_gap = (5 * 365 * 1440 / n.max(1)).clamp(1, 1440);
    let mut created = START;
    app.records.reserve_exact(n as usize);
    for id in 1..=n {
        created += 60 * rng.below(2 * mean_gap) as i64;
        let updated = created + if rng.chance(50) { 60 * (1 + rng.below(1440 * 30)) as i64 } else { 0 };
        let creator = rng.below(user_count) as u32;
        let modifier = if updated == created { creator } else { rng.below(user_count) as u32 };
        let order_day = (created / 86_400) as i32;
        let text = |rng: &mut Rng, p: u64, f: &dyn Fn(&mut Rng) -> String| if rng.chance(p) { Val::Text(f(rng).into()) } else { Val::Empty };
        let mut values = vec![
            Val::Empty,
            Val::User(creator),
            Val::DateTime(created),
            Val::User(modifier),
            Val::DateTime(updated),
            Val::Text(format!("{} {}", rng.pick(SUBJECTS), id).into()),
            text(&mut rng, 85, &|r| r.pick(COMPANIES).to_string()),
            text(&mut rng, 40, &|r| r.pick(NOTES).to_string()),
            Val::Num((rng.below(2_000_000) / 10 * 10) as f64),
            if rng.chance(80) { Val::Num(rng.below(100) as f64 + 1.0) } else { Val::Empty },
            Val::Date(order_day),
            if rng.chance(70) { Val::Date(order_day + rng.below(90) as i32) } else { Val::Empty },
            if rng.chance(60) { Val::DateTime((created / 900 + rng.below(96 * 60) as i64) * 900) } else { Val::Empty },
            if rng.chance(60) { Val::Time((rng.below(48) * 30) as u16) } else { Val::Empty },
            Val::Text((*rng.pick(STATUSES)).into()),
            if rng.chance(75) { Val::Text((*rng.pick(PRIORITIES)).into()) } else { Val::Empty },
        ];
        let tags: Vec<Box<str>> = TAGS.iter().filter(|_| rng.chance(25)).map(|t| (*t).into()).collect();
        values.push(Val::Multi(tags.into()));
        let assignees: Vec<u32> = (0..rng.below(3)).map(|_| rng.below(user_count) as u32).collect();
        values.push(if assignees.is_empty() { Val::Empty } else { Val::Users(assignees.into()) });
        let rows: Vec<Row> = (0..rng.below(4))
            .map(|_| {
                let row = Row {
                    id: row_id,
                    values: vec![
                        Val::Text((*rng.pick(ITEMS)).into()),
                        Val::Num((rng.below(10_000) * 10) as f64),
                        Val::Num(rng.below(20) as f64 + 1.0),
                    ]
                    .into(),
                };
                row_id += 1;
                row
            })
            .collect();
        values.push(Val::Table(rows.into()));
        app.records.push(Record { id, revision: 1 + (updated != created) as u64, values: values.into() });
    }
    app.next_id = n + 1;
    app.next_row_id = row_id;
    app
}

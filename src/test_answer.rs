//! An in-memory `Answer` for host tests.

use crate::transport::{Answer, FieldInfo};

/// A record as the tests need it: an optional id and text values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FakeRecord {
    pub id: Option<u64>,
    pub values: Vec<(String, String)>,
}

/// A kintone answer: records (or none), totalCount, other members.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FakeAnswer {
    pub records: Option<Vec<FakeRecord>>,
    pub total: Option<u64>,
    pub strings: Vec<(String, String)>,
    pub flags: Vec<(String, bool)>,
    pub fields: Vec<FieldInfo>,
    pub stripped: Vec<String>,
}

impl FakeAnswer {
    /// A records page with these ids.
    pub fn ids(ids: impl IntoIterator<Item = u64>) -> Self {
        Self::records(ids.into_iter().map(|id| FakeRecord { id: Some(id), values: vec![] }).collect())
    }

    /// A records page.
    pub fn records(records: Vec<FakeRecord>) -> Self {
        FakeAnswer { records: Some(records), ..Default::default() }
    }

    /// The ids of the page's records.
    pub fn record_ids(&self) -> Vec<u64> {
        self.records.iter().flatten().filter_map(|record| record.id).collect()
    }
}

impl Answer for FakeAnswer {
    fn len(&self) -> usize {
        self.records.as_ref().map_or(0, Vec::len)
    }
    fn has_records(&self) -> bool {
        self.records.is_some()
    }
    fn record_id(&self, index: usize) -> Option<u64> {
        self.records.as_ref()?[index].id
    }
    fn record_value(&self, index: usize, field: &str) -> Option<String> {
        let record = &self.records.as_ref()?[index];
        record.values.iter().find(|(code, _)| code == field).map(|(_, value)| value.clone())
    }
    fn total_count(&self) -> Option<u64> {
        self.total
    }
    fn string(&self, key: &str) -> Option<String> {
        self.strings.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }
    fn flag(&self, key: &str) -> Option<bool> {
        self.flags.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
    fn form_fields(&self) -> Vec<FieldInfo> {
        self.fields.clone()
    }
    fn retain_records(&mut self, keep: &[bool]) {
        if let Some(records) = &mut self.records {
            let mut index = 0;
            records.retain(|_| {
                index += 1;
                keep[index - 1]
            });
        }
    }
    fn strip_fields(&mut self, fields: &[String]) {
        self.stripped.extend(fields.iter().cloned());
    }
}

/// The domain's load as host tests script it: each question is answered by the next
/// entry (`None`: a question that never answers), and the questions are counted.
#[derive(Default)]
pub struct ScriptedLoad {
    loads: std::cell::RefCell<std::collections::VecDeque<Option<crate::domain_load::Load>>>,
    /// Questions asked so far.
    pub asked: std::cell::Cell<u32>,
}

impl ScriptedLoad {
    /// Answers with `running` requests of a 100-request limit, in order.
    pub fn new(running: &[Option<u64>]) -> Self {
        let loads = running.iter().map(|r| r.map(|running| crate::domain_load::Load { limit: 100, running })).collect();
        ScriptedLoad { loads: std::cell::RefCell::new(loads), ..Default::default() }
    }

    /// `Transport::domain_load` for a fake transport.
    pub fn ask(&self) -> Option<crate::transport::LoadQuestion> {
        self.asked.set(self.asked.get() + 1);
        Some(match self.loads.borrow_mut().pop_front().flatten() {
            Some(load) => Box::pin(std::future::ready(Some(load))),
            None => Box::pin(std::future::pending()),
        })
    }
}

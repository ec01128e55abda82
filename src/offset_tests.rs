use super::*;
use crate::options::{parse_options, OptionValue};
use crate::plan::sort_keys;
use crate::test_answer::FakeAnswer;

/// Reads `app` (the ids in order, changed by `write` before each request after the
/// first) by offset with pages of 4; the ids delivered and the offsets asked for.
fn read(mut app: Vec<u64>, mut write: impl FnMut(usize, &mut Vec<u64>)) -> (Vec<u64>, Vec<u64>) {
    let options = parse_options(&[("app".into(), OptionValue::Number(1.0)), ("pageSize".into(), OptionValue::Number(4.0))]).unwrap();
    let keys = sort_keys(&options);
    let first = FakeAnswer::ids(app.iter().copied().take(4));
    let mut delivered: Vec<u64> = first.record_ids();
    let mut offset = OffsetPaginator::after_first(&options, &keys, placed(&first, &keys, 0), None).unwrap();
    let mut offsets = Vec::new();
    for request in 1.. {
        assert!(request < 50, "endless");
        let Some(sent) = offset.next_request().unwrap() else { break };
        let ParamValue::Str(query) = sent.param("query").unwrap() else { panic!() };
        let at: u64 = query.rsplit(' ').next().unwrap().parse().unwrap();
        offsets.push(at);
        write(request, &mut app);
        let page = FakeAnswer::ids(app.iter().copied().skip(at as usize).take(4));
        let keep = offset.accept(&page, |id| delivered.contains(&id)).unwrap();
        for (id, kept) in page.record_ids().into_iter().zip(keep) {
            if kept && !delivered.contains(&id) {
                delivered.push(id);
            }
        }
    }
    (delivered, offsets)
}

#[test]
fn unchanged_records_are_read_once_with_a_record_of_overlap() {
    let (got, offsets) = read((1..=10).collect(), |_, _| {});
    assert_eq!(got, (1..=10).collect::<Vec<_>>());
    assert_eq!(offsets, [3, 6, 9]);
}

#[test]
fn deletions_before_the_boundary_never_skip_a_record() {
    // Before the second request, ids 1, 2 and 3 are deleted: id 5 slides back over the
    // boundary. The overlap of one misses every anchor, so it widens.
    let (got, _) = read((1..=12).collect(), |request, app| {
        if request == 1 {
            app.retain(|id| *id > 3);
        }
    });
    assert_eq!(got, (1..=12).collect::<Vec<_>>());
}

#[test]
fn insertions_before_the_boundary_neither_repeat_nor_skip() {
    let (got, _) = read((1..=12).collect(), |request, app| {
        if request == 1 {
            for id in (100..110).rev() {
                app.insert(0, id);
            }
        }
    });
    // Records inserted during the read may or may not be read; those present throughout
    // are read once each, in order.
    assert_eq!(got.iter().copied().filter(|id| *id < 100).collect::<Vec<_>>(), (1..=12).collect::<Vec<_>>());
    let mut unique = got.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), got.len());
}

#[test]
fn deletions_on_every_page_still_read_every_record_that_stays() {
    let stays = |id: &u64| !id.is_multiple_of(3);
    let (got, _) = read((1..=40).collect(), |request, app| {
        let gone = (request as u64) * 3;
        app.retain(|id| *id != gone);
    });
    let expected: Vec<u64> = (1..=40).filter(stays).collect();
    assert_eq!(got.iter().copied().filter(stays).collect::<Vec<_>>(), expected);
    let mut unique = got.clone();
    unique.dedup();
    assert_eq!(unique.len(), got.len());
}

//! Chooses how to read: which method, which key, which direction.

use crate::error::{SeekError, SeekErrorCode};
use crate::options::{ReadMethod, ReadOptions};
use crate::query::{Direction, OrderKey};

/// The field code of the record id in queries.
pub const ID_FIELD: &str = "$id";

/// How a read will be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Seek (keyset) pagination on `$id`: no cursor, pages retryable.
    SeekById {
        /// `$id desc` instead of `$id asc`.
        descending: bool,
    },
}

/// Picks the plan for validated options, or refuses an order it cannot serve exactly.
pub fn choose_plan(options: &ReadOptions) -> Result<Plan, SeekError> {
    match options.method {
        ReadMethod::Auto | ReadMethod::Seek => {}
        ReadMethod::Cursor | ReadMethod::Offset => {
            return Err(SeekError::option(format!(
                "`method: \"{}\"` is not available in this version: leave `method` out (or \"seek\") to read in `$id` order.",
                if options.method == ReadMethod::Cursor { "cursor" } else { "offset" }
            )))
        }
    }
    match options.order_by.first() {
        None => Ok(Plan::SeekById { descending: false }),
        // `$id` is unique, so keys after it cannot change the order.
        Some(OrderKey { field, direction }) if field == ID_FIELD => Ok(Plan::SeekById {
            // kintone sorts a key given without a direction descending.
            descending: *direction != Some(Direction::Asc),
        }),
        Some(OrderKey { field, .. }) => Err(SeekError::new(
            SeekErrorCode::UnsupportedOrder,
            format!(
                "Cannot read in the order on `{field}`: this version seeks on `$id` only, and an order on another \
                 field needs a compound-key seek or the cursor API, which it does not have yet. \
                 Leave `orderBy` out (or use `$id asc` / `$id desc`) and sort the records after reading them."
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{parse_options, OptionValue};

    fn plan_for(order_by: &str, method: &str) -> Result<Plan, SeekError> {
        let options = parse_options(&[
            ("app".into(), OptionValue::Number(1.0)),
            ("orderBy".into(), OptionValue::Str(order_by.into())),
            ("method".into(), OptionValue::Str(method.into())),
        ])?;
        choose_plan(&options)
    }

    #[test]
    fn id_orders_seek_in_their_direction() {
        assert_eq!(plan_for("", "auto"), Ok(Plan::SeekById { descending: false }));
        assert_eq!(plan_for("$id asc", "auto"), Ok(Plan::SeekById { descending: false }));
        assert_eq!(plan_for("$id desc", "seek"), Ok(Plan::SeekById { descending: true }));
        // No direction means descending in kintone.
        assert_eq!(plan_for("$id", "auto"), Ok(Plan::SeekById { descending: true }));
        assert_eq!(plan_for("$id asc, 日付 desc", "auto"), Ok(Plan::SeekById { descending: false }));
    }

    #[test]
    fn other_orders_are_refused_naming_the_key() {
        let error = plan_for("日付 desc, $id asc", "auto").unwrap_err();
        assert_eq!(error.code, SeekErrorCode::UnsupportedOrder);
        assert!(error.message.contains("`日付`"), "{}", error.message);
        let error = plan_for("数値 asc", "seek").unwrap_err();
        assert_eq!(error.code, SeekErrorCode::UnsupportedOrder);
    }

    #[test]
    fn cursor_and_offset_methods_are_refused_before_any_request() {
        assert_eq!(plan_for("", "cursor").unwrap_err().code, SeekErrorCode::InvalidOption);
        assert_eq!(plan_for("", "offset").unwrap_err().code, SeekErrorCode::InvalidOption);
    }
}

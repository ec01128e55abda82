//! An option value as a self-describing serde format hands it over (serde-wasm-bindgen
//! in the wasm build). Only the kind and the data validation needs are kept: an object
//! is `Other("object")` with its members skipped, never read.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

use crate::options::OptionValue;

/// What an array element becomes when the format cannot describe it (in JavaScript: a
/// function, a symbol, a `Set`...). The array is still an array, so the message can say
/// that an element is wrong rather than that the option is not an array.
pub const NOT_DATA: &str = "value that is not data";

struct OptionValueVisitor;

impl<'de> Visitor<'de> for OptionValueVisitor {
    type Value = OptionValue;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an option value")
    }

    // `null` and `undefined` alike: the facade drops `undefined` members beforehand.
    fn visit_unit<E>(self) -> Result<OptionValue, E> {
        Ok(OptionValue::Null)
    }

    fn visit_none<E>(self) -> Result<OptionValue, E> {
        Ok(OptionValue::Null)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<OptionValue, E> {
        Ok(OptionValue::Bool(flag))
    }

    // Whole numbers come here (and, in JavaScript, BigInts). Past 2^53 the value is
    // rounded, which the range checks then refuse as they would the number.
    fn visit_i64<E>(self, number: i64) -> Result<OptionValue, E> {
        Ok(OptionValue::Number(number as f64))
    }

    fn visit_u64<E>(self, number: u64) -> Result<OptionValue, E> {
        Ok(OptionValue::Number(number as f64))
    }

    fn visit_f64<E>(self, number: f64) -> Result<OptionValue, E> {
        Ok(OptionValue::Number(number))
    }

    fn visit_str<E>(self, text: &str) -> Result<OptionValue, E> {
        Ok(OptionValue::Str(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<OptionValue, E> {
        Ok(OptionValue::Str(text))
    }

    // A typed array or buffer: an object to validation, like any other.
    fn visit_bytes<E>(self, _: &[u8]) -> Result<OptionValue, E> {
        Ok(OptionValue::Other("object".into()))
    }

    fn visit_byte_buf<E>(self, _: Vec<u8>) -> Result<OptionValue, E> {
        Ok(OptionValue::Other("object".into()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<OptionValue, A::Error> {
        let mut list = Vec::new();
        loop {
            match items.next_element::<OptionValue>() {
                Ok(Some(item)) => list.push(item),
                Ok(None) => return Ok(OptionValue::List(list)),
                // The list stops here, since an element that is not data is refused
                // whatever follows it. The rest is skipped (never read) so that a format
                // that checks the length sees it all; a second failure ends the skipping.
                Err(_) => {
                    list.push(OptionValue::Other(NOT_DATA.into()));
                    while let Ok(Some(_)) = items.next_element::<IgnoredAny>() {}
                    return Ok(OptionValue::List(list));
                }
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<OptionValue, A::Error> {
        while members.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(OptionValue::Other("object".into()))
    }
}

impl<'de> Deserialize<'de> for OptionValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OptionValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error, MapDeserializer, SeqDeserializer, UnitDeserializer};
    use serde::de::IntoDeserializer;

    fn read<'de>(deserializer: impl Deserializer<'de, Error = Error>) -> OptionValue {
        OptionValue::deserialize(deserializer).unwrap()
    }

    #[test]
    fn each_kind_of_value_keeps_what_validation_needs() {
        assert_eq!(read(UnitDeserializer::<Error>::new()), OptionValue::Null);
        assert_eq!(read(true.into_deserializer()), OptionValue::Bool(true));
        assert_eq!(read(12i64.into_deserializer()), OptionValue::Number(12.0));
        assert_eq!(read(12u64.into_deserializer()), OptionValue::Number(12.0));
        assert_eq!(read(1.5f64.into_deserializer()), OptionValue::Number(1.5));
        assert_eq!(read("氏名".into_deserializer()), OptionValue::Str("氏名".into()));
        assert_eq!(read(String::from("a").into_deserializer()), OptionValue::Str("a".into()));
        let list = SeqDeserializer::<_, Error>::new(vec!["a", "b"].into_iter());
        assert_eq!(read(list), OptionValue::List(vec![OptionValue::Str("a".into()), OptionValue::Str("b".into())]));
        let object = MapDeserializer::<_, Error>::new(vec![("text", 1i64)].into_iter());
        assert_eq!(read(object), OptionValue::Other("object".into()));
    }

    /// An element the format cannot describe ends the list with a marker that validation
    /// refuses, instead of failing the whole option (which would say "not an array").
    #[test]
    fn an_element_that_is_not_data_is_marked() {
        struct Opaque;
        impl<'de> IntoDeserializer<'de, Error> for Opaque {
            type Deserializer = UnitOnly;
            fn into_deserializer(self) -> UnitOnly {
                UnitOnly
            }
        }
        struct UnitOnly;
        impl<'de> Deserializer<'de> for UnitOnly {
            type Error = Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
                Err(serde::de::Error::custom("a function"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
                unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
            }
        }
        let list = SeqDeserializer::<_, Error>::new(vec![Opaque, Opaque].into_iter());
        assert_eq!(read(list), OptionValue::List(vec![OptionValue::Other(NOT_DATA.into())]));
    }
}

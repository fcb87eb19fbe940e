//! `serde` support for the runtime's value types (the `serde` feature): timestamps as RFC 3339
//! strings, blobs as base64 strings, documents as plain JSON values, unknown enum values as
//! the strings they are. Generated crates derive `Serialize`/`Deserialize` on top of these.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::document::Number;
use crate::{Blob, DateTime, Document, UnknownValue};

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.fmt_date_time())
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateTimeVisitor;

        impl Visitor<'_> for DateTimeVisitor {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string or epoch seconds")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse_date_time(v).map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v).map(DateTime::from_secs).map_err(E::custom)
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
                DateTime::from_secs_f64(v).map_err(E::custom)
            }
        }

        deserializer.deserialize_any(DateTimeVisitor)
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Blob::from_base64(&text).map_err(de::Error::custom)
    }
}

impl Serialize for UnknownValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UnknownValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(UnknownValue::__new(&text))
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => serializer.serialize_unit(),
            Document::Bool(b) => serializer.serialize_bool(*b),
            Document::Number(Number::PosInt(n)) => serializer.serialize_u64(*n),
            Document::Number(Number::NegInt(n)) => serializer.serialize_i64(*n),
            Document::Number(Number::Float(n)) => serializer.serialize_f64(*n),
            Document::String(s) => serializer.serialize_str(s),
            Document::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Document::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DocumentVisitor;

        impl<'de> Visitor<'de> for DocumentVisitor {
            type Value = Document;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }

            fn visit_none<E: de::Error>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
                Document::deserialize(d)
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
                Ok(Document::Bool(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
                Ok(Document::from(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
                Ok(Document::from(v))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
                Ok(Document::from(v))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
                Ok(Document::String(v.to_owned()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Document::Array(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, Document>()? {
                    entries.insert(key, value);
                }
                Ok(Document::Object(entries))
            }
        }

        deserializer.deserialize_any(DocumentVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_json() {
        let t = DateTime::parse_date_time("2014-06-30T12:00:00.5Z").unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2014-06-30T12:00:00.5Z\"");
        assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), t);
        assert_eq!(
            serde_json::from_str::<DateTime>("1404129600").unwrap(),
            DateTime::from_secs(1_404_129_600)
        );

        let blob = Blob::new(b"hello".to_vec());
        let json = serde_json::to_string(&blob).unwrap();
        assert_eq!(json, "\"aGVsbG8=\"");
        assert_eq!(serde_json::from_str::<Blob>(&json).unwrap(), blob);
        assert!(serde_json::from_str::<Blob>("\"***\"").is_err());

        let doc = Document::from_json(r#"{"a":[1,-2,2.5,true,null,"x"]}"#).unwrap();
        let json = serde_json::to_string(&doc).unwrap();
        assert_eq!(serde_json::from_str::<Document>(&json).unwrap(), doc);

        let unknown = UnknownValue::__new("NEW");
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"NEW\"");
    }
}

//! Version ids: the SHA-256 of an agreement's data in RFC 8785 canonical JSON.
//!
//! Hashing the data rather than the bytes means comments, key order, layout
//! and value-preserving quoting never change an id, while any change of data
//! does (`1` and `"1"` differ). Sign-offs are bound to these ids.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// `sha256:<64 lowercase hex>`: the identity of one version of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct VersionId(String);

/// Read back from JSON output: only the `sha256:<64 hex>` form is a
/// version id, so a document cannot carry one that charter would not write.
impl<'de> serde::Deserialize<'de> for VersionId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        VersionId::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a version id (sha256:<64 hex>)"))
        })
    }
}

impl VersionId {
    /// The id of plain data (as produced by [`crate::yaml::Node::to_json`]).
    ///
    /// # Panics
    ///
    /// When the data cannot be written as canonical JSON, which plain data
    /// from `yaml::Node::to_json` always can; files read from a repository
    /// go through [`VersionId::try_of`], which reports it instead.
    pub fn of(data: &serde_json::Value) -> Self {
        Self::try_of(data).expect("plain data always has a canonical form")
    }

    /// The id of data, or why it has none: data that cannot be written as
    /// canonical JSON has no id, rather than the id of empty bytes.
    pub fn try_of(data: &serde_json::Value) -> Result<Self, String> {
        let digest = Sha256::digest(try_canonical_json(data)?);
        Ok(VersionId(format!("sha256:{digest:x}")))
    }

    /// Accept an id in its written form, checking the shape.
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.strip_prefix("sha256:")?;
        (hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| VersionId(s.to_owned()))
    }

    /// The full form, `sha256:<64 hex>`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 hex digits, as shown to people and used in file names.
    pub fn short(&self) -> &str {
        &self.0[7..19]
    }
}

impl fmt::Display for VersionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The RFC 8785 (JCS) bytes of plain data.
///
/// # Panics
///
/// As [`VersionId::of`]; use [`try_canonical_json`] for untrusted data.
pub fn canonical_json(data: &serde_json::Value) -> Vec<u8> {
    try_canonical_json(data).expect("plain data always has a canonical form")
}

/// The RFC 8785 (JCS) bytes of data, or why they cannot be written. Plain
/// data holds only strings, safe integers, booleans, null, arrays and
/// objects, all of which JCS can write; anything else is an error, never
/// the empty bytes.
pub fn try_canonical_json(data: &serde_json::Value) -> Result<Vec<u8>, String> {
    check_numbers(data)?;
    serde_json_canonicalizer::to_vec(data).map_err(|e| e.to_string())
}

/// JCS writes numbers as IEEE doubles, so two integers beyond ±(2^53−1)
/// could share one form (and one id): refuse them, and every non-integer.
fn check_numbers(data: &serde_json::Value) -> Result<(), String> {
    const SAFE: i64 = (1 << 53) - 1;
    match data {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) if (-SAFE..=SAFE).contains(&i) => Ok(()),
            _ => Err(format!(
                "the number {n} is not an integer within ±(2^53−1), so it has no exact canonical form"
            )),
        },
        serde_json::Value::Array(items) => items.iter().try_for_each(check_numbers),
        serde_json::Value::Object(map) => map.values().try_for_each(check_numbers),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_sorts_keys_and_escapes_like_jcs() {
        let data = json!({"b": [1, "1", true, null], "a": "é\u{1}\"\\\n", "é": {"z": -3, "aa": 0}});
        let text = String::from_utf8(canonical_json(&data)).unwrap();
        assert_eq!(
            text,
            "{\"a\":\"é\\u0001\\\"\\\\\\n\",\"b\":[1,\"1\",true,null],\"é\":{\"aa\":0,\"z\":-3}}"
        );
    }

    #[test]
    fn data_without_a_canonical_form_has_no_id() {
        let unsafe_integer = json!({"n": 9_007_199_254_740_993_u64});
        assert!(try_canonical_json(&unsafe_integer).is_err());
        assert!(VersionId::try_of(&unsafe_integer).is_err());
        assert!(VersionId::try_of(&json!({"x": 1.5})).is_err());
        assert!(VersionId::try_of(&json!({"n": 9_007_199_254_740_991_i64})).is_ok());
    }

    #[test]
    fn id_shape() {
        let id = VersionId::of(&json!({}));
        // SHA-256 of "{}".
        assert_eq!(
            id.as_str(),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(id.short(), "44136fa355b3");
        assert_eq!(id.to_string(), id.as_str());
        assert_eq!(VersionId::parse(id.as_str()), Some(id));
        assert_eq!(VersionId::parse("sha256:ABC"), None);
    }

    #[test]
    fn parse_wants_the_prefix_and_64_lowercase_hex_digits() {
        let hex = "0123456789abcdef".repeat(4);
        assert!(VersionId::parse(&format!("sha256:{hex}")).is_some());
        for bad in [
            hex.clone(),
            format!("sha1:{hex}"),
            format!("sha256:{}", hex.to_uppercase()),
            format!("sha256:{}", &hex[1..]),
            format!("sha256:{hex}0"),
            format!("sha256:{}g", &hex[1..]),
            "sha256:abc".to_owned(),
        ] {
            assert_eq!(VersionId::parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn equal_data_has_one_id_and_any_change_another() {
        let a = VersionId::of(&json!({"x": 1, "y": [true, null]}));
        assert_eq!(a, VersionId::of(&json!({"y": [true, null], "x": 1})));
        assert_ne!(a, VersionId::of(&json!({"x": "1", "y": [true, null]})));
        assert_ne!(a, VersionId::of(&json!({"x": 1, "y": [null, true]})));
    }
}

//! Plain English for values people read: "45 minutes" rather than `45m`,
//! "in person and chat" rather than `in person, chat`, and `v3
//! (3a5a96a15b22)` for a version, so every command says them the same way.

use crate::agreement::types::{Duration, Unit};

/// A duration in words: `45m` → "45 minutes", `1w` → "1 week".
pub fn duration(d: Duration) -> String {
    let noun = match d.unit {
        Unit::Minutes => "minute",
        Unit::Hours => "hour",
        Unit::Days => "day",
        Unit::Weeks => "week",
    };
    crate::plural::count(d.amount as usize, noun)
}

/// A list in words: "a", "a and b", "a, b and c".
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    join_last(items, " and ")
}

/// Alternatives in English: "video call", "video call or chat",
/// "a, b or c" (e.g. the channels a meeting may use).
pub fn alternatives<S: AsRef<str>>(items: &[S]) -> String {
    join_last(items, " or ")
}

fn join_last<S: AsRef<str>>(items: &[S], last_word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{}{last_word}{}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// A notice period in words: "14 days' notice", "1 day's notice".
pub fn notice(days: u64) -> String {
    if days == 1 {
        "1 day's notice".to_owned()
    } else {
        format!("{days} days' notice")
    }
}

/// The number people call a version by: its 1-based position among the
/// versions of its agreement on the chain (`index` is 0-based, as in
/// [`crate::rules::Evaluation::versions`]).
pub fn version_number(index: usize) -> usize {
    index + 1
}

/// A version as people read it: `v3 (3a5a96a15b22)`. `id` may be the full
/// `sha256:…` id or its short form.
pub fn version(index: usize, id: &str) -> String {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    let short = hex.get(..12).unwrap_or(hex);
    format!("v{} ({short})", version_number(index))
}

/// A version id as messages shorten it (its first 12 hex digits); any other
/// text, such as `none`, as it is.
pub fn short_version(text: &str) -> &str {
    crate::agreement::VersionId::parse(text).map_or(text, |_| &text[7..19])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_lists_read_as_english() {
        assert_eq!(duration(Duration::parse("45m").unwrap()), "45 minutes");
        assert_eq!(duration(Duration::parse("1h").unwrap()), "1 hour");
        assert_eq!(duration(Duration::parse("2w").unwrap()), "2 weeks");
        assert_eq!(list(&["in person"]), "in person");
        assert_eq!(list(&["in person", "chat"]), "in person and chat");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(list::<&str>(&[]), "");
        assert_eq!(alternatives(&["video call", "chat"]), "video call or chat");
        assert_eq!(alternatives(&["a", "b", "c"]), "a, b or c");
        assert_eq!(notice(14), "14 days' notice");
        assert_eq!(notice(1), "1 day's notice");
    }

    #[test]
    fn versions_read_as_numbers_with_their_id() {
        assert_eq!(
            version(2, "sha256:3a5a96a15b22ffffffffffff"),
            "v3 (3a5a96a15b22)"
        );
        assert_eq!(version(0, "3a5a96a15b22"), "v1 (3a5a96a15b22)");
    }
}

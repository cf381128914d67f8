//! Characters that do not show: what emails and principals may not contain,
//! what every renderer escapes, and the comparison that tells whether two
//! addresses name the same person.
//!
//! An address followed by an invisible character (U+200B ZERO WIDTH SPACE,
//! a bidirectional override) looks identical to the plain one on every
//! screen, yet compares different: one person could hold both roles with
//! two keys, or a finding could read as something it is not.

use unicode_general_category::{get_general_category, GeneralCategory};
use unicode_normalization::UnicodeNormalization;

/// Whether `c` is invisible or moves text around when printed: a control
/// character (Cc), a format character (Cf: zero-width spaces and joiners,
/// bidirectional controls, the byte-order mark, soft hyphen), whitespace of
/// any kind, or a line or paragraph separator.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(
            get_general_category(c),
            GeneralCategory::Format
                | GeneralCategory::LineSeparator
                | GeneralCategory::ParagraphSeparator
        )
}

/// The first hidden character of `text`, if any.
pub fn first_hidden(text: &str) -> Option<char> {
    text.chars().find(|&c| is_hidden(c))
}

/// The form two party addresses are compared in: NFKC, case-folded
/// (lowercased, then NFKC again, as Unicode's NFKC_Casefold does), so that
/// `ADA@example.com`, `ａｄａ@example.com` (full-width) and
/// `ada@example.com` count as the same person. Only for comparing: what is
/// signed and matched against allowed_signers stays as written.
pub fn party_key(address: &str) -> String {
    let folded: String = address.nfkc().flat_map(char::to_lowercase).collect();
    folded.nfkc().collect()
}

/// Whether two email addresses name the same person as a reader sees
/// them: after Unicode normalisation and case folding, so no look-alike
/// spelling (full-width letters, another case) makes one person two. The
/// one rule behind lint's same-party finding and `new`'s refusal.
pub fn same_person(a: &str, b: &str) -> bool {
    party_key(a) == party_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_are_hidden() {
        for c in [
            '\u{200b}', '\u{200d}', '\u{202e}', '\u{2066}', '\u{feff}', '\u{ad}', '\u{1b}', '\0',
            '\n', '\r', '\t', ' ', '\u{a0}', '\u{2028}', '\u{2029}', '\u{85}',
        ] {
            assert!(is_hidden(c), "{:?}", c);
        }
        for c in ['a', '@', '.', 'é', '日', '-', '_', '+'] {
            assert!(!is_hidden(c), "{:?}", c);
        }
        assert_eq!(first_hidden("ada@example.com\u{200b}"), Some('\u{200b}'));
        assert_eq!(first_hidden("ada@example.com"), None);
    }

    #[test]
    fn parties_compare_after_normalisation_and_case_folding() {
        let plain = party_key("ada@example.com");
        assert_eq!(party_key("ADA@Example.COM"), plain);
        assert_eq!(party_key("\u{ff41}da@example.com"), plain); // full-width a
        assert_eq!(party_key("ada@exa\u{1d5c6}ple.com"), plain); // mathematical m
        assert_ne!(party_key("ada@example.org"), plain);
        // Composed and decomposed é are one letter.
        assert_eq!(
            party_key("jos\u{e9}@example.com"),
            party_key("jose\u{301}@example.com")
        );
    }
}

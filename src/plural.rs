//! Counted nouns in output ("1 warning", "3 errors", "1 sign-off"), so that
//! every command and format words a number the same way, and correctly.

/// `n` followed by `noun` in the singular when `n` is 1, else in the plural.
///
/// The plural follows the regular English rules charter's nouns need:
/// `-s`, `-es` after `s`, `x`, `z`, `ch`, `sh`, and `-ies` for a consonant
/// followed by `y` (`party` → `parties`, but `day` → `days`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {}", plural(noun))
    }
}

/// `noun` in the form that agrees with `n`, without the number: for
/// sentences such as "2 valid, 1 invalid sign-offs" where the number is
/// written apart.
pub fn plural_for(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_owned()
    } else {
        plural(noun)
    }
}

/// The plural of a regular English noun (see [`count`]).
pub fn plural(noun: &str) -> String {
    let lower = noun.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    if ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh") {
        return format!("{noun}es");
    }
    let mut chars = lower.chars().rev();
    if let (Some('y'), Some(before)) = (chars.next(), chars.next()) {
        if !"aeiou".contains(before) {
            return format!("{}ies", &noun[..noun.len() - 1]);
        }
    }
    format!("{noun}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_and_plural() {
        assert_eq!(count(0, "error"), "0 errors");
        assert_eq!(count(1, "warning"), "1 warning");
        assert_eq!(count(3, "error"), "3 errors");
        assert_eq!(count(1, "sign-off"), "1 sign-off");
        assert_eq!(count(2, "sign-off"), "2 sign-offs");
        assert_eq!(count(2, "party"), "2 parties");
        assert_eq!(count(2, "day"), "2 days");
        assert_eq!(count(1, "day"), "1 day");
        assert_eq!(count(2, "match"), "2 matches");
        assert_eq!(count(4, "editorial change"), "4 editorial changes");
    }
}

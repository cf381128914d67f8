//! Small value types of the agreement format: dates, durations, cadences, ids.
//!
//! Each parses strictly from its string form and knows its JSON Schema, so
//! editors and charter reject the same inputs.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The id pattern shared by agreements and goals: it is safe as a file name.
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,63}$";

/// Whether `s` is a valid agreement or goal id (`[a-z0-9][a-z0-9-]{0,63}`).
/// Ids become file names, so anything else (dots, slashes, capitals) is refused.
pub fn is_valid_id(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// A calendar date written `YYYY-MM-DD`; the only date form agreements use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Parse exactly `YYYY-MM-DD` (no other separators, no missing zeros).
    pub fn parse(s: &str) -> Result<Self, String> {
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| format!("`{s}` is not a real calendar date"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(D::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A calendar date, YYYY-MM-DD.",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "format": "date"
        })
    }
}

/// The unit of a [`Duration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Calendar days.
    Days,
    /// Weeks of seven calendar days.
    Weeks,
}

impl Unit {
    fn suffix(self) -> char {
        match self {
            Unit::Minutes => 'm',
            Unit::Hours => 'h',
            Unit::Days => 'd',
            Unit::Weeks => 'w',
        }
    }
}

/// A length of time written `<integer><unit>` (`45m`, `2h`, `14d`, `2w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: Unit,
}

impl Duration {
    /// Parse `<integer><m|h|d|w>`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a duration like 45m, 2h, 14d or 2w");
        let (digits, unit) = s.split_at(s.len().saturating_sub(1));
        let unit = match unit {
            "m" => Unit::Minutes,
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "w" => Unit::Weeks,
            _ => return Err(bad()),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let amount = digits.parse().map_err(|_| bad())?;
        Ok(Duration { amount, unit })
    }

    /// The length in calendar days, for `d` and `w` durations.
    pub fn days(&self) -> Option<u64> {
        match self.unit {
            Unit::Days => Some(u64::from(self.amount)),
            Unit::Weeks => Some(u64::from(self.amount) * 7),
            _ => None,
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.unit.suffix())
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse(&s).map_err(D::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A length of time: an integer and a unit, m (minutes), h (hours), d (days) or w (weeks).",
            "type": "string",
            "pattern": "^[0-9]+[mhdw]$"
        })
    }
}

/// A period in calendar days (`14d`, `2w`): notice periods and retention.
/// Minutes and hours are refused because notice is counted in whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CalendarDuration(pub Duration);

impl CalendarDuration {
    /// The length in calendar days. Only `d` and `w` parse as calendar
    /// durations; one built otherwise counts as the whole days it spans,
    /// rounded up (never as zero days of notice).
    pub fn days(&self) -> u64 {
        let amount = u64::from(self.0.amount);
        self.0.days().unwrap_or(match self.0.unit {
            Unit::Minutes => amount.div_ceil(24 * 60),
            _ => amount.div_ceil(24),
        })
    }
}

impl fmt::Display for CalendarDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for CalendarDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let duration = Duration::parse(&s).map_err(D::Error::custom)?;
        match duration.unit {
            Unit::Days | Unit::Weeks => Ok(CalendarDuration(duration)),
            _ => Err(D::Error::custom(format!(
                "`{s}` must be in calendar days or weeks, like 14d or 2w"
            ))),
        }
    }
}

impl Serialize for CalendarDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for CalendarDuration {
    fn schema_name() -> Cow<'static, str> {
        "CalendarDuration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number of calendar days (d) or weeks (w), e.g. 14d or 2w.",
            "type": "string",
            "pattern": "^[0-9]+[dw]$"
        })
    }
}

/// How often something recurs: a named rhythm or `every N days|weeks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    /// Every 7 days.
    Weekly,
    /// Every 14 days.
    Biweekly,
    /// Once a calendar month.
    Monthly,
    /// Once every three calendar months.
    Quarterly,
    /// Every N days.
    EveryDays(u32),
    /// Every N weeks.
    EveryWeeks(u32),
}

impl Cadence {
    /// Parse `weekly|biweekly|monthly|quarterly|every N days|every N weeks`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{s}` is not a cadence: use weekly, biweekly, monthly, quarterly, \"every N days\" or \"every N weeks\""
            )
        };
        match s {
            "weekly" => return Ok(Cadence::Weekly),
            "biweekly" => return Ok(Cadence::Biweekly),
            "monthly" => return Ok(Cadence::Monthly),
            "quarterly" => return Ok(Cadence::Quarterly),
            _ => {}
        }
        let words: Vec<&str> = s.split(' ').collect();
        let [every, n, unit] = words.as_slice() else {
            return Err(bad());
        };
        if *every != "every" || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n: u32 = n.parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(format!("`{s}`: the interval must be at least 1"));
        }
        match *unit {
            "days" | "day" => Ok(Cadence::EveryDays(n)),
            "weeks" | "week" => Ok(Cadence::EveryWeeks(n)),
            _ => Err(bad()),
        }
    }

    /// The next date after `from` on this rhythm.
    pub fn next_after(&self, from: NaiveDate) -> NaiveDate {
        use chrono::{Days, Months};
        let add_days = |n: u64| from.checked_add_days(Days::new(n)).unwrap_or(from);
        let add_months = |n: u32| from.checked_add_months(Months::new(n)).unwrap_or(from);
        match self {
            Cadence::Weekly => add_days(7),
            Cadence::Biweekly => add_days(14),
            Cadence::Monthly => add_months(1),
            Cadence::Quarterly => add_months(3),
            Cadence::EveryDays(n) => add_days(u64::from(*n)),
            Cadence::EveryWeeks(n) => add_days(u64::from(*n) * 7),
        }
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cadence::Weekly => f.write_str("weekly"),
            Cadence::Biweekly => f.write_str("biweekly"),
            Cadence::Monthly => f.write_str("monthly"),
            Cadence::Quarterly => f.write_str("quarterly"),
            Cadence::EveryDays(n) => {
                write!(f, "every {}", crate::plural::count(*n as usize, "day"))
            }
            Cadence::EveryWeeks(n) => {
                write!(f, "every {}", crate::plural::count(*n as usize, "week"))
            }
        }
    }
}

impl<'de> Deserialize<'de> for Cadence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cadence::parse(&s).map_err(D::Error::custom)
    }
}

impl Serialize for Cadence {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl JsonSchema for Cadence {
    fn schema_name() -> Cow<'static, str> {
        "Cadence".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How often: weekly, biweekly, monthly, quarterly, \"every N days\" or \"every N weeks\".",
            "type": "string",
            "pattern": "^(weekly|biweekly|monthly|quarterly|every [1-9][0-9]* (days?|weeks?))$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_duration_is_never_zero_days_by_default() {
        let of = |amount, unit| CalendarDuration(Duration { amount, unit }).days();
        assert_eq!(of(2, Unit::Weeks), 14);
        assert_eq!(of(3, Unit::Days), 3);
        assert_eq!(of(25, Unit::Hours), 2);
        assert_eq!(of(1, Unit::Minutes), 1);
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("ada-grace"));
        assert!(is_valid_id("0"));
        for bad in ["", "-a", "A", "a b", "../x", "a/b", "a.b", &"a".repeat(65)] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(Date::parse("2026-01-12").is_ok());
        for bad in [
            "2026-1-12",
            "2026/01/12",
            "2026-02-30",
            "26-01-12",
            "2026-01-12T00",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(Duration::parse("45m").unwrap().to_string(), "45m");
        assert_eq!(Duration::parse("2w").unwrap().days(), Some(14));
        for bad in ["", "m", "1.5h", "-3d", "14", "14 d", "3y", "99999999999d"] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cadences() {
        for (s, c) in [
            ("weekly", Cadence::Weekly),
            ("every 3 weeks", Cadence::EveryWeeks(3)),
            ("every 10 days", Cadence::EveryDays(10)),
        ] {
            assert_eq!(Cadence::parse(s).unwrap(), c);
            assert_eq!(c.to_string(), s);
        }
        for bad in [
            "fortnightly",
            "every 0 days",
            "every  3 days",
            "every x weeks",
        ] {
            assert!(Cadence::parse(bad).is_err(), "{bad}");
        }
    }
}

//! Value types for when and where meetings happen (`meetings.weekday`,
//! `meetings.time`, `meetings.timezone`): what a calendar needs to place a
//! meeting at an hour rather than on a day.
//!
//! Each parses strictly from its string form and knows its JSON Schema, so
//! editors and charter refuse the same inputs.

use std::borrow::Cow;
use std::fmt;

use chrono::{NaiveTime, Weekday};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The usual day of the week for meetings, written in lowercase English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingDay(pub Weekday);

const DAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

impl MeetingDay {
    /// Parse `monday` … `sunday`.
    pub fn parse(s: &str) -> Result<Self, String> {
        DAYS.iter()
            .find(|(name, _)| *name == s)
            .map(|(_, d)| MeetingDay(*d))
            .ok_or_else(|| format!("`{s}` is not a weekday: use monday, tuesday, … sunday"))
    }

    /// The two-letter form RFC 5545 uses in `BYDAY`.
    pub fn ical(&self) -> &'static str {
        match self.0 {
            Weekday::Mon => "MO",
            Weekday::Tue => "TU",
            Weekday::Wed => "WE",
            Weekday::Thu => "TH",
            Weekday::Fri => "FR",
            Weekday::Sat => "SA",
            Weekday::Sun => "SU",
        }
    }
}

impl fmt::Display for MeetingDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = DAYS.iter().find(|(_, d)| *d == self.0).map_or("", |x| x.0);
        f.write_str(name)
    }
}

/// A time of day on the 24-hour clock, written `"HH:MM"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    /// Parse exactly `HH:MM` (two digits each, 00:00 to 23:59).
    pub fn parse(s: &str) -> Result<Self, String> {
        let shape_ok = s.len() == 5
            && s.bytes().enumerate().all(|(i, b)| match i {
                2 => b == b':',
                _ => b.is_ascii_digit(),
            });
        let bad = || format!("`{s}` is not a time of day like \"09:30\" (HH:MM, 24-hour clock)");
        if !shape_ok {
            return Err(bad());
        }
        NaiveTime::parse_from_str(s, "%H:%M")
            .map(ClockTime)
            .map_err(|_| bad())
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

/// An IANA time-zone name such as `Europe/Berlin`, checked against the
/// tz database charter is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(pub chrono_tz::Tz);

impl TimeZone {
    /// Parse an IANA zone name (case-sensitive, as the database writes it).
    pub fn parse(s: &str) -> Result<Self, String> {
        s.parse::<chrono_tz::Tz>().map(TimeZone).map_err(|_| {
            format!("`{s}` is not an IANA time zone; use a name such as Europe/Berlin, America/New_York or UTC")
        })
    }

    /// The zone's name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

macro_rules! string_type {
    ($ty:ident, $name:literal, $schema:tt) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $ty::parse(&s).map_err(D::Error::custom)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_type!(MeetingDay, "Weekday", {
    "description": "A day of the week, in lowercase English.",
    "type": "string",
    "enum": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
});
string_type!(ClockTime, "ClockTime", {
    "description": "A time of day on the 24-hour clock, \"HH:MM\".",
    "type": "string",
    "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"
});
string_type!(TimeZone, "TimeZone", {
    "description": "An IANA time-zone name, e.g. Europe/Berlin.",
    "type": "string",
    "minLength": 1
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        assert_eq!(MeetingDay::parse("tuesday").unwrap().ical(), "TU");
        assert_eq!(MeetingDay::parse("sunday").unwrap().to_string(), "sunday");
        for bad in ["Tuesday", "tue", ""] {
            assert!(MeetingDay::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(ClockTime::parse("09:30").unwrap().to_string(), "09:30");
        for bad in ["9:30", "24:00", "12:60", "12-30", "12:30:00"] {
            assert!(ClockTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zones() {
        assert_eq!(
            TimeZone::parse("Europe/Berlin").unwrap().name(),
            "Europe/Berlin"
        );
        for bad in ["Europe/Atlantis", "CEST+1", "", "../etc"] {
            assert!(TimeZone::parse(bad).is_err(), "{bad}");
        }
    }
}

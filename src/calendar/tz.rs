//! VTIMEZONE components for the IANA zones meetings name, built from the
//! tz database charter is compiled with, so that `TZID` parameters refer
//! to a definition inside the calendar as RFC 5545 §3.2.19 requires.

use chrono::{Duration, NaiveDate, NaiveDateTime, Offset, TimeZone as _, Utc};
use chrono_tz::{OffsetComponents, Tz};

use super::ical::Writer;

fn offset_at(tz: Tz, at: chrono::DateTime<Utc>) -> (i32, bool) {
    let local = tz.from_utc_datetime(&at.naive_utc());
    let offset = local.offset();
    (
        offset.fix().local_minus_utc(),
        offset.dst_offset() != Duration::zero(),
    )
}

fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// Every change of offset in `tz` between `from` and `to` (UTC instants),
/// found half a day at a time and then to the second.
fn transitions(tz: Tz, from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDateTime, i32, i32, bool)> {
    let mut found = Vec::new();
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let end = to.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let mut t = start;
    let mut before = offset_at(tz, t);
    while t < end {
        let next = t + Duration::hours(12);
        let after = offset_at(tz, next);
        if after != before {
            // Narrow to the second.
            let (mut lo, mut hi) = (t.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let at = chrono::DateTime::<Utc>::from_timestamp(mid, 0).unwrap_or(t);
                if offset_at(tz, at) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let hi = chrono::DateTime::<Utc>::from_timestamp(hi, 0).unwrap_or(next);
            // DTSTART of an observance is local time in the offset before it.
            let local = hi.naive_utc() + Duration::seconds(i64::from(before.0));
            found.push((local, before.0, after.0, after.1));
            before = after;
        }
        t = next;
    }
    found
}

/// Write a VTIMEZONE for `tz` covering the years `from` to `to`.
pub fn write_vtimezone(w: &mut Writer, tz: Tz, from: NaiveDate, to: NaiveDate) {
    w.line("BEGIN", "VTIMEZONE");
    w.line("TZID", tz.name());
    let changes = transitions(tz, from, to);
    if changes.is_empty() {
        let at = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let (offset, dst) = offset_at(tz, at);
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        w.line("BEGIN", kind);
        w.line("DTSTART", "19700101T000000");
        w.line("TZOFFSETFROM", &format_offset(offset));
        w.line("TZOFFSETTO", &format_offset(offset));
        w.line("END", kind);
    }
    for (local, before, after, dst) in changes {
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        w.line("BEGIN", kind);
        w.line("DTSTART", &local.format("%Y%m%dT%H%M%S").to_string());
        w.line("TZOFFSETFROM", &format_offset(before));
        w.line("TZOFFSETTO", &format_offset(after));
        w.line("END", kind);
    }
    w.line("END", "VTIMEZONE");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_2026() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let t = transitions(tz, d(2026, 1, 1), d(2027, 1, 1));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].0.to_string(), "2026-03-29 02:00:00");
        assert_eq!((t[0].1, t[0].2, t[0].3), (3600, 7200, true));
        assert_eq!(t[1].0.to_string(), "2026-10-25 03:00:00");
        assert_eq!(format_offset(-16200), "-0430");
    }
}

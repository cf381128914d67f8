//! The programme report as CSV: one row per agreement, with a header, for
//! spreadsheets. Quoting is the `csv` crate's; values that a spreadsheet
//! would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
//! get a leading `'`, as OWASP advises against CSV injection.

use std::io::{self, Write};

use super::Report;

/// The columns, in order.
pub const HEADER: [&str; 20] = [
    "id",
    "title",
    "state",
    "mentor_name",
    "mentor_email",
    "mentee_name",
    "mentee_email",
    "in_force_version",
    "in_force_since",
    "pending_version",
    "pending_since",
    "missing_signatures",
    "term_start",
    "term_end",
    "next_review",
    "review_overdue",
    "goals",
    "goals_overdue",
    "concluded",
    "template",
];

/// Make a value safe to open in a spreadsheet.
pub fn neutralise(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// Write the CSV.
pub fn write(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let opt = |d: Option<chrono::NaiveDate>| d.map_or_else(String::new, |d| d.to_string());
    for row in &r.agreements {
        let fields = [
            row.id.clone(),
            row.title.clone().unwrap_or_default(),
            row.state.as_str().to_owned(),
            row.mentor
                .as_ref()
                .map_or_else(String::new, |p| p.name.clone()),
            row.mentor
                .as_ref()
                .map_or_else(String::new, |p| p.email.clone()),
            row.mentee
                .as_ref()
                .map_or_else(String::new, |p| p.name.clone()),
            row.mentee
                .as_ref()
                .map_or_else(String::new, |p| p.email.clone()),
            row.in_force.clone().unwrap_or_default(),
            opt(row.in_force_since),
            row.pending.clone().unwrap_or_default(),
            opt(row.pending_since),
            crate::agreement::Role::join(&row.missing, " "),
            opt(row.term_start),
            opt(row.term_end),
            opt(row.next_review),
            row.review_overdue.to_string(),
            row.goals.to_string(),
            row.goals_overdue.to_string(),
            opt(row.concluded),
            row.template.clone().unwrap_or_default(),
        ];
        w.write_record(fields.iter().map(|f| neutralise(f)))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_neutralised() {
        for (raw, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM", "'@SUM"),
            ("Ada", "Ada"),
            ("2026-01-12", "2026-01-12"),
        ] {
            assert_eq!(super::neutralise(raw), safe);
        }
    }
}

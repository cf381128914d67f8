//! The programme report as one self-contained HTML page: inline CSS with a
//! print stylesheet, inline SVG bar charts (agreements by state, goals by
//! status, mentor load), no scripts and nothing fetched. Every value from
//! the repository is escaped.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Report;
use crate::render::escape::html as escape;

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.sub{color:#57606a;margin-top:0}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}.chart{flex:1 1 18rem}
svg text{font:12px system-ui,sans-serif;fill:#1b1f24}
.none{color:#57606a;font-style:italic}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}tr,svg{break-inside:avoid}.charts{display:block}a{color:inherit;text-decoration:none}}
";

/// A horizontal bar chart of labelled counts, as inline SVG.
fn bar_chart(title: &str, bars: &[(String, usize)], colour: &str) -> String {
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let row = 22;
    let label_width = 170;
    let bar_width = 200;
    let height = row * bars.len().max(1) + 28;
    let mut svg = format!(
        "<svg role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {w} {height}\" width=\"{w}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\"><title>{t}</title><text x=\"0\" y=\"14\" font-weight=\"bold\">{t}</text>",
        t = escape(title),
        w = label_width + bar_width + 50,
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = 24 + i * row;
        let width = (*n * bar_width).div_ceil(max);
        let shown: String = label.chars().take(26).collect();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{ty}\">{label}</text><rect x=\"{label_width}\" y=\"{y}\" width=\"{width}\" height=\"16\" fill=\"{colour}\"><title>{full}: {n}</title></rect><text x=\"{tx}\" y=\"{ty}\">{n}</text>",
            ty = y + 12,
            label = escape(&shown),
            full = escape(label),
            tx = label_width + width + 6,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn table(out: &mut String, head: &[&str], rows: Vec<Vec<String>>, numeric: &[usize]) {
    if rows.is_empty() {
        out.push_str("<p class=\"none\">None.</p>\n");
        return;
    }
    out.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric.contains(&i) {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

/// Write the page.
pub fn write(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    let title = match &r.program {
        Some(name) => format!("{name}: programme report"),
        None => "Programme report".to_owned(),
    };
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"sub\">As of {today}: {n} agreements{party}.</p>\n",
        t = escape(&title),
        today = r.today,
        n = r.total,
        party = r
            .filters
            .party
            .as_ref()
            .map_or_else(String::new, |p| format!(" involving {}", escape(p))),
    );
    let states: Vec<(String, usize)> = r
        .states()
        .into_iter()
        .map(|(s, n)| (s.to_owned(), n))
        .collect();
    let goals: Vec<(String, usize)> = r
        .goal_statuses()
        .into_iter()
        .map(|(s, n)| (s.to_owned(), n))
        .collect();
    let load: Vec<(String, usize)> = r
        .mentor_load
        .iter()
        .take(20)
        .map(|m| (m.mentor.name.clone(), m.in_force))
        .collect();
    page.push_str("<div class=\"charts\">\n");
    for svg in [
        bar_chart("Agreements by state", &states, "#0969da"),
        bar_chart("Goals by status (in force)", &goals, "#1a7f37"),
        bar_chart("Mentor load (top 20)", &load, "#8250df"),
    ] {
        let _ = writeln!(page, "<div class=\"chart\">{svg}</div>");
    }
    page.push_str("</div>\n");

    let _ = writeln!(
        page,
        "<h2>Waiting for signatures longer than {} days ({})</h2>",
        r.filters.stale_days,
        r.waiting.len()
    );
    table(
        &mut page,
        &["agreement", "since", "days", "must sign"],
        r.waiting
            .iter()
            .map(|w| {
                let who: Vec<String> = w
                    .missing
                    .iter()
                    .zip(&w.who)
                    .map(|(role, email)| format!("{role} {email}"))
                    .collect();
                vec![
                    w.id.clone(),
                    w.since.to_string(),
                    w.days.to_string(),
                    who.join(", "),
                ]
            })
            .collect(),
        &[2],
    );
    let _ = writeln!(
        page,
        "<h2>Reviews overdue ({})</h2>",
        r.reviews_overdue.len()
    );
    table(
        &mut page,
        &["agreement", "due", "days"],
        r.reviews_overdue
            .iter()
            .map(|o| vec![o.id.clone(), o.due.to_string(), o.days.to_string()])
            .collect(),
        &[2],
    );
    let _ = writeln!(page, "<h2>Goals overdue ({})</h2>", r.goals.overdue.len());
    table(
        &mut page,
        &["agreement", "goal", "due", "status"],
        r.goals
            .overdue
            .iter()
            .map(|g| {
                vec![
                    g.id.clone(),
                    g.goal.clone(),
                    g.due.to_string(),
                    g.status.as_str().to_owned(),
                ]
            })
            .collect(),
        &[],
    );
    let _ = writeln!(page, "<h2>Mentor load</h2>");
    table(
        &mut page,
        &["mentor", "email", "in force", "agreements"],
        r.mentor_load
            .iter()
            .map(|m| {
                vec![
                    m.mentor.name.clone(),
                    m.mentor.email.clone(),
                    m.in_force.to_string(),
                    m.agreements.join(", "),
                ]
            })
            .collect(),
        &[2],
    );
    let _ = writeln!(
        page,
        "<h2>Ended without concluding ({})</h2>",
        r.ended_unconcluded.len()
    );
    table(
        &mut page,
        &["agreement", "term ended"],
        r.ended_unconcluded
            .iter()
            .map(|e| vec![e.id.clone(), date(e.term_end)])
            .collect(),
        &[],
    );
    let _ = writeln!(
        page,
        "<h2>Upcoming notice ends ({})</h2>",
        r.notice_ends.len()
    );
    table(
        &mut page,
        &["agreement", "opened", "notice ends", "effective", "in days"],
        r.notice_ends
            .iter()
            .map(|n| {
                vec![
                    n.id.clone(),
                    n.opened.to_string(),
                    n.earliest_effective.to_string(),
                    date(n.effective),
                    n.days.to_string(),
                ]
            })
            .collect(),
        &[4],
    );
    let _ = writeln!(page, "<h2>Agreements ({})</h2>", r.agreements.len());
    table(
        &mut page,
        &[
            "agreement",
            "title",
            "state",
            "mentor",
            "mentee",
            "term ends",
            "next review",
            "goals overdue",
        ],
        r.agreements
            .iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    a.title.clone().unwrap_or_default(),
                    a.state.as_str().to_owned(),
                    a.mentor
                        .as_ref()
                        .map_or_else(String::new, |p| p.name.clone()),
                    a.mentee
                        .as_ref()
                        .map_or_else(String::new, |p| p.name.clone()),
                    date(a.term_end),
                    date(a.next_review),
                    a.goals_overdue.to_string(),
                ]
            })
            .collect(),
        &[7],
    );
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<img src=x onerror='a'>&\""),
            "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;"
        );
    }

    #[test]
    fn chart_labels_are_escaped() {
        let svg = super::bar_chart("t", &[("<b>".to_owned(), 3)], "#000");
        assert!(svg.contains("&lt;b&gt;"));
        assert!(!svg.contains("<b>"));
    }
}

//! Check-ins on the `show` page: a markdown table, and for HTML the same
//! table plus two inline SVG charts (scores over time, goal status over
//! time). The charts use no scripts and no external files, and tell series
//! apart by dash pattern, marker and label as well as colour, so that they
//! stay readable when printed in black and white.

use std::fmt::Write as _;

/// One check-in as the page shows it.
#[derive(Debug, Clone)]
pub struct CheckinRow {
    /// The day of the check-in.
    pub date: String,
    /// `mentor` or `mentee`.
    pub by: String,
    /// Whether it was the periodic review.
    pub review: bool,
    /// Goal id, status, note.
    pub goals: Vec<(String, String, Option<String>)>,
    /// Scorecard heading and score.
    pub scores: Vec<(String, u8)>,
    /// The short note.
    pub note: Option<String>,
}

fn goals_text(row: &CheckinRow) -> String {
    row.goals
        .iter()
        .map(|(id, status, note)| match note {
            Some(n) => format!("{id}: {status} ({n})"),
            None => format!("{id}: {status}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn scores_text(row: &CheckinRow) -> String {
    row.scores
        .iter()
        .map(|(h, n)| format!("{h}: {n}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The check-ins as a GitHub-flavoured markdown table, oldest first.
pub fn markdown_table(rows: &[CheckinRow], escape: &dyn Fn(&str) -> String) -> String {
    let cell = |s: &str| escape(s).replace('|', "\\|");
    let mut out =
        String::from("| Date | By | Review | Goals | Scores | Note |\n|---|---|---|---|---|---|\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.date,
            r.by,
            if r.review { "yes" } else { "no" },
            cell(&goals_text(r)),
            cell(&scores_text(r)),
            cell(r.note.as_deref().unwrap_or(""))
        );
    }
    out.push('\n');
    out
}

/// The check-ins as an HTML table.
pub fn html_table(rows: &[CheckinRow], esc: &dyn Fn(&str) -> String) -> String {
    let mut out = String::from("<table class=\"checkins\">\n<thead><tr><th>Date</th><th>By</th><th>Review</th><th>Goals</th><th>Scores</th><th>Note</th></tr></thead>\n<tbody>\n");
    for r in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.date),
            esc(&r.by),
            if r.review { "yes" } else { "no" },
            esc(&goals_text(r)),
            esc(&scores_text(r)),
            esc(r.note.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

const STROKES: [(&str, &str); 6] = [
    ("#1f4e79", ""),
    ("#b8470b", "6 3"),
    ("#2e7d32", "2 3"),
    ("#6a1b9a", "8 3 2 3"),
    ("#555555", "1 2"),
    ("#8d6e00", "10 4"),
];

/// Scores under each scorecard heading over time, as an inline SVG line
/// chart; `None` when no check-in carries a score.
pub fn score_chart(
    rows: &[CheckinRow],
    headings: &[String],
    esc: &dyn Fn(&str) -> String,
) -> Option<String> {
    let scored: Vec<&CheckinRow> = rows.iter().filter(|r| !r.scores.is_empty()).collect();
    if scored.is_empty() {
        return None;
    }
    let (left, top, plot_w, plot_h) = (40.0_f64, 20.0_f64, 480.0_f64, 160.0_f64);
    let legend_h = 18.0 * headings.len() as f64;
    let (width, height) = (left + plot_w + 20.0, top + plot_h + 40.0 + legend_h);
    let x = |i: usize| {
        if scored.len() == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (scored.len() - 1) as f64
        }
    };
    let y = |score: u8| top + plot_h - plot_h * f64::from(score - 1) / 4.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" aria-labelledby=\"scores-title\">\n<title id=\"scores-title\">Scores over time (1 to 5)</title>"
    );
    for score in 1..=5u8 {
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{yy}\" x2=\"{x2}\" y2=\"{yy}\" stroke=\"#cccccc\" stroke-width=\"1\"/>\n<text x=\"{tx}\" y=\"{ty}\" font-size=\"11\" text-anchor=\"end\">{score}</text>",
            yy = y(score),
            x2 = left + plot_w,
            tx = left - 6.0,
            ty = y(score) + 4.0
        );
    }
    for (i, r) in scored.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            x(i),
            top + plot_h + 16.0,
            esc(&r.date)
        );
    }
    for (n, heading) in headings.iter().enumerate() {
        let (colour, dash) = STROKES[n % STROKES.len()];
        let points: Vec<(f64, f64)> = scored
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.scores
                    .iter()
                    .find(|(h, _)| h == heading)
                    .map(|(_, s)| (x(i), y(*s)))
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let path: Vec<String> = points.iter().map(|(px, py)| format!("{px},{py}")).collect();
        let dash_attr = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash_attr} points=\"{}\"><title>{}</title></polyline>",
            path.join(" "),
            esc(heading)
        );
        for (px, py) in &points {
            let _ = writeln!(
                svg,
                "<circle cx=\"{px}\" cy=\"{py}\" r=\"3.5\" fill=\"{colour}\"/>"
            );
        }
        let ly = top + plot_h + 36.0 + 18.0 * n as f64;
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"{dash_attr}/>\n<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
            left + 30.0,
            left + 38.0,
            ly + 4.0,
            esc(heading)
        );
    }
    svg.push_str("</svg>\n");
    Some(svg)
}

fn status_fill(status: &str) -> &'static str {
    match status {
        "done" => "#c8e6c9",
        "on-track" => "#e3f2fd",
        "at-risk" => "#ffcdd2",
        "dropped" => "#eeeeee",
        _ => "#ffffff",
    }
}

/// Each goal's status at each check-in that reports it, as an inline SVG
/// grid with the status written in every cell; `None` when no check-in
/// reports a goal.
pub fn goal_chart(
    rows: &[CheckinRow],
    goal_ids: &[String],
    esc: &dyn Fn(&str) -> String,
) -> Option<String> {
    let reported: Vec<&CheckinRow> = rows.iter().filter(|r| !r.goals.is_empty()).collect();
    if reported.is_empty() {
        return None;
    }
    let (label_w, cell_w, cell_h, top) = (150.0_f64, 84.0_f64, 26.0_f64, 24.0_f64);
    let width = label_w + cell_w * reported.len() as f64 + 10.0;
    let height = top + cell_h * goal_ids.len() as f64 + 10.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" aria-labelledby=\"goals-title\">\n<title id=\"goals-title\">Goal status at each check-in</title>"
    );
    for (i, r) in reported.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"16\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            label_w + cell_w * (i as f64 + 0.5),
            esc(&r.date)
        );
    }
    for (g, id) in goal_ids.iter().enumerate() {
        let gy = top + cell_h * g as f64;
        let _ = writeln!(
            svg,
            "<text x=\"4\" y=\"{}\" font-size=\"11\">{}</text>",
            gy + cell_h / 2.0 + 4.0,
            esc(id)
        );
        for (i, r) in reported.iter().enumerate() {
            let Some((_, status, _)) = r.goals.iter().find(|(gid, _, _)| gid == id) else {
                continue;
            };
            let gx = label_w + cell_w * i as f64;
            let _ = writeln!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#888888\"/>\n<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                gx + 2.0,
                gy + 2.0,
                cell_w - 4.0,
                cell_h - 4.0,
                status_fill(status),
                gx + cell_w / 2.0,
                gy + cell_h / 2.0 + 4.0,
                esc(status)
            );
        }
    }
    svg.push_str("</svg>\n");
    Some(svg)
}

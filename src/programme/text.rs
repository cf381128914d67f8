//! The programme report for people: plain text for a terminal, and
//! GitHub-flavoured markdown for a CI job summary.

use std::io::{self, Write};

use super::Report;

fn heading(report: &Report) -> String {
    match &report.program {
        Some(name) => format!("{name}: programme report for {}", report.today),
        None => format!("Programme report for {}", report.today),
    }
}

fn short(version: &Option<String>) -> &str {
    version.as_deref().and_then(|v| v.get(7..19)).unwrap_or("-")
}

/// Plain text, one section per question a programme lead asks.
pub fn text(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(out, "{}", heading(r))?;
    writeln!(out, "{} agreements", r.total)?;
    for (state, n) in r.states() {
        writeln!(out, "  {state:<10} {n}")?;
    }
    writeln!(
        out,
        "\nWaiting for signatures longer than {} days: {}",
        r.filters.stale_days,
        r.waiting.len()
    )?;
    for w in &r.waiting {
        writeln!(
            out,
            "  {} {} since {} ({} days): {}",
            w.id,
            short(&w.version),
            w.since,
            w.days,
            sign_by(&w.missing, &w.who)
        )?;
    }
    writeln!(out, "\nReviews overdue: {}", r.reviews_overdue.len())?;
    for o in &r.reviews_overdue {
        writeln!(out, "  {} due {} ({} days ago)", o.id, o.due, o.days)?;
    }
    writeln!(out, "\nGoals of agreements in force:")?;
    for (status, n) in r.goal_statuses() {
        writeln!(out, "  {status:<12} {n}")?;
    }
    writeln!(out, "Goals overdue: {}", r.goals.overdue.len())?;
    for g in &r.goals.overdue {
        writeln!(
            out,
            "  {} {} due {} ({})",
            g.id,
            g.goal,
            g.due,
            g.status.as_str()
        )?;
    }
    writeln!(out, "\nMentor load (agreements in force):")?;
    for m in &r.mentor_load {
        writeln!(
            out,
            "  {:>3}  {} <{}>",
            m.in_force, m.mentor.name, m.mentor.email
        )?;
    }
    writeln!(
        out,
        "\nEnded without concluding: {}",
        r.ended_unconcluded.len()
    )?;
    for e in &r.ended_unconcluded {
        let end = e.term_end.map_or("?".to_owned(), |d| d.to_string());
        writeln!(out, "  {} (term ended {end})", e.id)?;
    }
    writeln!(out, "\nUpcoming notice ends: {}", r.notice_ends.len())?;
    for n in &r.notice_ends {
        writeln!(
            out,
            "  {} opened {}, notice ends {} (in {} days)",
            n.id, n.opened, n.earliest_effective, n.days
        )?;
    }
    Ok(())
}

fn sign_by(roles: &[crate::agreement::Role], who: &[String]) -> String {
    let parts: Vec<String> = roles
        .iter()
        .zip(who)
        .map(|(r, w)| format!("{r} {w}"))
        .collect();
    if parts.is_empty() {
        "no signature missing".to_owned()
    } else {
        format!("waiting for {}", parts.join(" and "))
    }
}

/// Escape text for a markdown table cell or line: no HTML, no table breaks,
/// no emphasis or links from the data.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// GitHub-flavoured markdown, for `$GITHUB_STEP_SUMMARY`.
pub fn markdown(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(out, "## {}\n", md(&heading(r)))?;
    writeln!(out, "**{}** agreements.\n", r.total)?;
    writeln!(out, "| state | agreements |\n|---|---:|")?;
    for (state, n) in r.states() {
        writeln!(out, "| {state} | {n} |")?;
    }
    writeln!(
        out,
        "\n### Waiting for signatures longer than {} days ({})\n",
        r.filters.stale_days,
        r.waiting.len()
    )?;
    if !r.waiting.is_empty() {
        writeln!(
            out,
            "| agreement | since | days | must sign |\n|---|---|---:|---|"
        )?;
        for w in &r.waiting {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&w.id),
                w.since,
                w.days,
                md(&sign_by(&w.missing, &w.who))
            )?;
        }
    }
    writeln!(out, "\n### Reviews overdue ({})\n", r.reviews_overdue.len())?;
    if !r.reviews_overdue.is_empty() {
        writeln!(out, "| agreement | due | days |\n|---|---|---:|")?;
        for o in &r.reviews_overdue {
            writeln!(out, "| {} | {} | {} |", md(&o.id), o.due, o.days)?;
        }
    }
    writeln!(out, "\n### Goals of agreements in force\n")?;
    writeln!(out, "| status | goals |\n|---|---:|")?;
    for (status, n) in r.goal_statuses() {
        writeln!(out, "| {status} | {n} |")?;
    }
    writeln!(out, "\n**Overdue goals: {}**\n", r.goals.overdue.len())?;
    if !r.goals.overdue.is_empty() {
        writeln!(
            out,
            "| agreement | goal | due | status |\n|---|---|---|---|"
        )?;
        for g in &r.goals.overdue {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&g.id),
                md(&g.goal),
                g.due,
                g.status.as_str()
            )?;
        }
    }
    writeln!(out, "\n### Mentor load\n")?;
    if !r.mentor_load.is_empty() {
        writeln!(out, "| mentor | in force |\n|---|---:|")?;
        for m in &r.mentor_load {
            writeln!(
                out,
                "| {} &lt;{}&gt; | {} |",
                md(&m.mentor.name),
                md(&m.mentor.email),
                m.in_force
            )?;
        }
    }
    writeln!(
        out,
        "\n### Ended without concluding ({})\n",
        r.ended_unconcluded.len()
    )?;
    for e in &r.ended_unconcluded {
        let end = e.term_end.map_or("?".to_owned(), |d| d.to_string());
        writeln!(out, "- {} (term ended {end})", md(&e.id))?;
    }
    writeln!(
        out,
        "\n### Upcoming notice ends ({})\n",
        r.notice_ends.len()
    )?;
    for n in &r.notice_ends {
        writeln!(
            out,
            "- {}: opened {}, notice ends {} (in {} days)",
            md(&n.id),
            n.opened,
            n.earliest_effective,
            n.days
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_escapes_data() {
        assert_eq!(
            super::md("<script>|*x*_[a](b)\n"),
            "&lt;script&gt;\\|\\*x\\*\\_\\[a\\](b) "
        );
    }
}

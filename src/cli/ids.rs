//! Agreement ids on the command line: every command that takes an id also
//! takes the path of the agreement's file (`agreements/ada-grace.yaml`,
//! `./agreements/ada-grace.yaml`), and every command words an unknown id
//! the same way, with "did you mean …" from the ids that exist.
//!
//! A path is only ever reduced to its id: it must name a `.yaml` file
//! directly inside the agreements directory, and charter then opens
//! `<agreements>/<id>.yaml` itself, never the path as given.

use charter::agreement::types::is_valid_id;
use charter::workspace::Workspace;

use super::error::CliError;
use super::Global;

/// The agreement id `arg` names: an id, or a path (relative to the current
/// directory) to a file `<agreements>/<id>.yaml`.
pub fn agreement_id(arg: &str, ws: &Workspace, global: &Global) -> Result<String, CliError> {
    if is_valid_id(arg) {
        return Ok(arg.to_owned());
    }
    let looks_like_path = arg.contains('/') || arg.ends_with(".yaml") || arg.ends_with(".yml");
    if !looks_like_path {
        super::check_id(arg)?;
    }
    let dir = ws.layout.agreements.trim_end_matches('/');
    let not_an_agreement = || {
        CliError::new(format!(
            "`{arg}` is neither an agreement id nor a file in {dir}/"
        ))
        .hint(format!(
            "give the id (the file stem of {dir}/<id>.yaml, e.g. ada-grace) or the path of the agreement's file, e.g. {dir}/ada-grace.yaml"
        ))
    };
    let rel = ws
        .relative(&global.cwd, arg)
        .map_err(|_| not_an_agreement())?;
    agreement_file_id(dir, &rel).ok_or_else(not_an_agreement)?
}

/// The id of `rel` when it is a YAML file directly in the agreements
/// directory `dir`: `Some(Ok)` for an agreement's file, `Some(Err)` with the
/// naming problem's advice for a misnamed one (`ada-grace.yml`), `None` for
/// any other path.
fn agreement_file_id(dir: &str, rel: &str) -> Option<Result<String, CliError>> {
    use charter::agreement::file_name::{id_in, is_yaml, problem};
    if let Some(id) = id_in(dir, rel) {
        return Some(Ok(id.to_owned()));
    }
    let name = rel.strip_prefix(dir)?.strip_prefix('/')?;
    if name.contains('/') || !is_yaml(name) {
        return None;
    }
    let problem = problem(rel)?;
    Some(Err(
        CliError::new(format!("{rel}: {}", problem.message)).hint(problem.hint)
    ))
}

/// The agreement ids `args` name (ids or paths, as [`agreement_id`] reads
/// them), `None` when one of them is the agreements directory itself,
/// which names them all (`charter diff -- agreements`).
pub fn agreement_ids(
    args: &[String],
    ws: &Workspace,
    global: &Global,
) -> Result<Option<Vec<String>>, CliError> {
    let dir = ws.layout.agreements.trim_end_matches('/');
    let mut ids = Vec::with_capacity(args.len());
    for arg in args {
        let names_dir = !is_valid_id(arg) || global.cwd.join(arg).is_dir();
        if names_dir && ws.relative(&global.cwd, arg).is_ok_and(|rel| rel == dir) {
            return Ok(None);
        }
        ids.push(agreement_id(arg, ws, global)?);
    }
    Ok(Some(ids))
}

/// The record at HEAD of agreement `id`, for the commands that write to its
/// history (`checkin`, `decline`, `conclude`, `withdraw`): an id that never
/// named a file at HEAD or before is worded as every command words an
/// unknown id, rather than as "nothing signed" or "nothing to decline";
/// and an uncommitted move of the layout is refused, since the record
/// would be written where HEAD does not look.
pub fn record_at_head(
    repo: &git2::Repository,
    id: &str,
    today: chrono::NaiveDate,
    ws: &Workspace,
) -> Result<charter::record::RecordAt, CliError> {
    let at = charter::record::load_at_head(repo, id, today)?;
    ws.refuse_uncommitted_layout(&at.inputs.layout)?;
    if at.record.history.points.is_empty() {
        return Err(unknown_agreement(id, "at HEAD", ws, &ws.known_ids()));
    }
    Ok(at)
}

/// The error for an id that names no agreement, worded the same by every
/// command: `where_` says where charter looked (`in the working tree`, `at
/// HEAD`), and the hint suggests the closest known id.
pub fn unknown_agreement(id: &str, where_: &str, ws: &Workspace, known: &[String]) -> CliError {
    let dir = ws.layout.agreements.trim_end_matches('/');
    let error = CliError::new(format!(
        "no agreement `{id}`: {dir}/{id}.yaml does not exist {where_}"
    ));
    match suggestion(id, known) {
        Some(hint) => error.hint(hint),
        None if known.is_empty() => error.hint(format!(
            "there are no agreements in {dir}/ yet; create one with `charter new {id} --mentor \"Name <email>\" --mentee \"Name <email>\"`"
        )),
        None => error.hint(format!("the agreements are: {}", known.join(", "))),
    }
}

/// "did you mean `ada-grace`?" when a known id is close to `id`: the one
/// wording of the suggestion, whichever command makes it.
pub fn suggestion(id: &str, known: &[String]) -> Option<String> {
    did_you_mean(id, known).map(|close| format!("did you mean `{close}`?"))
}

/// The known id closest to `id` by edit distance, when it is close enough
/// to be a typo (at most a third of the id's length, and at least one edit
/// allowed), or when `id` is a prefix of exactly one.
pub fn did_you_mean<'a>(id: &str, known: &'a [String]) -> Option<&'a str> {
    let limit = (id.chars().count() / 3).max(1);
    let best = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(id, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str());
    best.or_else(|| {
        let prefixed: Vec<&String> = known.iter().filter(|k| k.starts_with(id)).collect();
        match prefixed.as_slice() {
            [only] if !id.is_empty() => Some(only.as_str()),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_the_closest_id() {
        let known: Vec<String> = ["ada-grace", "lin-sam-onboarding", "ben-cho"]
            .map(String::from)
            .to_vec();
        assert_eq!(did_you_mean("adagrace", &known), Some("ada-grace"));
        assert_eq!(did_you_mean("ada-garce", &known), Some("ada-grace"));
        assert_eq!(did_you_mean("lin-sam", &known), Some("lin-sam-onboarding"));
        assert_eq!(did_you_mean("ben-chi", &known), Some("ben-cho"));
        assert_eq!(did_you_mean("zzz", &known), None);
        assert_eq!(did_you_mean("x", &[]), None);
    }
}

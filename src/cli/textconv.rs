//! `charter textconv FILE`: an agreement as one sorted `path: value` line per
//! value, for `diff.charter.textconv`.
//!
//! git diffs the output of a textconv filter line by line. Flattened, sorted
//! lines make that diff say what changed (`goals[design-review].due:
//! 2026-05-15`) whatever the file's layout, so `git log -p` without
//! `--ext-diff` and tools that do not run external diff drivers read well
//! too. A file that does not parse is printed unchanged.

use std::io::{Read, Write};
use std::path::PathBuf;

use charter::agreement::lint::{self, Context};
use charter::diff;
use charter::document::MAX_FILE_BYTES;
use serde_json::Value;

use super::error::{code, CliError, CliResult};
use super::Global;

/// Arguments of `charter textconv`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agreement file to render (git passes a temporary copy).
    pub file: PathBuf,
}

/// Print the flattened rendering, or the file as it is when it does not parse.
pub fn run(args: &Args, global: &Global) -> CliResult {
    let path = global.cwd.join(&args.file);
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let name = args.file.to_string_lossy();
    let (parsed, _) = lint::check(&name, &bytes, &Context::default());
    let mut out = std::io::stdout().lock();
    match (parsed.version(), parsed.data()) {
        (Some(version), Some(data)) => {
            writeln!(out, "# version {version}")?;
            let mut lines = Vec::new();
            flatten(String::new(), data, &mut lines);
            for (path, value) in lines {
                writeln!(out, "{}: {value}", visible(&path))?;
            }
        }
        _ => out.write_all(&bytes)?,
    }
    out.flush()?;
    Ok(code::OK)
}

/// Collect `(path, value)` for every scalar (and empty collection) below
/// `value`: mapping keys sorted, list items in order, each named as the
/// semantic diff names it ([`diff::key_path`], [`diff::item_paths_by_id`]).
fn flatten(path: String, value: &Value, lines: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for key in keys {
                flatten(diff::key_path(&path, key), &map[key], lines);
            }
        }
        Value::Array(items) if !items.is_empty() => match diff::item_paths_by_id(&path, items) {
            Some(paths) => {
                for (at, item) in paths.into_iter().zip(items) {
                    let mut rest = item.as_object().cloned().unwrap_or_default();
                    // The id is in the path already; keep it only when alone.
                    if rest.len() > 1 {
                        rest.remove("id");
                    }
                    flatten(at, &Value::Object(rest), lines);
                }
            }
            None => {
                for (index, item) in items.iter().enumerate() {
                    flatten(diff::index_path(&path, index), item, lines);
                }
            }
        },
        _ => lines.push((path, scalar(value))),
    }
}

/// A scalar on one line: strings as written unless they could be misread
/// (empty, padded, multi-line, or looking like another type), which are
/// quoted as JSON; everything else as JSON.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) if !needs_quotes(s) => s.clone(),
        _ => visible(&value.to_string()),
    }
}

/// Text with the invisible characters JSON leaves raw (format characters
/// such as bidirectional overrides) spelt out: a quoted key in a path, a
/// quoted value.
fn visible(json: &str) -> String {
    charter::render::escape::text(json).into_owned()
}

fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.trim() != s
        || charter::render::escape::needs_escape(s)
        || s.starts_with('"')
        || matches!(s, "true" | "false" | "null" | "{}" | "[]")
        || s.parse::<i64>().is_ok()
}

//! How agreement files are named: `<agreements>/<id>.yaml`, one rule for
//! every command.
//!
//! The id is the file stem, so the name is the only place an agreement's
//! identity comes from. If one command read `ada-grace.yml` as the
//! agreement `ada-grace` while history, sign-offs and `check` ignore it, a
//! reviewer would see a diff of a file that can never be signed. So only
//! `.yaml` names an agreement; a `.yml` file in the agreements directory is
//! looked at only to say how to rename it.

use super::types::is_valid_id;

/// The extension of every agreement file; the id is what comes before it.
pub const EXTENSION: &str = ".yaml";

/// The extension people often give YAML files instead; charter never reads
/// such a file as an agreement, but names it so the mistake is not silent.
const MISTAKEN_EXTENSION: &str = ".yml";

/// Whether a file in the agreements directory is one charter must look at:
/// every YAML file, so that a misnamed one is reported rather than skipped
/// without a word. Whether it is an agreement is [`id_of`]'s answer.
pub fn is_yaml(name: &str) -> bool {
    name.ends_with(EXTENSION) || name.ends_with(MISTAKEN_EXTENSION)
}

/// The agreement id a path names, if it is `<dir>/<id>.yaml` with a valid
/// id; `None` for anything else, which is then never read as an agreement.
pub fn id_of(file: &str) -> Option<&str> {
    base_name(file)
        .strip_suffix(EXTENSION)
        .filter(|stem| is_valid_id(stem))
}

/// The agreement id of `rel` when it is an agreement file directly inside
/// the agreements directory `dir` (`<dir>/<id>.yaml`); `None` for a file
/// anywhere else, which is then never taken for an agreement.
pub fn id_in<'a>(dir: &str, rel: &'a str) -> Option<&'a str> {
    let name = rel
        .strip_prefix(dir.trim_end_matches('/'))?
        .strip_prefix('/')?;
    if name.contains('/') {
        return None;
    }
    id_of(name)
}

/// Why a file is not named like an agreement, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    /// What is wrong with the name, without the file (the caller names it).
    pub message: String,
    /// How to name it instead.
    pub hint: String,
}

/// What is wrong with the name of the YAML file `file`, `None` when
/// [`id_of`] accepts it. Validation reports it as a finding and `diff` as
/// an error, in the same words, so the advice does not depend on the
/// command that found the file.
pub fn problem(file: &str) -> Option<NameProblem> {
    if id_of(file).is_some() {
        return None;
    }
    let name = base_name(file);
    let (stem, mistaken) = match name.strip_suffix(EXTENSION) {
        Some(stem) => (stem, false),
        None => match name.strip_suffix(MISTAKEN_EXTENSION) {
            Some(stem) => (stem, true),
            None => (name, false),
        },
    };
    if mistaken && is_valid_id(stem) {
        let renamed = &file[..file.len() - MISTAKEN_EXTENSION.len()];
        return Some(NameProblem {
            message: format!(
                "agreement files end in {EXTENSION}, so charter does not read `{name}` as the agreement `{stem}`"
            ),
            hint: format!("rename it to {renamed}{EXTENSION}"),
        });
    }
    Some(NameProblem {
        message: format!("`{stem}` is not a valid agreement id"),
        hint: format!(
            "rename the file to <id>{EXTENSION} with an id of lowercase letters, digits and dashes, starting with a letter or digit, at most 64 characters"
        ),
    })
}

/// The last component of a repository-relative path.
fn base_name(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a file directly in the agreements directory names an agreement.
    #[test]
    fn an_id_comes_from_a_file_directly_in_the_directory() {
        assert_eq!(
            id_in("agreements", "agreements/ada-grace.yaml"),
            Some("ada-grace")
        );
        assert_eq!(
            id_in("records/", "records/ada-grace.yaml"),
            Some("ada-grace")
        );
        assert_eq!(id_in("agreements", "agreements/old/ada-grace.yaml"), None);
        assert_eq!(id_in("agreements", "agreementsx/ada-grace.yaml"), None);
        assert_eq!(id_in("agreements", "agreements/ada-grace.yml"), None);
        assert_eq!(id_in("agreements", "elsewhere/ada-grace.yaml"), None);
    }

    #[test]
    fn ids_from_paths() {
        assert_eq!(id_of("agreements/ada-grace.yaml"), Some("ada-grace"));
        assert_eq!(id_of("ada-grace.yaml"), Some("ada-grace"));
        assert_eq!(id_of("agreements/Ada.yaml"), None);
        assert_eq!(id_of("agreements/x.yml"), None);
        assert_eq!(id_of("agreements/.yaml"), None);
    }

    #[test]
    fn yaml_files_include_the_mistaken_extension() {
        assert!(is_yaml("ada-grace.yaml"));
        assert!(is_yaml("ada-grace.yml"));
        assert!(!is_yaml("README.md"));
        assert!(!is_yaml(".gitkeep"));
    }

    #[test]
    fn a_yml_file_is_told_to_take_the_yaml_extension() {
        assert_eq!(problem("agreements/ada-grace.yaml"), None);
        let p = problem("docs/agreements/ada-grace.yml").unwrap();
        assert_eq!(
            p.message,
            "agreement files end in .yaml, so charter does not read `ada-grace.yml` as the agreement `ada-grace`"
        );
        assert_eq!(p.hint, "rename it to docs/agreements/ada-grace.yaml");
    }

    #[test]
    fn an_invalid_stem_is_an_invalid_id_whatever_the_extension() {
        for file in ["agreements/Ada.yaml", "agreements/Ada.yml"] {
            let p = problem(file).unwrap();
            assert_eq!(p.message, "`Ada` is not a valid agreement id", "{file}");
            assert!(p.hint.starts_with("rename the file to <id>.yaml"), "{file}");
        }
        let p = problem("agreements/notes.txt").unwrap();
        assert_eq!(p.message, "`notes.txt` is not a valid agreement id");
    }
}

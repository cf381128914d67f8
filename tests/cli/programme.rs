//! Programme templates (`new --template`, `init`, `template-drift`,
//! `diff --template`) and the programme policy of charter.yaml (`validate`,
//! `check`, `check --base` reading it from base).

use crate::common::{findings_json, stderr, stdout, Env};
use crate::snap;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn minimal() -> String {
    std::fs::read_to_string(format!("{FIXTURES}/valid-minimal.yaml")).unwrap()
}

/// Replace every `<placeholder>` (never an email) with plain words.
fn fill(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        match rest[start..].find('>') {
            Some(len) if !rest[start..start + len].contains('@') => {
                out.push_str(&rest[..start]);
                out.push_str("filled in");
                rest = &rest[start + len + 1..];
            }
            _ => {
                out.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn rules(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

const NEW: &[&str] = &[
    "new",
    "ada-grace",
    "--template",
    "default",
    "--mentor",
    "Grace Hopper <grace@example.com>",
    "--mentee",
    "Ada \"A\" Lovelace <ada@example.com>",
];

#[test]
fn templates_from_init_to_drift() {
    let env = Env::new();
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("init", snap::render(&env, &out));
    let builtin = env.read("templates/default.yaml");
    assert!(builtin.contains("{{mentor_name}}"), "{builtin}");
    // init never overwrites a template a lead has edited.
    let edited = builtin.replace("notice: 14d", "notice: 21d");
    env.write("templates/default.yaml", &edited);
    let out = env.run(&["init"]);
    insta::assert_snapshot!("init_again", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("skipped templates/default.yaml"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.read("templates/default.yaml"), edited);
    env.commit_all("Programme template", "2026-01-05T10:00:00Z");

    let out = env.run(NEW);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("new_from_template", snap::render(&env, &out));
    let text = env.read("agreements/ada-grace.yaml");
    assert!(
        text.contains("notice: 21d"),
        "made from the edited template"
    );
    assert!(text.contains("effective: 2026-11-21"), "{text}");
    let version = charter::template::version_of("t", edited.as_bytes()).unwrap();
    assert!(
        text.contains(&format!(
            "template: {{ name: default, version: \"{}\" }}",
            version.as_str()
        )),
        "{text}"
    );
    let (parsed, _) = charter::agreement::lint::check(
        "agreements/ada-grace.yaml",
        fill(&text).as_bytes(),
        &Default::default(),
    );
    let agreement = parsed.agreement().expect("valid once filled").clone();
    assert_eq!(agreement.parties.mentee.name, "Ada \"A\" Lovelace");
    assert_eq!(agreement.template.unwrap().name, "default");

    // Placeholders are still errors until filled.
    insta::assert_snapshot!(
        "placeholders",
        snap::run(&env, &["validate", "--color", "never"])
    );
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(rules(&findings_json(&out)).contains(&"placeholder".to_owned()));

    env.write("agreements/ada-grace.yaml", fill(&text));
    env.commit_all("Add ada-grace", "2026-01-06T10:00:00Z");
    let check = |env: &Env, format: &str| env.run(&["check", "--format", format]);
    let out = check(&env, "json");
    assert!(!rules(&findings_json(&out)).contains(&"template-drift".to_owned()));

    // A comment in the template is not a change; a new notice is.
    env.write(
        "templates/default.yaml",
        format!("# reviewed 2026\n{edited}"),
    );
    env.commit_all("Comment the template", "2026-01-07T10:00:00Z");
    let out = check(&env, "json");
    assert!(!rules(&findings_json(&out)).contains(&"template-drift".to_owned()));
    env.write(
        "templates/default.yaml",
        edited.replace("notice: 21d", "notice: 28d"),
    );
    env.commit_all("Longer notice for new agreements", "2026-01-08T10:00:00Z");
    let out = check(&env, "json");
    let json = findings_json(&out);
    let drift: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "template-drift")
        .collect();
    assert_eq!(drift.len(), 1, "{json:#}");
    assert_eq!(drift[0]["severity"], "info");
    assert_eq!(drift[0]["file"], "agreements/ada-grace.yaml");
    assert!(drift[0]["line"].as_u64().is_some());
    assert!(drift[0]["hint"]
        .as_str()
        .unwrap()
        .contains("charter diff --template ada-grace"));
    assert_eq!(json["summary"]["info"], 1);
    assert_eq!(json["summary"]["errors"], 0, "{json:#}");
    assert_eq!(out.status.code(), Some(0), "info never fails the gate");
    insta::assert_snapshot!("template_drift", snap::render(&env, &check(&env, "text")));
    // A pull request that changes only the template shows the drift too,
    // though it touches no agreement.
    let head = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let base = env.git(&["rev-parse", "HEAD~1"]).trim().to_owned();
    let pr = env.run(&[
        "check", "--format", "json", "--base", &base, "--head", &head,
    ]);
    let pr_json = findings_json(&pr);
    assert!(
        rules(&pr_json).contains(&"template-drift".to_owned()),
        "{pr_json:#}"
    );
    insta::assert_snapshot!(
        "template_drift_in_a_pull_request",
        snap::run(&env, &["check", "--base", &base, "--head", &head])
    );
    let out = env.run(&["check", "--format", "json", "--deny-warnings"]);
    let json = findings_json(&out);
    assert!(json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "template-drift" && f["severity"] == "info"));
    // Every format shows it.
    let sarif: serde_json::Value = serde_json::from_slice(&check(&env, "sarif").stdout).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "template-drift")
        .unwrap()
        .clone();
    assert_eq!(result["level"], "note");
    assert!(stdout(&check(&env, "github")).contains("::notice file=agreements/ada-grace.yaml"));
    assert!(stdout(&check(&env, "text")).contains("info[template-drift]"));
    assert!(stdout(&check(&env, "markdown")).contains("**template-drift**"));

    // The change, as a semantic diff.
    let out = env.run(&["diff", "--template", "ada-grace", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diff["template"], "default");
    assert_eq!(diff["from"]["version"], version.as_str());
    let changes = diff["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{diff:#}");
    assert_eq!(changes[0]["path"], "renegotiation.notice");
    assert_eq!(
        (&changes[0]["old"], &changes[0]["new"]),
        (&serde_json::json!("21d"), &serde_json::json!("28d"))
    );
    let out = env.run(&[
        "diff",
        "--template",
        "ada-grace",
        "--exit-code",
        "--color",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("diff_template", snap::render(&env, &out));
    assert!(stdout(&out).contains("21d"), "{}", stdout(&out));
}

#[test]
fn template_refusals() {
    let env = Env::new();
    assert_eq!(env.run(&["init"]).status.code(), Some(0));
    let mut args = NEW.to_vec();
    args[3] = "nope";
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("unknown_template", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("templates in templates/: default"),
        "{}",
        stderr(&out)
    );
    args[3] = "../charter";
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("template_name_as_path", snap::render(&env, &out));
    // A template that is not YAML data is refused with its place.
    env.write("templates/broken.yaml", "title: [unclosed\n");
    args[3] = "broken";
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("broken_template", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("templates/broken.yaml:"),
        "{}",
        stderr(&out)
    );
    assert!(!env.path("agreements/ada-grace.yaml").exists());
    // `diff --template` of an agreement made without one.
    env.write("agreements/plain.yaml", minimal());
    env.commit_all("plain", "2026-01-05T10:00:00Z");
    let out = env.run(&["diff", "--template", "plain"]);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!("diff_template_without_one", snap::render(&env, &out));
    assert!(
        stderr(&out).contains("not made from a template"),
        "{}",
        stderr(&out)
    );
    // A templates directory set in charter.yaml.
    env.write(
        "charter.yaml",
        "charter: 1\ntemplates: programme/templates\n",
    );
    env.write(
        "programme/templates/short.yaml",
        env.read("templates/default.yaml")
            .replace("notice: 14d", "notice: 7d"),
    );
    args[3] = "short";
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!("template_from_settings", snap::render(&env, &out));
    assert!(env.read("agreements/ada-grace.yaml").contains("notice: 7d"));
}

const POLICY: &str = "charter: 1
policy:
  required: [reviews, confidentiality.notes.retention]
  notice: { min: 21d, max: 8w }
  exceptions: [risk of harm, legal obligation]
  scope_out: [compensation]
  max_meeting_interval: 10d
";

#[test]
fn validate_applies_the_policy() {
    let env = Env::with_git();
    env.write("charter.yaml", POLICY);
    env.write("agreements/ada-grace.yaml", minimal());
    insta::assert_snapshot!("policy", snap::run(&env, &["validate", "--color", "never"]));
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json = findings_json(&out);
    let policy: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "policy")
        .collect();
    let messages: Vec<&str> = policy
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(policy.len(), 6, "{messages:#?}");
    assert!(policy
        .iter()
        .all(|f| f["severity"] == "error" && f["line"].is_u64() && f["hint"].is_string()));
    let at = |needle: &str| {
        let f = policy
            .iter()
            .find(|f| f["message"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {messages:#?}"));
        (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
    };
    // valid-minimal.yaml: `renegotiation: { notice: 14d }` is line 19,
    // `meetings: { cadence: biweekly }` line 9, `exceptions` line 18.
    assert_eq!(at("shorter than the programme's minimum of 21d"), (19, 26));
    assert_eq!(at("biweekly"), (9, 22));
    assert_eq!(at("`legal obligation`").0, 18);
    assert!(messages.iter().any(|m| m.contains("`reviews`")));
    assert!(messages
        .iter()
        .any(|m| m.contains("`confidentiality.notes.retention`")));
    assert!(messages.iter().any(|m| m.contains("`compensation`")));
    assert!(!messages.iter().any(|m| m.contains("`risk of harm`")));

    // lint.allow silences the rule like any validation rule.
    env.write(
        "charter.yaml",
        format!("{POLICY}lint: {{ allow: [policy] }}\n"),
    );
    let out = env.run(&["validate", "--format", "json"]);
    assert!(!rules(&findings_json(&out)).contains(&"policy".to_owned()));
    insta::assert_snapshot!(
        "policy_allowed",
        snap::run(&env, &["validate", "--color", "never"])
    );

    // A policy naming a field agreements do not have is itself an error.
    env.write(
        "charter.yaml",
        "charter: 1\npolicy:\n  required: [reviews, meetings.room]\n",
    );
    insta::assert_snapshot!(
        "policy_unknown_field",
        snap::run(&env, &["validate", "--color", "never"])
    );
    let out = env.run(&["validate", "--format", "json"]);
    let json = findings_json(&out);
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "settings")
        .unwrap()
        .clone();
    assert!(
        f["message"].as_str().unwrap().contains("meetings.room"),
        "{f}"
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(23))
    );
}

#[test]
fn a_pull_request_is_judged_by_the_policy_of_its_base() {
    let env = Env::with_git();
    env.write(
        "charter.yaml",
        "charter: 1\npolicy:\n  notice: { min: 21d }\n",
    );
    env.write("allowed_signers", "# no keys yet\n");
    env.commit_all("Programme policy", "2026-01-05T10:00:00Z");
    env.git(&["checkout", "-q", "-b", "pr"]);
    // The pull request relaxes the policy and adds an agreement that needs it.
    env.write("charter.yaml", "charter: 1\n");
    env.write("agreements/ada-grace.yaml", minimal());
    env.commit_all("Relax the policy, add ada-grace", "2026-01-06T10:00:00Z");

    insta::assert_snapshot!(
        "policy_of_base",
        snap::run(&env, &["check", "--base", "main", "--head", "pr"])
    );
    let out = env.run(&[
        "check", "--base", "main", "--head", "pr", "--format", "json",
    ]);
    let json = findings_json(&out);
    assert_eq!(out.status.code(), Some(1), "{json:#}");
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "policy")
        .cloned();
    let f = f.unwrap_or_else(|| panic!("base's policy applies: {json:#}"));
    assert_eq!(f["file"], "agreements/ada-grace.yaml");
    assert!(f["message"].as_str().unwrap().contains("21d"), "{f}");

    // Once merged, the relaxed policy is the programme's.
    insta::assert_snapshot!(
        "policy_once_merged",
        snap::run(&env, &["check", "--head", "pr"])
    );
    let out = env.run(&["check", "--head", "pr", "--format", "json"]);
    assert!(!rules(&findings_json(&out)).contains(&"policy".to_owned()));
}

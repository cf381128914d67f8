//! The CI files: the workflow and GitLab job `init` writes, the install
//! action, the release workflow, the pre-commit hooks and `examples/ci/`.
//! Each is parsed and checked for structure; actionlint runs on the GitHub
//! files when it is installed (`.ci/run` installs it).

use std::path::{Path, PathBuf};

use charter::ci::{PACKAGE, REPOSITORY, VERSION};
use serde_json::Value;

use crate::common::{stderr, Env};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn yaml(text: &str) -> Value {
    charter::yaml::parse(text)
        .unwrap_or_else(|e| panic!("not YAML charter can read: {e}\n{text}"))
        .to_json()
}

fn repo_file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `owner/name` of the project on GitHub.
fn action() -> &'static str {
    REPOSITORY.strip_prefix("https://github.com/").unwrap()
}

/// Every way a CI file could install charter must name this project's
/// repository and the exact release: a bare `cargo install charter` would
/// take whatever crates.io calls charter, and an unpinned reference to our
/// own action or repository could take another version. Returns the problems.
fn unpinned_installs(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let pinned_cargo =
        format!("cargo install --locked --git \"{REPOSITORY}\" --tag \"v{VERSION}\" {PACKAGE}");
    for (n, line) in text.lines().enumerate() {
        let comment = line.trim_start().starts_with('#');
        let code = line.trim_start().trim_start_matches('#').trim();
        let n = n + 1;
        // Prose in comments quotes commands in backticks; commented-out
        // steps (which a user may uncomment) are checked like the rest.
        if comment && code.contains('`') {
            continue;
        }
        for tool in [
            "cargo install",
            "cargo binstall",
            "cargo-binstall",
            "pip install",
            "npm install",
        ] {
            let Some(at) = code.find(tool) else { continue };
            let command = &code[at..];
            if !command.starts_with("cargo install --locked --git") {
                problems.push(format!("line {n}: `{code}` installs by name"));
                continue;
            }
            // The literal form, or the form through variables that the file
            // sets to exactly these values (checked by the callers).
            let literal = command == pinned_cargo;
            let via_variables = command
                == "cargo install --locked --git \"$REPOSITORY\" --tag \"v$VERSION\" \"$PACKAGE\""
                || command
                    == "cargo install --locked --git \"$CHARTER_REPOSITORY\" --tag \"$tag\" \"$CHARTER_PACKAGE\"";
            if !literal && !via_variables {
                problems.push(format!(
                    "line {n}: `{code}` is not pinned to {REPOSITORY} v{VERSION}"
                ));
            }
        }
        if let Some(uses) = code
            .strip_prefix("uses:")
            .or_else(|| code.strip_prefix("- uses:"))
        {
            let uses = uses.trim();
            if uses.to_lowercase().contains("charter") && uses != format!("{}@v{VERSION}", action())
            {
                problems.push(format!("line {n}: `{uses}` is not {}@v{VERSION}", action()));
            }
        }
        if code.contains("releases/download")
            && !code.contains("$REPOSITORY")
            && !code.contains("$CHARTER_REPOSITORY")
            && !code.contains(REPOSITORY)
        {
            problems.push(format!("line {n}: downloads a release from elsewhere"));
        }
    }
    problems
}

#[test]
fn the_pinning_check_catches_what_would_install_another_crate() {
    for bad in [
        "        run: cargo install --locked charter\n",
        "        run: cargo install charter-agreements\n",
        "        run: cargo binstall charter\n",
        &format!("        run: cargo install --locked --git \"{REPOSITORY}\" {PACKAGE}\n"),
        &format!("        run: cargo install --locked --git \"https://github.com/someone/charter\" --tag \"v{VERSION}\" {PACKAGE}\n"),
        &format!("      - uses: {}@main\n", action()),
        &format!("      - uses: {}@v0.0.1\n", action()),
        "      - uses: someone/charter-action@v1\n",
        "        run: curl -LO https://example.com/releases/download/v1/charter.tar.gz\n",
    ] {
        assert!(!unpinned_installs(bad).is_empty(), "not caught: {bad}");
    }
    let good = format!(
        "      - uses: {}@v{VERSION}\n        run: cargo install --locked --git \"{REPOSITORY}\" --tag \"v{VERSION}\" {PACKAGE}\n",
        action()
    );
    assert_eq!(unpinned_installs(&good), Vec::<String>::new());
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_array().expect("steps")
}

fn step<'a>(job: &'a Value, name: &str) -> &'a Value {
    steps(job)
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name:?}: {job:#}"))
}

/// The major version of `owner/name@vN`.
fn major(uses: &str) -> u32 {
    uses.rsplit_once("@v")
        .and_then(|(_, v)| v.split('.').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{uses} is not pinned to a major version"))
}

#[test]
fn init_writes_a_github_workflow_that_installs_exactly_this_charter() {
    let env = Env::new();
    let out = env.run(&["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = env.read(".github/workflows/charter.yml");
    assert_eq!(unpinned_installs(&text), Vec::<String>::new(), "{text}");
    let wf = yaml(&text);

    assert_eq!(wf["name"], "charter");
    assert!(
        wf["on"]["pull_request"].is_null() && wf["on"].get("pull_request").is_some(),
        "{wf:#}"
    );
    assert_eq!(wf["permissions"], serde_json::json!({"contents": "read"}));
    assert!(
        wf["concurrency"]["group"]
            .as_str()
            .unwrap()
            .contains("${{ github.event.pull_request.number }}"),
        "{wf:#}"
    );
    assert_eq!(wf["concurrency"]["cancel-in-progress"], true);

    let job = &wf["jobs"]["check"];
    assert_eq!(job["name"], "charter", "the status check's name");
    let timeout = job["timeout-minutes"].as_i64().expect("timeout-minutes");
    assert!((1..=30).contains(&timeout), "{timeout}");
    assert_eq!(
        job["permissions"],
        serde_json::json!({"contents": "read", "pull-requests": "write"}),
        "only what the comment needs"
    );
    assert!(text.contains("      pull-requests: write\n"));
    assert!(
        text.contains("# security-events: write"),
        "the SARIF upload's permission, commented"
    );

    // Current major versions of the actions it uses, and our own action at
    // this exact release.
    let mut ours = 0;
    for s in steps(job) {
        let Some(uses) = s["uses"].as_str() else {
            continue;
        };
        match uses.split_once('@').unwrap().0 {
            "actions/checkout" => assert!(major(uses) >= 5, "{uses}"),
            "actions/github-script" => assert!(major(uses) >= 8, "{uses}"),
            a if a == action() => {
                assert_eq!(uses, format!("{}@v{VERSION}", action()));
                assert_eq!(s["with"]["version"], VERSION);
                ours += 1;
            }
            other => panic!("unexpected action {other}"),
        }
    }
    assert_eq!(ours, 1, "one install step");
    let checkout = &steps(job)[0];
    assert!(checkout["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/checkout@"));
    assert_eq!(checkout["with"]["fetch-depth"], 0);
    assert_eq!(checkout["with"]["persist-credentials"], false);

    // The gate: the pull request's base and head commits, GitHub's format.
    let gate = step(job, "Check the pull request");
    assert_eq!(
        gate["run"],
        "charter check --base \"$BASE_SHA\" --head \"$HEAD_SHA\" --format github"
    );
    assert_eq!(
        gate["env"]["BASE_SHA"],
        "${{ github.event.pull_request.base.sha }}"
    );
    assert_eq!(
        gate["env"]["HEAD_SHA"],
        "${{ github.event.pull_request.head.sha }}"
    );

    // The markdown report, and one comment kept up to date with it, never
    // attempted for forks.
    let report = step(job, "Write the review report");
    assert!(report["run"]
        .as_str()
        .unwrap()
        .contains("--format markdown"));
    let comment = step(job, "Comment on the pull request");
    let condition = comment["if"].as_str().unwrap();
    assert!(
        condition.contains("github.event.pull_request.head.repo.full_name == github.repository"),
        "{condition}"
    );
    let script = comment["with"]["script"].as_str().unwrap();
    for needle in [
        "<!-- charter-report -->",
        "updateComment",
        "createComment",
        "paginate",
    ] {
        assert!(script.contains(needle), "{needle}: {script}");
    }

    // The optional SARIF upload is there, commented out.
    assert!(
        text.contains("#   uses: github/codeql-action/upload-sarif@v4"),
        "{text}"
    );
    assert!(text.contains("--format sarif"), "{text}");

    actionlint_clean(&[env.path(".github/workflows/charter.yml")]);
}

#[test]
fn the_generated_workflow_version_is_the_running_charter() {
    let env = Env::new();
    env.run(&["init"]);
    let text = env.read(".github/workflows/charter.yml");
    let version = env.run(&["--version"]);
    let version = String::from_utf8(version.stdout).unwrap();
    let version = version.trim().strip_prefix("charter ").unwrap();
    assert_eq!(version, VERSION);
    assert!(
        text.contains(&format!("uses: {}@v{version}\n", action())),
        "{text}"
    );
    assert!(
        text.contains(&format!("version: \"{version}\"\n")),
        "{text}"
    );
}

#[test]
fn the_install_action_installs_only_this_project_pinned() {
    let text = repo_file("action.yml");
    assert_eq!(unpinned_installs(&text), Vec::<String>::new(), "{text}");
    let action = yaml(&text);
    assert_eq!(action["runs"]["using"], "composite");
    assert_eq!(
        action["inputs"]["version"]["default"], VERSION,
        "the action defaults to the release it belongs to"
    );
    let steps = action["runs"]["steps"].as_array().unwrap();
    for s in steps {
        if s.get("run").is_some() {
            assert_eq!(
                s["shell"], "bash",
                "composite run steps need a shell: {s:#}"
            );
        }
        if let Some(r) = s["env"].get("REPOSITORY") {
            assert_eq!(r, REPOSITORY);
        }
        if let Some(p) = s["env"].get("PACKAGE") {
            assert_eq!(p, PACKAGE);
        }
        if let Some(uses) = s["uses"].as_str() {
            assert!(
                uses.starts_with("actions/cache@") && major(uses) >= 5,
                "{uses}"
            );
        }
    }
    for s in steps {
        if let Some(script) = s["run"].as_str() {
            shellcheck_clean(script, "bash");
        }
    }
    let download = &steps[0]["run"].as_str().unwrap();
    assert!(
        download.contains("sha256sum -c") && download.contains("SHA256SUMS"),
        "{download}"
    );
    assert!(
        download.contains("base=\"$REPOSITORY/releases/download/$tag\""),
        "{download}"
    );
    assert!(download.contains("tag=\"v$VERSION\""), "{download}");
    let build = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo install"))
        })
        .unwrap();
    assert!(build["if"]
        .as_str()
        .unwrap()
        .contains("installed != 'true'"));
    let cache = steps.iter().find(|s| s.get("uses").is_some()).unwrap();
    assert!(cache["with"]["path"]
        .as_str()
        .unwrap()
        .contains("~/.cargo/"));

    // actionlint reads a local action's metadata when a workflow uses it.
    let env = Env::new();
    env.write("action.yml", &text);
    env.write(
        ".github/workflows/use.yml",
        format!(
            "name: use\non: pull_request\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - uses: actions/checkout@v6\n        with:\n          persist-credentials: false\n      - uses: ./\n        with:\n          version: \"{VERSION}\"\n"
        ),
    );
    actionlint_clean(&[env.path(".github/workflows/use.yml")]);
}

#[test]
fn the_release_workflow_builds_every_platform_with_checksums() {
    let text = repo_file(".github/workflows/release.yml");
    let wf = yaml(&text);
    assert_eq!(wf["permissions"], serde_json::json!({"contents": "read"}));
    let targets: Vec<&str> = wf["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&t), "{t}");
        // The action knows each target the release builds.
        assert!(repo_file("action.yml").contains(t), "{t}");
    }
    assert!(text.contains("--profile dist"));
    assert!(text.contains("SHA256SUMS"));
    for job in wf["jobs"].as_object().unwrap().values() {
        assert!(job["timeout-minutes"].as_i64().is_some(), "{job:#}");
    }
    let cargo = repo_file("Cargo.toml");
    let dist = cargo
        .split("[profile.dist]")
        .nth(1)
        .expect("a dist profile");
    for setting in ["strip = \"symbols\"", "lto = \"fat\"", "codegen-units = 1"] {
        assert!(dist.contains(setting), "{setting}");
    }

    let workflows: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    assert!(!workflows.is_empty());
    actionlint_clean(&workflows);
}

#[test]
fn init_for_gitlab_writes_a_job_and_never_overwrites_a_pipeline() {
    let env = Env::new();
    let out = env.run(&["init", "--ci", "gitlab"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!env.path(".github/workflows/charter.yml").exists());
    let job_text = env.read(".gitlab/charter.gitlab-ci.yml");
    assert_eq!(
        unpinned_installs(&job_text),
        Vec::<String>::new(),
        "{job_text}"
    );
    let job = &yaml(&job_text)["charter"];
    assert_eq!(job["variables"]["GIT_DEPTH"], "0");
    assert_eq!(job["variables"]["CHARTER_VERSION"], VERSION);
    assert_eq!(job["variables"]["CHARTER_REPOSITORY"], REPOSITORY);
    assert_eq!(job["variables"]["CHARTER_PACKAGE"], PACKAGE);
    assert_eq!(
        job["rules"][0]["if"],
        "$CI_PIPELINE_SOURCE == \"merge_request_event\""
    );
    let script = job["script"][0].as_str().unwrap();
    for needle in [
        "tag=\"v$CHARTER_VERSION\"",
        "sha256sum -c",
        "charter check --base \"$base\" --head \"$head\" --format text",
        "--format markdown",
        "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA",
    ] {
        assert!(script.contains(needle), "{needle}: {script}");
    }
    shellcheck_clean(script, "sh");
    let pipeline = yaml(&env.read(".gitlab-ci.yml"));
    assert_eq!(
        pipeline["include"][0]["local"],
        ".gitlab/charter.gitlab-ci.yml"
    );
    assert!(env.read(".gitlab/CODEOWNERS").contains("/.gitlab-ci.yml"));
    let log = stderr(&out);
    assert!(
        log.contains("created .gitlab/charter.gitlab-ci.yml"),
        "{log}"
    );
    assert!(log.contains("Pipelines must succeed"), "{log}");

    // A project with a pipeline of its own keeps it, and is told what to add.
    let env = Env::with_git();
    env.write(".gitlab-ci.yml", "test:\n  script: [make test]\n");
    let out = env.run(&["init", "--ci", "gitlab"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(env.read(".gitlab-ci.yml"), "test:\n  script: [make test]\n");
    let log = stderr(&out);
    assert!(log.contains("skipped .gitlab-ci.yml"), "{log}");
    assert!(
        log.contains("include: [{ local: .gitlab/charter.gitlab-ci.yml }]"),
        "{log}"
    );
    assert!(env.path(".gitlab/charter.gitlab-ci.yml").is_file());
}

#[test]
fn the_pre_commit_hooks_run_charter_validate() {
    let hooks = yaml(&repo_file(".pre-commit-hooks.yaml"));
    let hooks = hooks.as_array().unwrap();
    assert!(!hooks.is_empty());
    for hook in hooks {
        assert_eq!(hook["entry"], "charter validate", "{hook:#}");
        assert_eq!(hook["pass_filenames"], false);
        for key in ["id", "name", "language", "files"] {
            assert!(hook[key].is_string(), "{key}: {hook:#}");
        }
    }
    let config_text = charter::ci::pre_commit_config();
    assert_eq!(unpinned_installs(&config_text), Vec::<String>::new());
    let config = yaml(&config_text);
    let repo = &config["repos"][0];
    assert_eq!(repo["repo"], REPOSITORY);
    assert_eq!(repo["rev"], format!("v{VERSION}"));
    let id = repo["hooks"][0]["id"].as_str().unwrap();
    assert!(hooks.iter().any(|h| h["id"] == id), "{id}");
}

/// `examples/ci/` holds exactly what charter writes; with
/// CHARTER_UPDATE_EXAMPLES=1 the test rewrites them instead.
#[test]
fn the_examples_are_what_init_writes() {
    let github = Env::new();
    github.run(&["init"]);
    let gitlab = Env::new();
    gitlab.run(&["init", "--ci", "gitlab"]);
    let expected = [
        (
            "examples/ci/github-workflow.yml",
            github.read(".github/workflows/charter.yml"),
        ),
        (
            "examples/ci/charter.gitlab-ci.yml",
            gitlab.read(".gitlab/charter.gitlab-ci.yml"),
        ),
        (
            "examples/ci/pre-commit-config.yaml",
            charter::ci::pre_commit_config(),
        ),
    ];
    let update = std::env::var_os("CHARTER_UPDATE_EXAMPLES").is_some();
    let mut stale = Vec::new();
    for (rel, text) in expected {
        let path = Path::new(ROOT).join(rel);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(rel);
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} differ from what charter writes; run CHARTER_UPDATE_EXAMPLES=1 cargo test --test cli examples and commit the result"
    );
}

/// A program on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The actionlint to run: `$CHARTER_ACTIONLINT`, or `actionlint` on PATH.
fn actionlint() -> Option<PathBuf> {
    match std::env::var_os("CHARTER_ACTIONLINT") {
        Some(path) => Some(PathBuf::from(path)),
        None => on_path("actionlint"),
    }
}

/// shellcheck on a script the CI files run, when shellcheck is installed
/// (actionlint does this for workflows, not for a composite action or GitLab).
fn shellcheck_clean(script: &str, shell: &str) {
    let Some(bin) = on_path("shellcheck") else {
        eprintln!("shellcheck is not installed: skipping the shell scripts");
        return;
    };
    let mut child = crate::sandbox::command(bin, crate::sandbox::empty_home())
        .args(["-s", shell, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "shellcheck:\n{}\n{script}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Run actionlint on the files and require no findings. Without actionlint
/// the check is skipped with a message, unless CHARTER_REQUIRE_ACTIONLINT is
/// set (as `.ci/run` does once it has installed it).
fn actionlint_clean(files: &[PathBuf]) {
    let Some(bin) = actionlint() else {
        assert!(
            std::env::var_os("CHARTER_REQUIRE_ACTIONLINT").is_none(),
            "CHARTER_REQUIRE_ACTIONLINT is set but actionlint is not on PATH"
        );
        eprintln!("actionlint is not installed: skipping the lint of {files:?}");
        return;
    };
    // actionlint runs shellcheck on `run:` scripts when it is on PATH
    // (`.ci/run` installs it); there are no Python scripts to give pyflakes.
    let out = crate::sandbox::command(&bin, crate::sandbox::empty_home())
        .args(["-no-color", "-oneline", "-pyflakes="])
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

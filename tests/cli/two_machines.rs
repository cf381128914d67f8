//! The README's Getting started for two people on two machines: a bare
//! repository as the shared remote, two clones with their own HOME and SSH
//! key, the agreement proposed and signed on a branch, the gate, the merge,
//! and Ada's sign-off checked with nothing but ssh-keygen.

use std::process::Output;

use crate::common::{stderr, Env};

const AGREEMENT: &str = "agreements/ada-grace.yaml";

fn ok(env: &Env, args: &[&str], date: &str) -> Output {
    let out = env
        .charter(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    out
}

#[test]
fn two_people_on_two_machines_share_a_remote() {
    let grace = Env::new();
    let ada = Env::new();
    let remote = grace.home.join("remote.git");
    let remote = remote.to_str().unwrap();
    grace.git(&["init", "-q", "--bare", "-b", "main", remote]);
    grace.git(&["clone", "-q", remote, "."]);
    ada.git(&["clone", "-q", remote, "."]);
    // Each makes a key in their own HOME; Ada sends Grace her public line.
    let grace_key = grace.keygen("id_ed25519", "ed25519", "");
    let ada_key = ada.keygen("id_ed25519", "ed25519", "");

    // Grace sets the repository up on main.
    ok(&grace, &["init"], "2026-11-02T10:00:00Z");
    let mut signers = grace.read("allowed_signers");
    signers.push_str(&format!(
        "grace@example.com namespaces=\"charter-signoff\" {}\nada@example.com namespaces=\"charter-signoff\" {}\n",
        grace_key.line, ada_key.line
    ));
    grace.write("allowed_signers", signers);
    grace.commit_all("Set up charter", "2026-11-02T10:00:00Z");
    grace.git(&["push", "-q", "-u", "origin", "main"]);

    // A branch with the proposed agreement.
    grace.git(&["switch", "-q", "-c", "ada-grace"]);
    ok(
        &grace,
        &[
            "new",
            "ada-grace",
            "--mentor",
            "Grace Hopper <grace@example.com>",
            "--mentee",
            "Ada Lovelace <ada@example.com>",
        ],
        "2026-11-20T09:00:00Z",
    );
    grace.write(
        AGREEMENT,
        crate::common::example("ada-grace.yaml")
            .replace("2026-01-12", "2026-11-23")
            .replace("end: 2026-07-10", "end: 2027-07-10")
            .replace("due: 2026-04-30", "due: 2027-04-30"),
    );
    ok(&grace, &["validate"], "2026-11-20T09:00:00Z");
    grace.git(&["add", AGREEMENT]);
    grace.git_at(
        &[
            "commit",
            "-q",
            "-m",
            "Propose the agreement of Ada and Grace",
        ],
        "2026-11-20T09:00:00Z",
    );
    grace.git(&["push", "-q", "-u", "origin", "ada-grace"]);
    let gate = grace.run(&["check", "--base", "origin/main"]);
    assert_eq!(gate.status.code(), Some(1), "unsigned: {}", stderr(&gate));

    // Grace signs on the branch and pushes; Ada signs in her clone.
    ok(
        &grace,
        &[
            "sign",
            "ada-grace",
            "--as",
            "mentor",
            "--key",
            grace_key.path(),
        ],
        "2026-11-20T10:00:00Z",
    );
    grace.git(&["push", "-q"]);
    ada.git(&["fetch", "-q"]);
    ada.git(&["switch", "-q", "ada-grace"]);
    ok(
        &ada,
        &[
            "sign",
            "ada-grace",
            "--as",
            "mentee",
            "--key",
            ada_key.path(),
        ],
        "2026-11-20T11:00:00Z",
    );
    ada.git(&["push", "-q"]);

    // The gate passes on the branch as it would land; Grace merges.
    grace.git(&["pull", "-q", "--ff-only"]);
    ok(
        &grace,
        &["check", "--base", "origin/main"],
        "2026-11-20T12:00:00Z",
    );
    grace.git(&["switch", "-q", "main"]);
    grace.git_at(
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge ada-grace",
            "ada-grace",
        ],
        "2026-11-21T09:00:00Z",
    );
    grace.git(&["push", "-q"]);
    ada.git(&["switch", "-q", "main"]);
    ada.git(&["pull", "-q", "--ff-only"]);
    let status = ok(
        &ada,
        &["status", "--format", "json", "--today", "2026-11-23"],
        "2026-11-23T09:00:00Z",
    );
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(json["agreements"][0]["state"], "in-force", "{json:#}");

    // An amendment with its notice: Ada proposes meeting weekly.
    ada.git(&["switch", "-q", "-c", "ada-grace-weekly"]);
    let text = ada
        .read(AGREEMENT)
        .replace("cadence: biweekly", "cadence: weekly")
        .replace("effective: 2026-11-23", "effective: 2026-12-20");
    ada.write(AGREEMENT, text);
    let amend = ok(
        &ada,
        &["amend", "ada-grace", "--today", "2026-11-25"],
        "2026-11-25T09:00:00Z",
    );
    assert!(
        stderr(&amend).contains("charter sign ada-grace"),
        "{}",
        stderr(&amend)
    );
    // The notice runs from the day the amendment was proposed.
    let log = ok(
        &ada,
        &[
            "log",
            "ada-grace",
            "--format",
            "json",
            "--today",
            "2026-11-25",
        ],
        "2026-11-25T09:00:00Z",
    );
    let log: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    let notice = &log["versions"][0]["notice"];
    assert_eq!(notice["opened"], "2026-11-25", "{log:#}");
    assert_eq!(notice["earliest_effective"], "2026-12-09", "{log:#}");
    ada.git(&["push", "-q", "-u", "origin", "ada-grace-weekly"]);
    ok(
        &ada,
        &[
            "sign",
            "ada-grace",
            "--as",
            "mentee",
            "--key",
            ada_key.path(),
        ],
        "2026-11-25T10:00:00Z",
    );
    ada.git(&["push", "-q"]);
    grace.git(&["fetch", "-q"]);
    grace.git(&["switch", "-q", "ada-grace-weekly"]);
    ok(
        &grace,
        &[
            "sign",
            "ada-grace",
            "--as",
            "mentor",
            "--key",
            grace_key.path(),
        ],
        "2026-11-25T11:00:00Z",
    );
    grace.git(&["push", "-q"]);
    ok(
        &grace,
        &["check", "--base", "origin/main", "--today", "2026-11-25"],
        "2026-11-25T12:00:00Z",
    );
    grace.git(&["switch", "-q", "main"]);
    grace.git_at(
        &[
            "merge",
            "-q",
            "--no-ff",
            "-m",
            "Merge ada-grace-weekly",
            "ada-grace-weekly",
        ],
        "2026-11-26T09:00:00Z",
    );
    grace.git(&["push", "-q"]);
    ada.git(&["switch", "-q", "main"]);
    ada.git(&["pull", "-q", "--ff-only"]);
    let status = ok(
        &ada,
        &["status", "--format", "json", "--today", "2026-12-21"],
        "2026-12-21T09:00:00Z",
    );
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let entry = &json["agreements"][0];
    assert_eq!(entry["state"], "in-force", "{json:#}");
    assert_eq!(entry["in_force"]["since"], "2026-12-20", "{json:#}");

    // Ada's sign-off, checked with nothing but ssh-keygen in her clone.
    let dir = ada.path("signoffs/ada-grace");
    let name = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.contains("-mentee-"))
        .unwrap();
    let file = format!("signoffs/ada-grace/{name}");
    let msg = ok(&ada, &["signoff", "message", &file], "2026-11-23T09:00:00Z");
    let sig = ok(
        &ada,
        &["signoff", "signature", &file],
        "2026-11-23T09:00:00Z",
    );
    ada.write("msg", &msg.stdout);
    ada.write("sig", &sig.stdout);
    let verified = ada
        .program("sh")
        .args([
            "-c",
            "ssh-keygen -Y verify -f allowed_signers -I ada@example.com -n charter-signoff -s sig < msg",
        ])
        .output()
        .unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}

//! Hostile and malformed input: a finding or a clear error, never a panic,
//! a hang or unbounded memory.

use crate::common::{findings_json, stderr, Env};

fn only_finding(env: &Env, file: &str) -> serde_json::Value {
    let out = env.run(&["validate", "--format", "json", file]);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = findings_json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    findings[0].clone()
}

#[test]
fn a_wrong_type_is_located_among_the_other_schema_errors() {
    let env = Env::with_git();
    env.write("agreements/type.yaml", b"charter: 1\ntitle: [a]\n");
    let out = env.run(&["validate", "--format", "json", "agreements/type.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = findings_json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .all(|f| f["rule"] == "schema" && f["line"].is_u64()));
    assert!(
        findings.iter().any(|f| f["line"] == 2
            && f["message"]
                .as_str()
                .unwrap()
                .contains("`title`: invalid type")),
        "{findings:#?}"
    );
}

#[test]
fn malformed_yaml_is_located() {
    let env = Env::with_git();
    let cases: &[(&str, &[u8], &str, Option<u64>)] = &[
        ("tabs", b"charter: 1\ntitle:\n\t- x\n", "tabs", Some(3)),
        (
            "dupe",
            b"charter: 1\ntitle: a\ntitle: b\n",
            "duplicate key `title` (first at line 2)",
            Some(3),
        ),
        (
            "utf8",
            b"charter: 1\ntitle: caf\xe9\n",
            "not valid UTF-8",
            Some(2),
        ),
        (
            "binary",
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00",
            "contains NUL bytes",
            Some(1),
        ),
        (
            "anchors",
            b"a: &x 1\nb: !!binary aGVsbG8=\n",
            "tags",
            Some(2),
        ),
        (
            "multidoc",
            b"a: 1\n---\na: 2\n",
            "second YAML document",
            Some(2),
        ),
    ];
    for (name, bytes, message, line) in cases {
        // An empty expected message would match whatever charter says.
        assert!(!message.is_empty(), "{name}: give the expected message");
        let file = format!("agreements/{name}.yaml");
        env.write(&file, bytes);
        let f = only_finding(&env, &file);
        assert!(
            f["rule"] == "yaml-syntax" || f["rule"] == "schema",
            "{name}: {f:#}"
        );
        assert!(
            f["message"].as_str().unwrap().contains(message),
            "{name}: {f:#}"
        );
        if let Some(line) = line {
            assert_eq!(f["line"], *line, "{name}: {f:#}");
        }
    }
}

#[test]
fn alias_bomb_is_a_finding() {
    let env = Env::with_git();
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let p = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", [p.as_str(); 9].join(", ")));
    }
    env.write("agreements/bomb.yaml", &text);
    let f = only_finding(&env, "agreements/bomb.yaml");
    assert_eq!(f["rule"], "yaml-syntax");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("expands to more than"),
        "{f:#}"
    );
}

#[test]
fn deep_nesting_is_a_finding() {
    let env = Env::with_git();
    let flow = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
    env.write("agreements/flow.yaml", &flow);
    assert_eq!(
        only_finding(&env, "agreements/flow.yaml")["rule"],
        "yaml-syntax"
    );
    let block: String = (0..100)
        .map(|d| format!("{}k{d}:\n", "  ".repeat(d)))
        .collect();
    env.write("agreements/block.yaml", &block);
    let f = only_finding(&env, "agreements/block.yaml");
    assert!(
        f["message"].as_str().unwrap().contains("nesting deeper"),
        "{f:#}"
    );
}

#[test]
fn a_fifty_megabyte_file_is_refused_without_reading_it_all() {
    let env = Env::with_git();
    let file = std::fs::File::create(env.path("agreements/huge.yaml")).ok();
    if file.is_none() {
        std::fs::create_dir_all(env.path("agreements")).unwrap();
    }
    let file = std::fs::File::create(env.path("agreements/huge.yaml")).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let f = only_finding(&env, "agreements/huge.yaml");
    assert_eq!(f["rule"], "yaml-syntax");
    assert!(
        f["message"].as_str().unwrap().contains("larger than"),
        "{f:#}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let env = Env::with_git();
    std::fs::create_dir_all(env.path("agreements")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", env.path("agreements/evil.yaml")).unwrap();
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let f = &findings_json(&out)["findings"][0];
    assert_eq!(f["rule"], "invalid-path");
    assert!(
        f["message"].as_str().unwrap().contains("symbolic link"),
        "{f:#}"
    );
}

#[test]
fn bad_ids_are_refused() {
    let env = Env::with_git();
    env.write(
        "agreements/A B.yaml",
        crate::common::example("ada-grace.yaml"),
    );
    let out = env.run(&["validate", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(findings_json(&out)["findings"][0]["rule"], "invalid-id");
    for bad in ["../x", "A B", "a/b", "x.y", ""] {
        let out = env.run(&[
            "new",
            bad,
            "--mentor",
            "G <g@example.com>",
            "--mentee",
            "A <a@example.com>",
        ]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = stderr(&out);
        assert!(
            err.contains("not a valid agreement id")
                || err.contains("is neither an agreement id nor a file in agreements/"),
            "{bad}: {err}"
        );
    }
    assert!(!env.path("x.yaml").exists());
}

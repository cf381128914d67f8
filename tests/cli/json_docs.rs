//! docs/json.md documents every JSON shape with an example; each example's
//! keys must be exactly the keys the real program writes for the command
//! named above it, so the document cannot drift from the code.

use std::collections::BTreeSet;

use crate::common::{stderr, Env};

/// Every key path in a JSON value: `a.b`, `a[].c` for items of a list.
fn key_paths(value: &serde_json::Value, at: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}.{k}");
                out.insert(here.clone());
                // A change's `old` and `new` are agreement data, not shape.
                let data = at.ends_with("changes[]") && (k == "old" || k == "new");
                if !data {
                    key_paths(v, &here, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{at}[]"), out);
            }
        }
        _ => {}
    }
}

fn paths(value: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    key_paths(value, "", &mut out);
    out
}

#[test]
fn every_documented_json_shape_matches_the_real_output() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md"))
        .expect("docs/json.md");
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let mut seen = Vec::new();
    for block in doc.split("<!-- json: ").skip(1) {
        let (args, rest) = block.split_once(" -->").unwrap();
        let body = rest.split("```json\n").nth(1).unwrap();
        let body = body.split("\n```").next().unwrap();
        let example: serde_json::Value =
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{args}: {e}"));
        let args: Vec<&str> = args.split(' ').collect();
        if args[0] == "validate" {
            env.write(
                "sample/agreements/broken.yaml",
                "charter: 1\ntitle: <title>\n",
            );
        }
        let mut all = vec!["-C", "sample"];
        all.extend_from_slice(&args);
        if args[0] != "validate" {
            // The day the examples were made, when lists are not empty.
            all.extend_from_slice(&["--today", "2026-06-10"]);
        }
        let out = env.run(&all);
        if args[0] == "validate" {
            std::fs::remove_file(env.path("sample/agreements/broken.yaml")).unwrap();
        }
        let real: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stderr(&out)));
        let (documented, written) = (paths(&example), paths(&real));
        assert!(documented.len() > 3, "{args:?}");
        assert_eq!(
            documented.difference(&written).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "{args:?}: documented in docs/json.md but not written"
        );
        assert_eq!(
            written.difference(&documented).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "{args:?}: written but not documented in docs/json.md"
        );
        seen.push(args[0].to_owned());
    }
    assert_eq!(
        seen,
        ["validate", "diff", "log", "verify", "status", "check", "report"]
    );
}

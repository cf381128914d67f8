//! Version ids against the shipped vectors (`tests/vectors/version-id.json`,
//! computed independently by `tests/vectors/make_vectors.py`).

use charter::agreement::version::{canonical_json, VersionId};

fn vectors() -> serde_json::Value {
    let text = include_str!("../vectors/version-id.json");
    serde_json::from_str(text).expect("vectors are JSON")
}

fn id_of(yaml: &str) -> VersionId {
    VersionId::of(&charter::yaml::parse(yaml).expect("parses").to_json())
}

#[test]
fn every_vector_gives_its_data_canonical_form_and_id() {
    let v = vectors();
    let cases = v["vectors"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let node = charter::yaml::parse(case["yaml"].as_str().unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let data = node.to_json();
        assert_eq!(data, case["data"], "{name}: data");
        let canonical = String::from_utf8(canonical_json(&data)).unwrap();
        assert_eq!(
            canonical,
            case["canonical"].as_str().unwrap(),
            "{name}: canonical"
        );
        assert_eq!(
            VersionId::of(&data).as_str(),
            case["id"].as_str().unwrap(),
            "{name}: id"
        );
    }
}

#[test]
fn every_error_vector_is_refused() {
    let v = vectors();
    for case in v["errors"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        assert!(
            charter::yaml::parse(case["yaml"].as_str().unwrap()).is_err(),
            "{name} should be refused"
        );
    }
}

#[test]
fn presentation_never_changes_the_id() {
    let block = "# comment\ntitle: Growth\nmeetings:\n  cadence: biweekly\n  channels:\n    - video call\n    - chat\n";
    let same = [
        "title: 'Growth'\nmeetings: {channels: [video call, chat], cadence: \"biweekly\"}\n",
        "meetings:\n    channels: [\"video call\", 'chat']   # reordered keys, flow list\n    cadence: biweekly\ntitle: >-\n  Growth\n",
        "---\ntitle: Growth\nmeetings:\n  cadence: biweekly\n  channels:\n  - video call\n  - chat\n...\n",
    ];
    for other in same {
        assert_eq!(id_of(block), id_of(other), "{other}");
    }
}

#[test]
fn any_change_of_data_changes_the_id() {
    let base = id_of("a: 1\nb: [x, y]\n");
    for other in [
        "a: \"1\"\nb: [x, y]\n",
        "a: 2\nb: [x, y]\n",
        "a: 1\nb: [y, x]\n",
        "a: 1\nb: [x, y, z]\n",
        "a: 1\nb: [x, y]\nc: null\n",
        "a: true\nb: [x, y]\n",
        "a: 1\nb: [x, \"y \"]\n",
    ] {
        assert_ne!(base, id_of(other), "{other}");
    }
}

use serde_json::{json, Value};

use super::words::{self, Piece};
use super::*;

/// The README's example agreement, with two more goals.
fn agreement_v1() -> Value {
    json!({
        "charter": 1,
        "title": "Staff-engineer growth, Ada and Grace",
        "parties": {
            "mentor": { "name": "Grace Hopper", "email": "grace@example.com" },
            "mentee": { "name": "Ada Lovelace", "email": "ada@example.com" },
            "observers": [
                { "name": "Charles Babbage", "email": "charles@example.com", "role": "supervisor" }
            ]
        },
        "purpose": "Help Ada grow into a staff engineer by leading cross-team technical work.",
        "effective": "2026-01-12",
        "term": { "start": "2026-01-12", "end": "2026-07-10" },
        "meetings": {
            "cadence": "biweekly",
            "length": "45m",
            "channels": ["video call", "chat"],
            "availability": "Async questions answered within two working days.",
            "cancellation": "Reschedule with 24 hours' notice."
        },
        "scope": {
            "in": ["system design", "technical leadership"],
            "out": ["hiring decisions", "performance ratings"]
        },
        "responsibilities": {
            "mentor": ["Give specific, timely feedback.", "Introduce Ada to two staff engineers."],
            "mentee": ["Bring an agenda to each meeting.", "Raise blockers early."]
        },
        "goals": [
            {
                "id": "design-review",
                "goal": "Lead a cross-team design review end to end.",
                "measure": "Review held with at least three teams; decision record merged.",
                "due": "2026-04-30",
                "evidence": "Link to the decision record; mentor's observation notes."
            },
            {
                "id": "incident-lead",
                "goal": "Act as incident lead for one production incident.",
                "measure": "Post-incident review written and presented.",
                "due": "2026-05-31"
            },
            {
                "id": "tech-talk",
                "goal": "Give an internal tech talk.",
                "measure": "Talk given to at least twenty engineers.",
                "due": "2026-06-30"
            }
        ],
        "feedback": { "how": "Specific examples and one suggestion.", "when": "End of every meeting." },
        "reviews": {
            "cadence": "quarterly",
            "scorecard": ["skill development", "project delivery", "professional behaviour"]
        },
        "confidentiality": {
            "private": ["personal narratives", "career plans", "compensation"],
            "exceptions": ["risk of harm", "legal obligation"],
            "notes": {
                "keeper": "mentee",
                "location": "mentee's private notes",
                "access": ["mentor", "mentee"],
                "retention": "180d"
            },
            "supervisor_summaries": "with-consent"
        },
        "renegotiation": {
            "notice": "14d",
            "termination": "Either party may end the mentorship at any time with a short written note."
        },
        "framework": ["https://wiki.example.com/engineering-ladder"]
    })
}

/// An amendment of [`agreement_v1`] touching most sections.
fn agreement_v2() -> Value {
    let mut v2 = agreement_v1();
    v2["title"] = json!("Staff-engineer growth: Ada and Grace");
    v2["parties"]["observers"][0]["role"] = json!("skip-level manager");
    v2["purpose"] =
        json!("Help Ada grow into a staff engineer by driving cross-team technical work.");
    v2["meetings"]["cadence"] = json!("monthly");
    v2["meetings"]["length"] = json!("60m");
    v2["meetings"]["channels"] = json!(["chat", "video call", "phone"]);
    v2["meetings"]["availability"] =
        json!("Async questions answered within three working days, except during on-call weeks.");
    v2["scope"]["in"] = json!(["system design", "technical leadership", "mentoring others"]);
    v2["scope"]["out"] = json!(["hiring decisions"]);
    v2["responsibilities"]["mentor"][0] = json!("Give specific, timely and kind feedback.");
    v2["goals"] = json!([
        {
            "id": "incident-lead",
            "goal": "Act as incident lead for one production incident.",
            "measure": "Post-incident review written and presented.",
            "due": "2026-05-31"
        },
        {
            "id": "design-review",
            "goal": "Lead a cross-team design review end to end.",
            "measure": "Review held with at least four teams; decision record merged.",
            "due": "2026-05-15",
            "evidence": "Link to the decision record; mentor's observation notes."
        },
        {
            "id": "mentoring-circle",
            "goal": "Run a monthly mentoring circle for junior engineers.",
            "measure": "Three sessions held.",
            "due": "2026-07-01"
        }
    ]);
    v2["confidentiality"]["notes"]["retention"] = json!("90d");
    v2["confidentiality"]["supervisor_summaries"] = json!("never");
    v2["renegotiation"]["notice"] = json!("21d");
    v2["framework"] = json!([
        "https://wiki.example.com/engineering-ladder",
        "https://wiki.example.com/staff-guide"
    ]);
    if let Some(term) = v2["term"].as_object_mut() {
        term.remove("end");
    }
    v2
}

fn change(path: &str, kind: ChangeKind, old: Option<Value>, new: Option<Value>) -> Change {
    Change {
        path: path.to_owned(),
        kind,
        old,
        new,
        material: true,
    }
}

fn text(changes: &[Change], color: bool) -> String {
    let mut out = Vec::new();
    render_text(changes, &mut out, color).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("rendering is UTF-8")
}

fn markdown(changes: &[Change]) -> String {
    let mut out = Vec::new();
    render_markdown(changes, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("rendering is UTF-8")
}

fn paths(changes: &[Change]) -> Vec<(&str, ChangeKind)> {
    changes.iter().map(|c| (c.path.as_str(), c.kind)).collect()
}

fn goal(id: &str, due: &str) -> Value {
    json!({ "id": id, "goal": format!("Reach {id}."), "measure": "Done.", "due": due })
}

// ---- the comparison ------------------------------------------------------

#[test]
fn identical_inputs_have_no_changes() {
    assert_eq!(diff(&agreement_v1(), &agreement_v1()), vec![]);
    assert_eq!(diff(&json!(null), &json!(null)), vec![]);
    assert_eq!(diff(&json!([1, "a"]), &json!([1, "a"])), vec![]);
}

#[test]
fn scalar_change_in_a_mapping() {
    let old = json!({ "meetings": { "cadence": "biweekly", "length": "45m" } });
    let new = json!({ "meetings": { "cadence": "monthly", "length": "45m" } });
    assert_eq!(
        diff(&old, &new),
        vec![change(
            "meetings.cadence",
            ChangeKind::Changed,
            Some(json!("biweekly")),
            Some(json!("monthly"))
        )]
    );
}

#[test]
fn keys_added_and_removed() {
    let old = json!({ "term": { "start": "2026-01-12", "end": "2026-07-10" } });
    let new = json!({ "term": { "start": "2026-01-12" }, "concluded": { "date": "2026-03-01" } });
    assert_eq!(
        diff(&old, &new),
        vec![
            change(
                "concluded",
                ChangeKind::Added,
                None,
                Some(json!({ "date": "2026-03-01" }))
            ),
            change(
                "term.end",
                ChangeKind::Removed,
                Some(json!("2026-07-10")),
                None
            ),
        ]
    );
}

#[test]
fn integers_and_strings_differ() {
    let changes = diff(&json!({ "charter": 1 }), &json!({ "charter": "1" }));
    assert_eq!(paths(&changes), vec![("charter", ChangeKind::Changed)]);
}

#[test]
fn type_change_is_one_change() {
    let old = json!({ "scope": { "in": "system design" } });
    let new = json!({ "scope": { "in": ["system design", "leadership"] } });
    assert_eq!(
        diff(&old, &new),
        vec![change(
            "scope.in",
            ChangeKind::Changed,
            Some(json!("system design")),
            Some(json!(["system design", "leadership"]))
        )]
    );
    let changes = diff(
        &json!({ "feedback": { "how": "x" } }),
        &json!({ "feedback": null }),
    );
    assert_eq!(paths(&changes), vec![("feedback", ChangeKind::Changed)]);
}

#[test]
fn field_change_inside_a_goal_is_one_change() {
    let old = json!({ "goals": [goal("design-review", "2026-04-30"), goal("talk", "2026-06-01")] });
    let new = json!({ "goals": [goal("design-review", "2026-05-15"), goal("talk", "2026-06-01")] });
    assert_eq!(
        diff(&old, &new),
        vec![change(
            "goals[design-review].due",
            ChangeKind::Changed,
            Some(json!("2026-04-30")),
            Some(json!("2026-05-15"))
        )]
    );
}

#[test]
fn goal_added_and_removed_as_whole_items() {
    let old = json!({ "goals": [goal("a", "2026-01-01"), goal("b", "2026-02-01")] });
    let new = json!({ "goals": [goal("a", "2026-01-01"), goal("c", "2026-03-01")] });
    assert_eq!(
        diff(&old, &new),
        vec![
            change(
                "goals[c]",
                ChangeKind::Added,
                None,
                Some(goal("c", "2026-03-01"))
            ),
            change(
                "goals[b]",
                ChangeKind::Removed,
                Some(goal("b", "2026-02-01")),
                None
            ),
        ]
    );
}

#[test]
fn goal_reorder_is_a_move_of_the_fewest_items() {
    let (a, b, c) = (
        goal("a", "2026-01-01"),
        goal("b", "2026-02-01"),
        goal("c", "2026-03-01"),
    );
    let old = json!({ "goals": [a, b, c] });
    let new = json!({ "goals": [c, a, b] });
    assert_eq!(
        diff(&old, &new),
        vec![Change {
            material: false,
            ..change("goals[c]", ChangeKind::Moved, Some(c.clone()), Some(c))
        }]
    );
    // Nothing changed in meaning: reordering goals is editorial.
    assert!(!crate::diff::is_material(&diff(&old, &new)));
}

#[test]
fn goal_moved_and_edited_reports_both() {
    let old = json!({ "goals": [goal("a", "2026-01-01"), goal("b", "2026-02-01")] });
    let new = json!({ "goals": [goal("b", "2026-02-02"), goal("a", "2026-01-01")] });
    assert_eq!(
        paths(&diff(&old, &new)),
        vec![
            ("goals[b]", ChangeKind::Moved),
            ("goals[b].due", ChangeKind::Changed)
        ]
    );
}

#[test]
fn goals_added_into_an_empty_list_are_matched_by_id() {
    let old = json!({ "goals": [] });
    let new = json!({ "goals": [goal("a", "2026-01-01")] });
    assert_eq!(
        paths(&diff(&old, &new)),
        vec![("goals[a]", ChangeKind::Added)]
    );
}

#[test]
fn duplicate_ids_fall_back_to_positions() {
    let old = json!({ "goals": [goal("a", "2026-01-01"), goal("a", "2026-02-01")] });
    let new = json!({ "goals": [goal("a", "2026-01-01"), goal("a", "2026-02-02")] });
    assert_eq!(
        paths(&diff(&old, &new)),
        vec![("goals[1].due", ChangeKind::Changed)]
    );
}

#[test]
fn odd_ids_and_keys_are_quoted_in_paths() {
    let old = json!({ "goals": [goal("7", "2026-01-01")], "x y": 1 });
    let new = json!({ "goals": [goal("7", "2026-01-02")], "x y": 2 });
    let changes = diff(&old, &new);
    assert_eq!(
        paths(&changes),
        vec![
            ("goals[\"7\"].due", ChangeKind::Changed),
            ("[\"x y\"]", ChangeKind::Changed)
        ]
    );
    assert_eq!(changes[1].section(), "[\"x y\"]");
}

#[test]
fn string_list_addition_uses_the_new_index() {
    let old = json!({ "scope": { "in": ["a", "b"] } });
    let new = json!({ "scope": { "in": ["a", "b", "c"] } });
    assert_eq!(
        diff(&old, &new),
        vec![change(
            "scope.in[2]",
            ChangeKind::Added,
            None,
            Some(json!("c"))
        )]
    );
}

#[test]
fn string_list_removal_uses_the_old_index() {
    let old = json!({ "scope": { "out": ["a", "b", "c"] } });
    let new = json!({ "scope": { "out": ["a", "c"] } });
    assert_eq!(
        diff(&old, &new),
        vec![change(
            "scope.out[1]",
            ChangeKind::Removed,
            Some(json!("b")),
            None
        )]
    );
}

#[test]
fn string_list_move_is_one_change() {
    let old = json!({ "channels": ["video call", "chat", "phone"] });
    let new = json!({ "channels": ["chat", "phone", "video call"] });
    assert_eq!(
        diff(&old, &new),
        vec![change(
            "channels[2]",
            ChangeKind::Moved,
            Some(json!("video call")),
            Some(json!("video call"))
        )]
    );
}

#[test]
fn short_string_replaced_is_removed_and_added() {
    let old = json!({ "channels": ["video call", "chat"] });
    let new = json!({ "channels": ["phone", "chat"] });
    assert_eq!(
        paths(&diff(&old, &new)),
        vec![
            ("channels[0]", ChangeKind::Removed),
            ("channels[0]", ChangeKind::Added)
        ]
    );
}

#[test]
fn reworded_list_item_is_changed_in_place() {
    let old = json!({ "mentor": ["Give specific, timely feedback.", "Be on time."] });
    let new = json!({ "mentor": ["Give specific, timely and kind feedback.", "Be on time."] });
    assert_eq!(
        diff(&old, &new),
        vec![change(
            "mentor[0]",
            ChangeKind::Changed,
            Some(json!("Give specific, timely feedback.")),
            Some(json!("Give specific, timely and kind feedback."))
        )]
    );
}

#[test]
fn mappings_without_ids_are_compared_by_position() {
    let charles = json!({ "name": "Charles", "email": "c@example.com", "role": "supervisor" });
    let mut promoted = charles.clone();
    promoted["role"] = json!("director");
    let dorothy = json!({ "name": "Dorothy", "email": "d@example.com", "role": "supervisor" });

    let edited = diff(
        &json!({ "observers": [charles] }),
        &json!({ "observers": [promoted] }),
    );
    assert_eq!(
        paths(&edited),
        vec![("observers[0].role", ChangeKind::Changed)]
    );

    let replaced = diff(
        &json!({ "observers": [charles] }),
        &json!({ "observers": [dorothy] }),
    );
    assert_eq!(
        paths(&replaced),
        vec![
            ("observers[0]", ChangeKind::Removed),
            ("observers[0]", ChangeKind::Added)
        ]
    );
}

#[test]
fn long_text_is_one_change() {
    let old = agreement_v1();
    let mut new = old.clone();
    new["purpose"] = json!("Help Ada grow into a principal engineer by leading cross-team work.");
    let changes = diff(&old, &new);
    assert_eq!(paths(&changes), vec![("purpose", ChangeKind::Changed)]);
}

#[test]
fn absent_agreement_diffs_as_added_sections() {
    let changes = diff(&Value::Null, &json!({ "title": "T", "charter": 1 }));
    assert_eq!(
        paths(&changes),
        vec![("charter", ChangeKind::Added), ("title", ChangeKind::Added)]
    );
    let gone = diff(&json!({ "charter": 1 }), &Value::Null);
    assert_eq!(paths(&gone), vec![("charter", ChangeKind::Removed)]);
}

#[test]
fn title_and_framework_are_editorial_everything_else_material() {
    let changes = diff(&agreement_v1(), &agreement_v2());
    for change in &changes {
        let editorial = change.path == "title"
            || change.path.starts_with("framework")
            || (change.kind == ChangeKind::Moved && change.path.starts_with("goals["));
        assert_eq!(change.material, !editorial, "{}", change.path);
    }
    assert!(changes.iter().any(|c| !c.material));
    assert!(is_material(&changes));

    let mut retitled = agreement_v1();
    retitled["title"] = json!("New title");
    let changes = diff(&agreement_v1(), &retitled);
    assert!(!is_material(&changes));
    assert_eq!(headline(&changes), "1 editorial change");
}

#[test]
fn five_hundred_reversed_goals_are_moves() {
    let old: Vec<Value> = (0..500)
        .map(|n| goal(&format!("g{n}"), "2026-01-01"))
        .collect();
    let mut new: Vec<Value> = old.iter().rev().cloned().collect();
    new[10]["due"] = json!("2026-02-02");
    let changes = diff(&json!({ "goals": old }), &json!({ "goals": new }));
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Moved)
            .count(),
        499
    );
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Changed)
            .count(),
        1
    );
}

// ---- JSON ----------------------------------------------------------------

#[test]
fn change_serialises_with_the_documented_shape() {
    let added = change("scope.in[2]", ChangeKind::Added, None, Some(json!("c")));
    assert_eq!(
        serde_json::to_value(&added).expect("serialisable"),
        json!({ "path": "scope.in[2]", "kind": "added", "old": null, "new": "c", "material": true })
    );
    let kinds: Vec<Value> = [
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Changed,
        ChangeKind::Moved,
    ]
    .iter()
    .map(|k| serde_json::to_value(k).expect("serialisable"))
    .collect();
    assert_eq!(
        kinds,
        vec![
            json!("added"),
            json!("removed"),
            json!("changed"),
            json!("moved")
        ]
    );
}

// ---- words ---------------------------------------------------------------

#[test]
fn word_diff_marks_replaced_words() {
    assert_eq!(
        words::word_diff(
            "answered within two working days.",
            "answered within three working days."
        ),
        vec![
            Piece::Same("answered within ".into()),
            Piece::Edit {
                removed: "two".into(),
                added: "three".into()
            },
            Piece::Same(" working days.".into()),
        ]
    );
}

#[test]
fn word_diff_keeps_spacing_around_edits_at_the_ends() {
    let rendered = |old, new| {
        let change = change("p", ChangeKind::Changed, Some(json!(old)), Some(json!(new)));
        text(&[change], false)
    };
    assert_eq!(
        rendered("one two three four five", "one two three four"),
        "p\n  ± one two three four [-five-]\n"
    );
    assert_eq!(
        rendered("one two three four", "zero one two three four"),
        "p\n  ± {+zero+} one two three four\n"
    );
    assert_eq!(
        rendered("one two three four", "one  two three   four"),
        "p\n  ± one two three four → one  two three   four\n"
    );
}

#[test]
fn prose_detection() {
    assert!(!words::is_prose("biweekly"));
    assert!(!words::is_prose("every 3 weeks"));
    assert!(words::is_prose("Raise blockers early and often."));
    assert!(words::is_prose(&"x".repeat(61)));
    assert!(words::is_prose("two\nlines"));
}

// ---- summary and headline --------------------------------------------------

#[test]
fn headline_counts_material_and_editorial() {
    let material = change("meetings.cadence", ChangeKind::Changed, None, None);
    let editorial = Change {
        material: false,
        ..change("title", ChangeKind::Changed, None, None)
    };
    assert_eq!(headline(&[]), "no changes");
    assert_eq!(
        headline(std::slice::from_ref(&material)),
        "1 material change"
    );
    assert_eq!(
        headline(&[editorial.clone(), editorial.clone()]),
        "2 editorial changes"
    );
    assert_eq!(
        headline(&[material.clone(), material.clone(), material, editorial]),
        "3 material changes, 1 editorial"
    );
}

#[test]
fn summary_groups_list_items_and_inlines_short_scalars() {
    let mut old = agreement_v1();
    let mut new = agreement_v1();
    old["goals"] = json!([
        goal("a", "2026-01-01"),
        goal("b", "2026-02-01"),
        goal("c", "2026-03-01")
    ]);
    new["goals"] = json!([
        goal("a", "2026-01-02"),
        goal("b", "2026-02-02"),
        goal("c", "2026-03-01"),
        goal("d", "2026-04-01")
    ]);
    new["goals"][0]["measure"] = json!("Finished.");
    new["meetings"]["cadence"] = json!("monthly");
    new["title"] = json!("Another title");
    assert_eq!(
        summary(&diff(&old, &new)),
        "goals: +1 ~2; meetings.cadence biweekly → monthly; title changed"
    );
    assert_eq!(summary(&[]), "no changes");
}

#[test]
fn summary_of_a_large_amendment_is_truncated() {
    let line = summary(&diff(&agreement_v1(), &agreement_v2()));
    assert!(line.chars().count() <= 100, "{line}");
    assert!(line.ends_with('…'), "{line}");
    assert!(
        line.starts_with("confidentiality: 2 changes; framework: +1; goals: +1 -1 ~1 ↕1; "),
        "{line}"
    );
}

// ---- renderers -----------------------------------------------------------

#[test]
fn text_without_color_has_no_escapes_and_with_color_has_them() {
    let changes = diff(&agreement_v1(), &agreement_v2());
    assert!(!text(&changes, false).contains('\u{1b}'));
    let colored = text(&changes, true);
    assert!(colored.contains("\u{1b}[31m"), "red for old values");
    assert!(colored.contains("\u{1b}[32m"), "green for new values");
}

#[test]
fn nothing_is_rendered_for_no_changes() {
    assert_eq!(text(&[], true), "");
    assert_eq!(markdown(&[]), "");
}

#[test]
fn markdown_code_spans_survive_backticks_and_prose_is_escaped() {
    let old = json!({ "notes": "use `x`", "purpose": "Learn *everything* about [links] fast." });
    let new = json!({ "notes": "use ``y``", "purpose": "Learn *most* things about [links] fast." });
    let rendered = markdown(&diff(&old, &new));
    assert!(
        rendered.contains("- `notes`: `` use `x` `` → ``` use ``y`` ```"),
        "{rendered}"
    );
    assert!(
        rendered.contains(r"Learn ~~\*everything\*~~ **\*most\* things** about \[links\] fast."),
        "{rendered}"
    );
}

#[test]
fn type_changes_render_inline_when_short_and_in_full_when_long() {
    let old = json!({ "scope": { "in": "system design", "out": "hiring decisions and every kind of rating" } });
    let new =
        json!({ "scope": { "in": ["system design", "leadership"], "out": ["hiring", "ratings"] } });
    let changes = diff(&old, &new);
    assert_eq!(
        text(&changes, false),
        "scope\n  scope.in\n    ± system design → [system design, leadership]\n  \
         scope.out\n    - hiring decisions and every kind of rating\n    + - hiring\n      - ratings\n"
    );
    assert_eq!(
        markdown(&changes),
        "**scope**\n\n- `scope.in`: `system design` → `[system design, leadership]`\n\
         - `scope.out` changed:\n  - was: `hiring decisions and every kind of rating`\n  \
         - now: `[hiring, ratings]`\n"
    );
}

#[test]
fn spacing_only_change_shows_both_values() {
    let old = json!({ "purpose": "Grow into a staff engineer." });
    let new = json!({ "purpose": "Grow into a  staff engineer." });
    assert_eq!(
        text(&diff(&old, &new), false),
        "purpose\n  ± Grow into a staff engineer. → Grow into a  staff engineer.\n"
    );
}

#[test]
fn editorial_changes_are_marked_in_text_and_markdown() {
    let mut new = agreement_v1();
    new["title"] = json!("Growth");
    new["framework"] = json!([]);
    let changes = diff(&agreement_v1(), &new);
    let rendered = text(&changes, false);
    assert!(rendered.contains("framework  (editorial)\n"), "{rendered}");
    assert!(rendered.contains("title  (editorial)\n"), "{rendered}");
    let rendered = markdown(&changes);
    assert!(
        rendered.contains("**framework** _(editorial)_\n"),
        "{rendered}"
    );
    assert!(rendered.contains("**title** _(editorial)_\n"), "{rendered}");
}

#[test]
fn values_that_could_be_misread_are_quoted() {
    let old = json!({ "a": "1", "b": "true", "c": "", "d": ["x, y"] });
    let new = json!({ "a": 1, "b": true, "c": " pad", "d": ["z"] });
    let rendered = text(&diff(&old, &new), false);
    assert!(rendered.contains("± \"1\" → 1"), "{rendered}");
    assert!(rendered.contains("± \"true\" → true"), "{rendered}");
    assert!(rendered.contains("± \"\" → \" pad\""), "{rendered}");
    assert!(rendered.contains("- x, y"), "{rendered}");
}

// ---- snapshots -------------------------------------------------------------

#[test]
fn snapshot_text() {
    insta::assert_snapshot!(text(&diff(&agreement_v1(), &agreement_v2()), false));
}

#[test]
fn snapshot_markdown() {
    insta::assert_snapshot!(markdown(&diff(&agreement_v1(), &agreement_v2())));
}

#[test]
fn snapshot_json() {
    insta::assert_json_snapshot!(diff(&agreement_v1(), &agreement_v2()));
}

#[test]
fn snapshot_summary_and_headline() {
    let changes = diff(&agreement_v1(), &agreement_v2());
    insta::assert_snapshot!(format!("{}\n{}", headline(&changes), summary(&changes)));
}

#[test]
fn prose_starts_at_four_words_or_sixty_one_characters() {
    assert!(!words::is_prose("one two three"));
    assert!(words::is_prose("one two three four"));
    assert!(!words::is_prose(&"x".repeat(60)));
    assert!(words::is_prose(&"x".repeat(61)));
    assert!(
        !words::is_prose(&"é".repeat(31)),
        "characters count, not bytes: 62 bytes are 31 characters"
    );
}

#[test]
fn one_prose_side_is_enough_for_a_word_diff() {
    let (long, short) = (json!("one two three four"), json!("x"));
    assert_eq!(
        words::prose_pair(&long, &short),
        Some(("one two three four", "x"))
    );
    assert_eq!(
        words::prose_pair(&short, &long),
        Some(("x", "one two three four"))
    );
    assert_eq!(words::prose_pair(&short, &json!("y")), None);
    assert_eq!(words::prose_pair(&long, &json!(4)), None);
}

#[test]
fn rewording_needs_prose_on_both_sides_sharing_half_the_words() {
    // Two of four words kept on each side: a ratio of exactly one half.
    assert!(words::is_rewording("a b c d", "a b x y"));
    assert!(!words::is_rewording("a b c d", "a x y z"));
    assert!(
        !words::is_rewording("a b c d", "a b"),
        "the new side is short"
    );
    assert!(
        !words::is_rewording("a b", "a b c d"),
        "the old side is short"
    );
}

#[test]
fn an_item_sharing_half_its_fields_is_edited_and_less_is_replaced() {
    let half = diff(
        &json!({ "p": [{ "a": 1, "b": 2 }] }),
        &json!({ "p": [{ "a": 1, "b": 3 }] }),
    );
    assert_eq!(paths(&half), vec![("p[0].b", ChangeKind::Changed)]);
    let third = diff(
        &json!({ "p": [{ "a": 1, "b": 2, "c": 3 }] }),
        &json!({ "p": [{ "a": 1, "b": 9, "c": 9 }] }),
    );
    assert_eq!(
        paths(&third),
        vec![("p[0]", ChangeKind::Removed), ("p[0]", ChangeKind::Added)]
    );
    let grown = diff(
        &json!({ "p": [{ "a": 1 }] }),
        &json!({ "p": [{ "a": 1, "b": 2, "c": 3 }] }),
    );
    assert_eq!(
        paths(&grown),
        vec![("p[0]", ChangeKind::Removed), ("p[0]", ChangeKind::Added)],
        "one of three fields shared, counted against the larger side"
    );
}

#[test]
fn a_list_inside_a_list_is_compared_in_place() {
    let changes = diff(&json!({ "p": [[1, 2]] }), &json!({ "p": [[1, 3]] }));
    assert_eq!(
        paths(&changes),
        vec![
            ("p[0][1]", ChangeKind::Removed),
            ("p[0][1]", ChangeKind::Added)
        ]
    );
}

#[test]
fn equal_scalars_and_equal_lists_are_no_change() {
    for value in [json!(1), json!("x"), json!(null), json!([1, 2]), json!({})] {
        assert!(diff(&json!({ "k": value }), &json!({ "k": value })).is_empty());
    }
}

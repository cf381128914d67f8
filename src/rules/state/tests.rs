//! The rules of the README's "History, notice and states" on synthetic histories: no git, no keys.

use chrono::NaiveDate;

use super::*;
use crate::agreement::lint::{check, Context};
use crate::history::{ChainCommit, FileState, History, Version};

const BASE: &str = "charter: 1
title: T
parties:
  mentor: { name: M, email: m@example.com }
  mentee: { name: E, email: e@example.com }
purpose: P
effective: 2026-01-12
term: { start: 2026-01-01, end: 2026-12-31 }
meetings: { cadence: biweekly }
goals:
  - { id: g, goal: G, measure: M, due: 2026-06-01, evidence: E }
confidentiality: { private: [x], exceptions: [y] }
renegotiation: { notice: 14d }
";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn noon(s: &str) -> i64 {
    day(s).and_hms_opt(12, 0, 0).unwrap().and_utc().timestamp()
}

struct Builder {
    points: Vec<Version>,
}

impl Builder {
    fn new() -> Self {
        Builder { points: Vec::new() }
    }

    /// Commit `text` on `date`; returns the version id.
    fn commit(&mut self, date: &str, text: &str) -> VersionId {
        let (parsed, _) = check("agreements/a.yaml", text.as_bytes(), &Context::default());
        let id = parsed.version().cloned().expect("test agreements parse");
        let position = self.points.len();
        let commit = ChainCommit {
            id: git2::Oid::from_bytes(&[position as u8 + 1; 20]).unwrap(),
            raw_time: noon(date),
            time: noon(date),
            author: "t".into(),
            subject: "s".into(),
        };
        self.points
            .push(Version::new(commit, position, FileState::Present(parsed)));
        id
    }

    fn history(&self) -> History {
        History {
            path: "agreements/a.yaml".into(),
            points: self.points.clone(),
        }
    }
}

fn approval(
    role: Role,
    principal: &str,
    version: &VersionId,
    amends: Option<&VersionId>,
    key: &str,
    date: &str,
) -> Approval {
    Approval {
        file: format!("{role}-{key}-{date}"),
        role,
        principal: principal.into(),
        version: version.clone(),
        amends: amends.cloned(),
        waive_notice: false,
        key: key.into(),
        time: noon(date),
        position: usize::MAX,
    }
}

fn both(version: &VersionId, amends: Option<&VersionId>, date: &str) -> Vec<Approval> {
    vec![
        approval(Role::Mentor, "m@example.com", version, amends, "km", date),
        approval(Role::Mentee, "e@example.com", version, amends, "ke", date),
    ]
}

fn amended(effective: &str) -> String {
    BASE.replace("cadence: biweekly", "cadence: monthly")
        .replace("effective: 2026-01-12", &format!("effective: {effective}"))
}

#[test]
fn nothing_signed_is_a_draft() {
    let mut b = Builder::new();
    b.commit("2026-01-05", BASE);
    let e = evaluate(&b.history(), &[], day("2026-02-01"));
    assert_eq!(e.state, AgreementState::Draft);
    assert_eq!(e.versions[0].state, VersionState::Draft);
    assert_eq!(e.versions[0].missing, vec![Role::Mentor, Role::Mentee]);
}

#[test]
fn both_parties_sign_and_it_takes_effect_on_its_date() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-01-10"),
    );
    assert!(e.versions[0].signed);
    assert_eq!(e.versions[0].takes_effect, Some(day("2026-01-12")));
    assert_eq!(
        e.state,
        AgreementState::Scheduled,
        "signed, waiting for 12 January"
    );
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-01-12"),
    );
    assert_eq!(e.state, AgreementState::InForce);
    assert_eq!(e.in_force, Some(0));
}

/// `show` shows the version in force, else (or when asked) the newest.
#[test]
fn the_version_shown_is_the_one_in_force_unless_the_newest_is_asked_for() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let e = evaluate(&b.history(), &[], day("2026-02-01"));
    assert_eq!((e.shown(false), e.shown(true)), (Some(0), Some(0)));
    b.commit("2026-02-02", &amended("2026-06-01"));
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-02-03"),
    );
    assert_eq!(e.in_force, Some(0));
    assert_eq!((e.shown(false), e.shown(true)), (Some(0), Some(1)));
    let none = evaluate(&Builder::new().history(), &[], day("2026-02-03"));
    assert_eq!(none.shown(false), None);
}

#[test]
fn signing_late_delays_taking_effect() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-20"),
        day("2026-02-01"),
    );
    assert_eq!(e.versions[0].signed_date, Some(day("2026-01-20")));
    assert_eq!(e.versions[0].takes_effect, Some(day("2026-01-20")));
}

#[test]
fn one_key_for_both_roles_does_not_sign() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let mut a = both(&v1, None, "2026-01-06");
    a[1].key = "km".into();
    let e = evaluate(&b.history(), &a, day("2026-02-01"));
    assert!(!e.versions[0].signed);
    assert_eq!(e.state, AgreementState::Draft);
}

#[test]
fn the_wrong_principal_does_not_count() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let mut a = both(&v1, None, "2026-01-06");
    a[1].principal = "m@example.com".into();
    let e = evaluate(&b.history(), &a, day("2026-02-01"));
    assert!(!e.versions[0].signed);
    assert_eq!(e.versions[0].signed_by, vec![Role::Mentor]);
    assert_eq!(
        e.versions[0].missing,
        vec![Role::Mentee],
        "a mentee sign-off by the mentor's address is no mentee sign-off"
    );
}

#[test]
fn a_pending_amendment_that_is_too_early_breaks_notice() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit("2026-03-01", &amended("2026-03-05"));
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-03-02"),
    );
    assert_eq!(e.state, AgreementState::Pending);
    let pending = &e.versions[e.pending.unwrap()];
    assert_eq!(pending.state, VersionState::Pending);
    let n = pending.notice.as_ref().unwrap();
    assert_eq!(n.opened, day("2026-03-01"));
    assert_eq!(n.notice_days, 14);
    assert_eq!(n.earliest_effective, day("2026-03-15"));
    assert!(!n.ok());
}

#[test]
fn a_signed_early_amendment_breaks_notice_but_waits_for_it() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit("2026-03-01", &amended("2026-03-05"));
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(both(&v2, Some(&v1), "2026-03-02"));
    let e = evaluate(&b.history(), &a, day("2026-03-10"));
    let v = &e.versions[1];
    assert!(v.signed);
    assert!(!v.notice.as_ref().unwrap().ok());
    assert_eq!(
        v.takes_effect,
        Some(day("2026-03-15")),
        "never before the notice ends"
    );
    assert_eq!(
        e.in_force,
        Some(0),
        "the first version stays in force until then"
    );
    assert_eq!(v.state, VersionState::Scheduled);
}

#[test]
fn both_parties_can_waive_the_notice() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit("2026-03-01", &amended("2026-03-05"));
    let mut a = both(&v1, None, "2026-01-06");
    let mut second = both(&v2, Some(&v1), "2026-03-02");
    second[0].waive_notice = true;
    a.extend(second.clone());
    let e = evaluate(&b.history(), &a, day("2026-03-10"));
    assert!(
        !e.versions[1].notice.as_ref().unwrap().waived,
        "one waiver is not enough"
    );
    second[1].waive_notice = true;
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(second);
    let e = evaluate(&b.history(), &a, day("2026-03-10"));
    let v = &e.versions[1];
    assert!(v.notice.as_ref().unwrap().ok());
    assert_eq!(v.takes_effect, Some(day("2026-03-05")));
    assert_eq!(e.in_force, Some(1));
}

#[test]
fn editorial_changes_need_no_notice() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit(
        "2026-03-01",
        &BASE.replace("title: T", "title: Better title"),
    );
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(both(&v2, Some(&v1), "2026-03-02"));
    let e = evaluate(&b.history(), &a, day("2026-03-03"));
    let v = &e.versions[1];
    assert!(!v.material);
    assert!(v.notice.as_ref().unwrap().ok());
    assert_eq!(v.takes_effect, Some(day("2026-03-02")));
}

#[test]
fn shortening_the_notice_does_not_help_the_same_amendment() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit(
        "2026-03-01",
        &amended("2026-03-05").replace("notice: 14d", "notice: 1d"),
    );
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-03-02"),
    );
    let n = e.versions[1].notice.as_ref().unwrap();
    assert_eq!(n.notice_days, 14);
    assert!(!n.ok());
}

#[test]
fn renegotiation_opens_at_the_first_change_after_the_signed_text() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit("2026-02-01", &amended("2026-02-20"));
    b.commit("2026-02-10", BASE); // withdrawn: back to the signed text
    b.commit("2026-03-01", &amended("2026-03-10"));
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-03-02"),
    );
    let pending = &e.versions[e.pending.unwrap()];
    assert_eq!(
        pending.notice.as_ref().unwrap().opened,
        day("2026-03-01"),
        "made again, opened anew"
    );
    assert_eq!(e.versions[1].state, VersionState::Abandoned);
}

#[test]
fn a_withdrawn_proposal_leaves_nothing_pending() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit("2026-02-01", &amended("2026-02-20"));
    b.commit("2026-02-10", BASE); // withdrawn: back to the signed text
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-03-02"),
    );
    assert_eq!(e.pending, None);
    assert_eq!(e.state, AgreementState::InForce);
    assert_eq!(e.versions[1].state, VersionState::Abandoned);
    assert_eq!(
        e.versions[2].state,
        VersionState::InForce,
        "the signed text again"
    );
}

#[test]
fn a_scheduled_version_is_superseded_when_a_newer_one_is_signed_first() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit("2026-03-01", &amended("2026-06-01"));
    let v3 = b.commit(
        "2026-03-05",
        &amended("2026-07-01").replace("purpose: P", "purpose: Q"),
    );
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(both(&v2, Some(&v1), "2026-03-02"));
    a.extend(both(&v3, Some(&v2), "2026-03-06"));
    let e = evaluate(&b.history(), &a, day("2026-03-10"));
    assert_eq!(
        e.versions[1].state,
        VersionState::Superseded,
        "superseded before its date, not scheduled"
    );
    assert_eq!(e.versions[2].state, VersionState::Scheduled);
    assert_eq!(e.scheduled, vec![2]);
    let e = evaluate(&b.history(), &a, day("2026-06-15"));
    assert_eq!(e.versions[1].state, VersionState::Superseded);
    assert_eq!(e.in_force, Some(0), "v2 never takes effect");
    let e = evaluate(&b.history(), &a, day("2026-07-01"));
    assert_eq!(e.in_force, Some(2));
}

#[test]
fn a_sign_off_that_names_another_previous_version_does_not_count() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit("2026-03-01", &amended("2026-04-01"));
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(both(&v2, None, "2026-03-02")); // replayed from a first-version context
    let e = evaluate(&b.history(), &a, day("2026-04-02"));
    assert!(!e.versions[1].signed);
}

#[test]
fn concluding_needs_one_party() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit(
        "2026-03-01",
        &format!("{BASE}concluded: {{ date: 2026-03-03 }}\n"),
    );
    let mut a = both(&v1, None, "2026-01-06");
    a.push(approval(
        Role::Mentee,
        "e@example.com",
        &v2,
        Some(&v1),
        "ke",
        "2026-03-02",
    ));
    let e = evaluate(&b.history(), &a, day("2026-03-04"));
    assert!(e.versions[1].concluding);
    assert!(e.versions[1].signed);
    assert_eq!(e.versions[1].takes_effect, Some(day("2026-03-03")));
    assert_eq!(e.state, AgreementState::Concluded);
}

#[test]
fn a_new_party_needs_the_previous_one_to_sign_too() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let text = amended("2026-04-01").replace("e@example.com", "new@example.com");
    let v2 = b.commit("2026-03-01", &text);
    let mut a = both(&v1, None, "2026-01-06");
    a.push(approval(
        Role::Mentor,
        "m@example.com",
        &v2,
        Some(&v1),
        "km",
        "2026-03-02",
    ));
    a.push(approval(
        Role::Mentee,
        "new@example.com",
        &v2,
        Some(&v1),
        "kn",
        "2026-03-02",
    ));
    let e = evaluate(&b.history(), &a, day("2026-04-02"));
    assert!(!e.versions[1].signed, "the previous mentee has not agreed");
    a.push(approval(
        Role::Mentee,
        "e@example.com",
        &v2,
        Some(&v1),
        "ke",
        "2026-03-03",
    ));
    let e = evaluate(&b.history(), &a, day("2026-04-02"));
    assert!(e.versions[1].signed);
    assert_eq!(e.versions[1].signed_date, Some(day("2026-03-03")));
}

#[test]
fn past_the_term_end_the_agreement_has_ended() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2027-01-01"),
    );
    assert_eq!(e.state, AgreementState::Ended);
    assert_eq!(
        e.versions[0].state,
        VersionState::InForce,
        "the last version stays the record"
    );
}

#[test]
fn state_words_are_the_json_names() {
    use VersionState as V;
    for state in [
        V::InForce,
        V::Scheduled,
        V::Pending,
        V::Superseded,
        V::Abandoned,
        V::Unparseable,
        V::Draft,
    ] {
        assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
    }
    use AgreementState as A;
    for state in [
        A::Draft,
        A::InForce,
        A::Pending,
        A::Scheduled,
        A::Concluded,
        A::Ended,
    ] {
        assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
    }
    assert_eq!(V::InForce.as_str(), "in-force");
    assert_eq!(A::Concluded.as_str(), "concluded");
}

#[test]
fn an_amendment_effective_the_day_the_notice_ends_keeps_it() {
    for (effective, ok) in [("2026-03-14", false), ("2026-03-15", true)] {
        let mut b = Builder::new();
        let v1 = b.commit("2026-01-05", BASE);
        b.commit("2026-03-01", &amended(effective));
        let e = evaluate(
            &b.history(),
            &both(&v1, None, "2026-01-06"),
            day("2026-03-02"),
        );
        let n = e.versions[1].notice.as_ref().unwrap();
        assert_eq!(n.earliest_effective, day("2026-03-15"));
        assert_eq!(n.ok(), ok, "effective {effective}");
    }
}

#[test]
fn a_version_signed_on_its_effective_date_is_in_force_that_day() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let a = both(&v1, None, "2026-01-12");
    let e = evaluate(&b.history(), &a, day("2026-01-11"));
    assert_eq!(e.in_force, None);
    assert_eq!(e.scheduled, vec![0]);
    assert_eq!(e.state, AgreementState::Scheduled, "the day before");
    let e = evaluate(&b.history(), &a, day("2026-01-12"));
    assert_eq!(e.in_force, Some(0));
    assert!(e.scheduled.is_empty());
    assert_eq!(e.versions[0].takes_effect, Some(day("2026-01-12")));
    assert_eq!(e.state, AgreementState::InForce);
}

#[test]
fn the_earliest_completing_pair_signs_and_a_waiving_pair_wins() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let mut a = both(&v1, None, "2026-01-08");
    a.push(approval(
        Role::Mentor,
        "m@example.com",
        &v1,
        None,
        "km2",
        "2026-01-06",
    ));
    let e = evaluate(&b.history(), &a, day("2026-02-01"));
    assert_eq!(e.versions[0].signed_date, Some(day("2026-01-08")));
    assert_eq!(
        e.versions[0].signoff_files,
        ["mentor-km-2026-01-08", "mentee-ke-2026-01-08"],
        "of two pairs complete on the same day, the first found counts"
    );

    let v2 = b.commit("2026-03-01", &amended("2026-03-05"));
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(both(&v2, Some(&v1), "2026-03-02"));
    let mut waiving = both(&v2, Some(&v1), "2026-03-04");
    for w in &mut waiving {
        w.waive_notice = true;
        w.key.push('w');
    }
    a.extend(waiving);
    let e = evaluate(&b.history(), &a, day("2026-03-10"));
    let v = &e.versions[1];
    assert!(v.notice.as_ref().unwrap().waived, "the waiving pair counts");
    assert_eq!(v.signed_date, Some(day("2026-03-04")));
    assert_eq!(v.takes_effect, Some(day("2026-03-05")));
    assert_eq!(
        v.signoff_files,
        ["mentor-km-2026-03-04", "mentee-ke-2026-03-04"]
    );
}

#[test]
fn a_version_in_force_on_the_day_a_newer_one_is_signed_stays_in_force() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit("2026-01-10", &amended("2026-02-01"));
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(both(&v2, Some(&v1), "2026-01-12"));
    let e = evaluate(&b.history(), &a, day("2026-01-15"));
    assert_eq!(e.versions[0].takes_effect, Some(day("2026-01-12")));
    assert_eq!(e.in_force, Some(0), "it took effect the day v2 was signed");
    assert_eq!(e.versions[0].state, VersionState::InForce);
    assert_eq!(e.versions[1].state, VersionState::Scheduled);
    assert_eq!(e.state, AgreementState::Scheduled);
}

#[test]
fn the_last_day_of_the_term_is_still_in_force() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let a = both(&v1, None, "2026-01-06");
    let e = evaluate(&b.history(), &a, day("2026-12-31"));
    assert_eq!(e.state, AgreementState::InForce);
    let e = evaluate(&b.history(), &a, day("2027-01-01"));
    assert_eq!(e.state, AgreementState::Ended);
}

#[test]
fn one_party_signed_leaves_the_other_missing() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let a = vec![approval(
        Role::Mentor,
        "m@example.com",
        &v1,
        None,
        "km",
        "2026-01-06",
    )];
    let e = evaluate(&b.history(), &a, day("2026-02-01"));
    assert!(!e.versions[0].signed);
    assert_eq!(e.versions[0].signed_by, vec![Role::Mentor]);
    assert_eq!(e.versions[0].missing, vec![Role::Mentee]);
}

#[test]
fn a_version_replaced_on_the_day_it_takes_effect_is_superseded_not_scheduled() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let v2 = b.commit(
        "2026-01-06",
        &BASE.replace("title: T", "title: Better title"),
    );
    let mut a = both(&v1, None, "2026-01-12");
    a.extend(both(&v2, Some(&v1), "2026-01-12"));
    let e = evaluate(&b.history(), &a, day("2026-01-12"));
    assert_eq!(e.versions[0].takes_effect, Some(day("2026-01-12")));
    assert_eq!(e.versions[1].takes_effect, Some(day("2026-01-12")));
    assert_eq!(e.in_force, Some(1));
    assert_eq!(e.versions[0].state, VersionState::Superseded);
    assert!(e.scheduled.is_empty());
    assert_eq!(e.state, AgreementState::InForce);
}

#[test]
fn sign_offs_count_for_the_newest_occurrence_of_a_proposal_made_again() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    let x = b.commit("2026-02-01", &amended("2026-03-01"));
    b.commit("2026-02-10", BASE); // withdrawn
    b.commit("2026-06-01", &amended("2026-03-01")); // made again
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(both(&x, Some(&v1), "2026-06-02"));
    let e = evaluate(&b.history(), &a, day("2026-07-01"));
    assert!(
        !e.versions[1].signed,
        "the withdrawn occurrence stays unsigned"
    );
    let again = &e.versions[3];
    assert!(again.signed);
    let n = again.notice.as_ref().unwrap();
    assert_eq!(
        n.opened,
        day("2026-06-01"),
        "notice counts from the new opening"
    );
    assert!(!n.ok());
    assert_eq!(again.takes_effect, Some(day("2026-06-15")));
    // A sign-off made before the proposal was made again counts for the old one only.
    let early = both(&x, Some(&v1), "2026-02-02");
    let mut a = both(&v1, None, "2026-01-06");
    a.extend(early);
    let e = evaluate(&b.history(), &a, day("2026-07-01"));
    assert!(e.versions[1].signed);
    assert!(!e.versions[3].signed);
}

#[test]
fn an_unsigned_version_in_between_is_not_the_previous_signed_one() {
    let retitled = BASE.replace("title: T", "title: Better title");
    let concluded = |text: &str| format!("{text}concluded: {{ date: 2026-03-03 }}\n");

    // Signed, then an unsigned editorial change, then `concluded` on top of
    // it: against the signed version two things changed, so it does not
    // merely conclude (against the version before, it would).
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit("2026-02-01", &retitled);
    let v3 = b.commit("2026-03-01", &concluded(&retitled));
    let mut a = both(&v1, None, "2026-01-06");
    a.push(approval(
        Role::Mentee,
        "e@example.com",
        &v3,
        Some(&v1),
        "ke",
        "2026-03-02",
    ));
    let e = evaluate(&b.history(), &a, day("2026-03-04"));
    let v = &e.versions[2];
    assert!(
        !v.concluding,
        "the title changed too since the signed version"
    );
    assert!(!v.signed, "one party cannot sign more than a conclusion");
    assert!(v.material);
    assert!(v.notice.as_ref().is_some_and(|n| n.material));
    assert_eq!(e.state, AgreementState::Pending);

    // The other way round: the editorial change is undone as the agreement
    // concludes, so against the signed version it only concludes.
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit("2026-02-01", &retitled);
    let v3 = b.commit("2026-03-01", &concluded(BASE));
    let mut a = both(&v1, None, "2026-01-06");
    a.push(approval(
        Role::Mentee,
        "e@example.com",
        &v3,
        Some(&v1),
        "ke",
        "2026-03-02",
    ));
    let e = evaluate(&b.history(), &a, day("2026-03-04"));
    let v = &e.versions[2];
    assert!(v.concluding);
    assert!(v.signed);
    assert_eq!(e.state, AgreementState::Concluded);

    // Signed, then an unsigned material change, then an editorial change of
    // the signed text: material against the version before, editorial
    // against the signed one, so no notice applies.
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit("2026-02-01", &amended("2026-02-20"));
    b.commit("2026-03-01", &retitled);
    let e = evaluate(
        &b.history(),
        &both(&v1, None, "2026-01-06"),
        day("2026-03-02"),
    );
    let v = &e.versions[2];
    assert!(v.material, "against the version before it");
    let n = v.notice.as_ref().expect("an amendment of a signed version");
    assert!(!n.material, "against the signed version");
    assert!(n.ok());
}

#[test]
fn agreements_whose_data_was_forgotten_are_classified_alike() {
    let mut b = Builder::new();
    let v1 = b.commit("2026-01-05", BASE);
    b.commit(
        "2026-02-01",
        &BASE.replace("title: T", "title: Better title"),
    );
    b.commit("2026-03-01", &amended("2026-03-20"));
    b.commit(
        "2026-04-01",
        &format!(
            "{}concluded: {{ date: 2026-04-03 }}\n",
            amended("2026-03-20")
        ),
    );
    let kept = b.history();
    let mut forgotten = b.history();
    for p in &mut forgotten.points {
        if let FileState::Present(parsed) = &mut p.state {
            parsed.forget_data();
        }
    }
    let a = both(&v1, None, "2026-01-06");
    let summary = |h: &History| {
        evaluate(h, &a, day("2026-04-05"))
            .versions
            .iter()
            .map(|v| (v.material, v.concluding, v.notice.clone(), v.state))
            .collect::<Vec<_>>()
    };
    let expected = summary(&kept);
    assert_eq!(
        expected.iter().map(|v| (v.0, v.1)).collect::<Vec<_>>(),
        [(true, false), (false, false), (true, false), (true, false)]
    );
    assert_eq!(summary(&forgotten), expected);
}

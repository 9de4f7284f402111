//! `check`'s warnings: each case in tests/fixtures/warnings/<case>/ holds the files that change
//! the good fixture, and its exact output is the snapshot tests/snapshots/lint__<case>.snap
//! (review changes with `cargo insta review`). A warning does not fail `check` or `build`,
//! fails `check --deny-warnings`, and is not in the good fixture's own output.

mod common;
use common::*;

fn warning_case(case: &str, headline: &str) {
    let baseline = text(&handbook(&["check", "."], good_book().path()));
    assert!(
        !baseline.contains(headline),
        "{case}: the good fixture already warns `{headline}`:\n{baseline}"
    );
    let book = good_book();
    copy_dir(&fixture("warnings").join(case), book.path());
    let check = handbook(&["check", "."], book.path());
    let t = text(&check);
    assert!(
        check.status.success(),
        "{case}: a warning failed check\n{t}"
    );
    assert!(
        t.contains(headline),
        "{case}: expected `{headline}` in:\n{t}"
    );
    insta::assert_snapshot!(case, t);
    let denied = handbook(&["check", ".", "--deny-warnings"], book.path());
    assert_eq!(denied.status.code(), Some(1), "{case}: --deny-warnings");
    let built = handbook(&["build", "."], book.path());
    assert!(built.status.success(), "{case}: build\n{}", text(&built));
}

macro_rules! warnings {
    ($($name:ident => $case:literal, $headline:literal),* $(,)?) => {
        $(#[test] fn $name() { warning_case($case, $headline); })*

        /// Every fixture folder has its test above.
        #[test]
        fn every_warning_fixture_has_a_test() {
            let mut listed = vec![$($case),*];
            listed.sort();
            assert_eq!(fixture_cases("warnings"), listed, "add a line to `warnings!` for each fixture");
        }
    };
}

warnings! {
    // deeper-question.md without its anchors (the good fixture's other questions have none
    // either, so the headline is checked with the file it names).
    no_anchors => "no-anchors", "--> content/questions/deeper-question.md:2:1",
    no_rating_scale => "no-rating-scale", "the guide defines no rating scale",
    long_level_sheet => "long-level-sheet", "the level 2 sheet (sheets/level-2.html) will not fit on one printed page",
}

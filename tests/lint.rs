//! `check`'s warnings: each case in tests/fixtures/warnings/<case>/ holds the files that change
//! the good fixture and `expected.txt`, lines that must all appear in the output. A warning
//! does not fail `check`, fails `check --deny-warnings`, and is not reported on the good
//! fixture itself.

mod common;
use common::*;

#[test]
fn every_warning_fixture_warns_without_failing() {
    let baseline = text(&handbook(&["check", "."], good_book().path()));
    let cases: Vec<String> = std::fs::read_dir(fixture("warnings"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(cases.len() >= 3, "fixtures missing: {cases:?}");
    for case in cases {
        let expected = read(&fixture("warnings").join(&case).join("expected.txt"));
        let book = good_book();
        copy_dir(&fixture("warnings").join(&case), book.path());
        std::fs::remove_file(book.path().join("expected.txt")).expect("expected.txt copied");
        let out = handbook(&["check", "."], book.path());
        let t = text(&out);
        assert!(out.status.success(), "{case}: a warning failed check\n{t}");
        assert!(!t.contains("panicked"), "{case}: panic\n{t}");
        let lines: Vec<&str> = expected.lines().filter(|l| !l.is_empty()).collect();
        for line in &lines {
            assert!(t.contains(line), "{case}: expected `{line}` in:\n{t}");
        }
        assert!(
            lines.iter().any(|l| !baseline.contains(l)),
            "{case}: the good fixture already reports all of it:\n{baseline}"
        );
        let denied = handbook(&["check", ".", "--deny-warnings"], book.path());
        assert_eq!(denied.status.code(), Some(1), "{case}: --deny-warnings");
        // A warning never stops a build.
        let built = handbook(&["build", "."], book.path());
        assert!(built.status.success(), "{case}: build\n{}", text(&built));
    }
}

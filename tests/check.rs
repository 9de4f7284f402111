//! Broken books: `check` and `build` fail with a message naming the file and line and the fix,
//! never panic, and leave the previous output byte-identical.
//!
//! Each case in tests/fixtures/broken/<case>/ holds the files that break the good fixture; the
//! exact diagnostics are its snapshot in tests/snapshots/ (review changes with `cargo insta
//! review`, or accept them with `INSTA_UPDATE=always cargo test --test check`).

mod common;
use common::*;
use std::path::Path;

fn assert_clean_failure(out: &std::process::Output, case: &str) {
    let t = text(out);
    assert!(!out.status.success(), "{case}: exit code 0\n{t}");
    assert_eq!(out.status.code(), Some(1), "{case}: exit code\n{t}");
    assert!(!t.contains("panicked"), "{case}: panic\n{t}");
    assert!(!t.contains("RUST_BACKTRACE"), "{case}: panic\n{t}");
    assert!(
        !t.contains("Error {") && !t.contains("kind: "),
        "{case}: debug dump\n{t}"
    );
}

fn broken_book(case: &str) -> tempfile::TempDir {
    let book = good_book();
    copy_dir(&fixture("broken").join(case), book.path());
    book
}

/// One test per broken fixture: `check` and `build` both fail cleanly with exactly the
/// diagnostics in the fixture's snapshot (tests/snapshots/check__<case>.snap), and the
/// previous output stays byte-identical.
fn broken_case(case: &str) {
    let book = broken_book(case);
    // A good build first, so there is a previous output to protect.
    let good = good_book();
    assert!(
        handbook(
            &[
                "build",
                good.path().to_str().unwrap(),
                "--dest-dir",
                book.path().join("book").to_str().unwrap()
            ],
            book.path()
        )
        .status
        .success()
    );
    let before = snapshot(&book.path().join("book"));
    let check = handbook(&["check", "."], book.path());
    assert_clean_failure(&check, case);
    insta::assert_snapshot!(case, text(&check));
    let build = handbook(&["build", "."], book.path());
    assert_clean_failure(&build, case);
    // build reports the same diagnostics as check, then says the output is kept.
    let diagnostics = text(&check);
    let diagnostics = diagnostics.trim_end();
    assert!(
        text(&build).contains(
            diagnostics
                .rsplit_once('\n')
                .map_or(diagnostics, |(d, _)| d)
        ),
        "{case}: build and check disagree:\n{}\n---\n{}",
        text(&build),
        text(&check)
    );
    assert_eq!(
        before,
        snapshot(&book.path().join("book")),
        "{case}: previous output changed"
    );
}

macro_rules! broken {
    ($($name:ident => $case:literal),* $(,)?) => {
        $(#[test] fn $name() { broken_case($case); })*

        /// Every fixture folder has its test above.
        #[test]
        fn every_broken_fixture_has_a_test() {
            let mut cases: Vec<String> = std::fs::read_dir(fixture("broken"))
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect();
            cases.sort();
            let mut listed = vec![$($case),*];
            listed.sort();
            assert_eq!(cases, listed, "add a line to `broken!` for each fixture");
        }
    };
}

broken! {
    bad_book_toml => "bad-book-toml",
    bad_yaml => "bad-yaml",
    dead_connection => "dead-connection",
    dead_link => "dead-link",
    duplicate_id => "duplicate-id",
    duplicate_order => "duplicate-order",
    empty_file => "empty-file",
    id_mismatch => "id-mismatch",
    level_out_of_range => "level-out-of-range",
    malformed_book_toml => "malformed-book-toml",
    unclosed_front_matter => "unclosed-front-matter",
    unknown_key => "unknown-key",
    unsafe_link => "unsafe-link",
    wrong_type => "wrong-type",
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let book = good_book();
    copy_dir(&fixture("broken/unknown-key"), book.path());
    copy_dir(&fixture("broken/dead-link"), book.path());
    let out = handbook(&["check", "."], book.path());
    let t = text(&out);
    assert!(
        t.contains("unknown field `signal`") && t.contains("broken link"),
        "{t}"
    );
    assert!(t.contains("2 error(s)"), "{t}");
}

#[test]
fn file_that_is_not_utf8() {
    let book = good_book();
    std::fs::write(
        book.path().join("content/questions/second-question.md"),
        b"---\nid: x\n\xff\xfe\n---\n",
    )
    .unwrap();
    let out = handbook(&["check", "."], book.path());
    assert_clean_failure(&out, "non-utf8");
    assert!(
        text(&out).contains("content/questions/second-question.md:3"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("not valid UTF-8"));
}

#[test]
fn missing_content_directory_and_missing_book() {
    let book = good_book();
    std::fs::remove_dir_all(book.path().join("content")).unwrap();
    let out = handbook(&["build", "."], book.path());
    assert_clean_failure(&out, "no content");
    assert!(
        text(&out).contains("no content/ directory"),
        "{}",
        text(&out)
    );

    let out = handbook(&["build", "does/not/exist"], book.path());
    assert_clean_failure(&out, "no book");
    assert!(text(&out).contains("does not exist"), "{}", text(&out));
}

#[test]
fn unusual_but_valid_input_builds() {
    let book = good_book();
    let q = book.path().join("content/questions/second-question.md");
    let crlf = format!("\u{feff}{}", read(&q).replace('\n', "\r\n"));
    std::fs::write(&q, crlf).unwrap();
    // A symlink loop under content/ must not hang the walk.
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        book.path().join("content"),
        book.path().join("content/loop"),
    )
    .unwrap();
    // Deeply nested markdown must not overflow the stack.
    let deep = format!("{}deep\n", "> ".repeat(5000));
    let first = book.path().join("content/questions/deeper-question.md");
    std::fs::write(&first, format!("{}\n{deep}", read(&first))).unwrap();
    let out = handbook(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        read(&book.path().join("book/questions/second-question.html"))
            .contains("Why start at level one?")
    );
}

#[test]
fn check_lints_and_formats_for_ci() {
    let book = good_book();
    let q = book.path().join("content/questions/second-question.md");
    std::fs::write(
        &q,
        read(&q).replace("Because", "```rust,shoud_panic\nlet x = 1;\n```\n\nBecause"),
    )
    .unwrap();
    let out = handbook(&["check", "."], book.path());
    assert!(
        out.status.success(),
        "warnings alone do not fail: {}",
        text(&out)
    );
    assert!(
        text(&out).contains("unknown code block attribute `shoud_panic`"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("did you mean `should_panic`?"));
    let out = handbook(&["check", ".", "--deny-warnings"], book.path());
    assert!(!out.status.success());
    let out = handbook(&["check", ".", "--format", "json"], book.path());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["severity"], "warning");
    assert_eq!(json[0]["file"], "content/questions/second-question.md");
    let out = handbook(&["check", ".", "--format", "github"], book.path());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("::warning file=content/questions/second-question.md,line=15"),
        "{}",
        text(&out)
    );
}

#[test]
fn new_question_scaffold_is_valid_and_refuses_duplicates() {
    let book = good_book();
    let out = handbook(
        &["new", "question", "--level", "2", "--id", "my-new-question"],
        book.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let file = book.path().join("content/questions/my-new-question.md");
    let t = read(&file);
    for key in [
        "id:",
        "level: 2",
        "order: 2",
        "question:",
        "summary:",
        "signals:",
        "red_flags:",
        "follow_ups:",
        "connections:",
        "sources:",
    ] {
        assert!(t.contains(key), "{key} missing");
    }
    let out = handbook(&["check", "."], book.path());
    assert!(
        out.status.success(),
        "scaffold must pass check: {}",
        text(&out)
    );
    let out = handbook(
        &["new", "question", "--level", "2", "--id", "my-new-question"],
        book.path(),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("exists already"), "{}", text(&out));
    let out = handbook(&["new", "question", "--level", "9"], book.path());
    assert!(!out.status.success());
    assert!(text(&out).contains("level 9 does not exist"));
    assert!(Path::new(&file).is_file());
}

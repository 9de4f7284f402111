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
            let mut listed = vec![$($case),*];
            listed.sort();
            assert_eq!(fixture_cases("broken"), listed, "add a line to `broken!` for each fixture");
        }
    };
}

broken! {
    article_front_matter => "article-front-matter",
    article_unknown_key => "article-unknown-key",
    bad_book_toml => "bad-book-toml",
    bad_rating_scale => "bad-rating-scale",
    bad_yaml => "bad-yaml",
    broken_question_linked => "broken-question-linked",
    broken_diagram => "broken-diagram",
    dead_connection => "dead-connection",
    dead_link => "dead-link",
    duplicate_id => "duplicate-id",
    duplicate_order => "duplicate-order",
    empty_file => "empty-file",
    id_mismatch => "id-mismatch",
    level_out_of_range => "level-out-of-range",
    malformed_book_toml => "malformed-book-toml",
    output_collision => "output-collision",
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

#[test]
fn a_closed_or_full_stdout_is_exit_1_without_a_panic() {
    use std::process::{Command, Stdio};
    let book = good_book();
    // Warnings, so there is something to print.
    std::fs::write(book.path().join("content/orphan.md"), "# not in the book\n").unwrap();
    // `handbook check --format json | head -0`: the reader is gone before anything is written.
    // (The human format writes diagnostics to stderr and nothing to stdout.)
    for format in ["json", "github"] {
        let mut child = Command::new(handbook_bin())
            .args(["check", ".", "--format", format])
            .current_dir(book.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {err}");
        assert!(!err.contains("panicked"), "{format}: {err}");
    }
    // A full disk: /dev/full fails every write with ENOSPC.
    if Path::new("/dev/full").exists() {
        for args in [
            &["check", ".", "--format", "json"][..],
            &["build", "."][..],
            &["test", "."][..],
            &["--help"][..],
        ] {
            let out = Command::new(handbook_bin())
                .args(args)
                .current_dir(book.path())
                .stdout(
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open("/dev/full")
                        .unwrap(),
                )
                .stderr(Stdio::piped())
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(!err.contains("panicked"), "{args:?}: {err}");
        }
    }
}

#[test]
fn usage_errors_exit_1_and_help_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["build", "--no-such-flag"][..],
        &["no-such-command"][..],
        &["check", ".", "--format", "xml"][..],
        &[][..],
    ] {
        let out = handbook(args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out));
        let t = text(&out);
        assert!(t.contains("Usage") || t.contains("--help"), "{args:?}: {t}");
    }
    for args in [
        &["--help"][..],
        &["--version"][..],
        &["build", "--help"][..],
    ] {
        let out = handbook(args, dir.path());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out));
    }
}

#[test]
fn github_annotations_escape_file_names_and_messages() {
    let book = good_book();
    // A file name that would end the annotation and forge another one, with `:` and `,` that
    // would end a property.
    let name = "x,line=1:y\n::error file=README.md::forged\r%0A.md";
    std::fs::write(book.path().join("content").join(name), "# orphan\n").unwrap();
    let out = handbook(&["check", ".", "--format", "github"], book.path());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains('\r'), "{stdout:?}");
    // Every line is one annotation of ours: none is forged by the file name.
    for line in stdout.lines() {
        assert!(
            line.starts_with("::warning file=content/")
                || line.starts_with("::error file=content/"),
            "{line}"
        );
    }
    let ours: Vec<&str> = stdout.lines().filter(|l| l.contains("forged")).collect();
    assert_eq!(ours.len(), 1, "{stdout}");
    assert_eq!(
        ours[0].split("::").nth(1).unwrap(),
        "warning file=content/x%2Cline=1%3Ay%0A%3A%3Aerror file=README.md%3A%3Aforged%0D%250A.md,line=1,col=1",
        "{stdout}"
    );
    // The message part escapes %, CR and LF (and nothing else).
    assert!(ours[0].contains("::this markdown file"), "{stdout}");
}

/// Words of the shipped JWT book that the tool itself must never say to a bank on another
/// subject.
pub const JWT_WORDS: &[&str] = &["JWT", "RFC", "rfc7519", "OWASP", "jsonwebtoken", "JWKS"];

fn assert_no_jwt_word(what: &str, text: &str) {
    for word in JWT_WORDS {
        assert!(
            !text.to_lowercase().contains(&word.to_lowercase()),
            "{what} says `{word}`:\n{text}"
        );
    }
}

#[test]
fn new_question_takes_the_book_dir_like_every_command_and_check_flags_its_todos() {
    let book = good_book();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = book.path().to_str().unwrap();
    let out = handbook(
        &[
            "new",
            "question",
            dir,
            "--level",
            "2",
            "--id",
            "my-question",
        ],
        elsewhere.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let file = book.path().join("content/questions/my-question.md");
    assert!(file.is_file());
    // The old flag still works.
    let out = handbook(
        &[
            "new",
            "question",
            "--book-dir",
            dir,
            "--level",
            "1",
            "--id",
            "other-question",
        ],
        elsewhere.path(),
    );
    assert!(out.status.success(), "{}", text(&out));

    // The placeholders are warnings: `check` passes, `--deny-warnings` does not.
    let out = handbook(&["check", dir], elsewhere.path());
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("placeholder `TODO` left in the file")
            && t.contains("content/questions/my-question.md:8"),
        "{t}"
    );
    let out = handbook(&["check", dir, "--deny-warnings"], elsewhere.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn new_question_rejects_every_id_the_validator_rejects() {
    let book = good_book();
    for id in ["a--b", "-a", "a-", "A", "a_b", "a.b", ""] {
        let flag = format!("--id={id}");
        let out = handbook(
            &["new", "question", ".", "--level", "1", &flag],
            book.path(),
        );
        assert_eq!(out.status.code(), Some(1), "{id:?}: {}", text(&out));
        assert!(text(&out).contains("kebab-case"), "{id:?}: {}", text(&out));
    }
    assert_eq!(
        std::fs::read_dir(book.path().join("content/questions"))
            .unwrap()
            .count(),
        3,
        "nothing written"
    );
}

#[test]
fn init_writes_a_valid_book_whatever_the_title() {
    let dir = tempfile::tempdir().unwrap();
    for (name, title) in [
        ("backslash", r#"C:\x "quoted" \u0041"#),
        ("newline", "Line one\nLine two: with a colon"),
        ("yaml", "- [not a list] # nor a comment"),
    ] {
        let flag = format!("--title={title}");
        let out = handbook(&["init", name, &flag], dir.path());
        assert!(out.status.success(), "{name}: {}", text(&out));
        let out = handbook(&["check", name, "--deny-warnings"], dir.path());
        assert!(out.status.success(), "{name}: {}", text(&out));
        let out = handbook(&["build", name], dir.path());
        assert!(out.status.success(), "{name}: {}", text(&out));
        let json: serde_json::Value =
            serde_json::from_str(&read(&dir.path().join(name).join("book/questions.json")))
                .unwrap();
        assert_eq!(json["title"], title, "{name}: {json}");
    }
}

#[test]
fn the_tool_speaks_of_no_subject() {
    let dir = tempfile::tempdir().unwrap();
    let out = handbook(&["init", "bank"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let bank = dir.path().join("bank");
    for (path, bytes) in snapshot(&bank) {
        assert_no_jwt_word(
            &path.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
    }
    let out = handbook(&["new", "question", "bank", "--level", "1"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert_no_jwt_word(
        "new question",
        &read(&bank.join("content/questions/level-1-question-1.md")),
    );
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["test", "--help"],
        &["serve", "--help"],
        &["init", "--help"],
        &["new", "--help"],
        &["new", "question", "--help"],
    ] {
        assert_no_jwt_word(&format!("{args:?}"), &text(&handbook(args, dir.path())));
    }
    // Every message about sources and links.
    let q = bank.join("content/questions/level-1-question-1.md");
    let broken = read(&q)
        .replace("## Model answer", "## Model answer\n\nSee [x](nowhere.md).")
        .replace(
            "url: \"https://example.com/TODO\"",
            "url: \"ftp://example.com/\"",
        )
        .replace(
            "title: \"TODO: the document and section that back the answer\"",
            "title: \"\"",
        );
    std::fs::write(&q, broken).unwrap();
    let example = bank.join("content/questions/example-question.md");
    let without_sources: String =
        read(&example).split("sources:").next().unwrap().to_string() + "---\n\nAn answer.\n";
    std::fs::write(&example, without_sources).unwrap();
    let out = handbook(&["check", "bank"], dir.path());
    let t = text(&out);
    for expected in [
        "broken link",
        "not a web address",
        "no title",
        "cites no sources",
    ] {
        assert!(t.contains(expected), "{expected}: {t}");
    }
    assert_no_jwt_word("check", &t);
}

#[test]
fn the_no_sources_warning_can_be_turned_off() {
    let book = good_book();
    let q = book.path().join("content/questions/deeper-question.md");
    let text_without: String = read(&q)
        .lines()
        .filter(|l| !l.contains("sources:") && !l.contains("title: \"RFC") && !l.contains("url:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&q, text_without).unwrap();
    let out = handbook(&["check", "."], book.path());
    assert!(text(&out).contains("cites no sources"), "{}", text(&out));
    let toml = book.path().join("book.toml");
    std::fs::write(
        &toml,
        format!("{}\n[check]\nrequire-sources = false\n", read(&toml)),
    )
    .unwrap();
    let out = handbook(&["check", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("cites no sources"), "{}", text(&out));
}

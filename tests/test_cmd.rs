//! `handbook test`: snippets compile and run as one crate, failures point at the markdown.

mod common;
use common::*;

#[test]
fn fixture_snippets_pass_with_the_books_library() {
    let book = good_book();
    let out = handbook(&["test", "."], book.path());
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    // double(21) passes, double(u32::MAX) panics as declared, the ignore fence is skipped.
    assert!(t.contains("2 passed, 0 failed, 1 ignored"), "{t}");
}

#[test]
fn a_false_claim_fails_and_names_the_file_and_line() {
    let book = good_book();
    let q = book.path().join("content/questions/first-question.md");
    std::fs::write(
        &q,
        read(&q).replace("assert_eq!(x, 42);", "assert_eq!(x, 43);"),
    )
    .unwrap();
    let out = handbook(&["test", "."], book.path());
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("1 passed, 1 failed, 1 ignored"), "{t}");
    // The fence opens on line 25 of the file (front matter included).
    assert!(t.contains("content/questions/first-question.md:25"), "{t}");
    assert!(
        t.contains("left: 42") && t.contains("right: 43"),
        "the panic message is shown: {t}"
    );
}

#[test]
fn a_snippet_that_does_not_compile_is_reported_at_its_fence() {
    let book = good_book();
    let q = book.path().join("content/questions/first-question.md");
    std::fs::write(
        &q,
        read(&q).replace("let x = double(21);", "let x: String = double(21);"),
    )
    .unwrap();
    let out = handbook(&["test", "."], book.path());
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("content/questions/first-question.md:25"), "{t}");
    assert!(t.contains("mismatched types"), "{t}");
}

#[test]
fn a_should_panic_snippet_that_does_not_panic_fails() {
    let book = good_book();
    let q = book.path().join("content/questions/first-question.md");
    std::fs::write(
        &q,
        read(&q).replace("let _ = double(u32::MAX);", "let _ = double(1);"),
    )
    .unwrap();
    let out = handbook(&["test", "."], book.path());
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("1 passed, 1 failed, 1 ignored"), "{t}");
    assert!(t.contains("content/questions/first-question.md:33"), "{t}");
}

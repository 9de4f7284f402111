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

#[test]
fn a_new_book_can_use_a_crate_it_declares() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank");
    assert!(
        handbook(&["init", bank.to_str().unwrap()], dir.path())
            .status
            .success()
    );
    let toml = bank.join("book.toml");
    // A table specification, as real books write them (`{ version, features }`).
    std::fs::write(
        &toml,
        format!(
            "{}itoa = {{ version = \"1\", default-features = false }}\n",
            read(&toml)
        ),
    )
    .unwrap();
    let q = bank.join("content/questions/example-question.md");
    let snippet = "```rust\nlet mut buffer = itoa::Buffer::new();\nassert_eq!(buffer.format(1234), \"1234\");\n```\n";
    std::fs::write(&q, format!("{}\n{snippet}", read(&q))).unwrap();
    let out = handbook(&["test", "."], &bank);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("2 passed, 0 failed"), "{t}");
    // Without the dependency, the same snippet fails at its fence.
    std::fs::write(
        &toml,
        read(&toml).replace("itoa = { version = \"1\", default-features = false }\n", ""),
    )
    .unwrap();
    let out = handbook(&["test", "."], &bank);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("content/questions/example-question.md:"), "{t}");
}

/// `handbook test` runs an article's snippets too, and a failure names the article and line.
#[test]
fn article_snippets_run_and_failures_name_the_article() {
    let book = good_book();
    let articles = book.path().join("content/articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::write(
        articles.join("deep-dive.md"),
        "---\ntitle: \"A deep dive\"\ndescription: \"More.\"\n---\n\n\
         ```rust\nassert_eq!(1 + 1, 2);\n```\n\n```rust\nassert_eq!(2 + 2, 5);\n```\n",
    )
    .unwrap();
    let out = handbook(&["test", "."], book.path());
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("3 passed, 1 failed, 1 ignored"), "{t}");
    // The failing fence opens on line 10 of the article.
    assert!(t.contains("content/articles/deep-dive.md:10"), "{t}");
    assert!(t.contains("left: 4") && t.contains("right: 5"), "{t}");
}

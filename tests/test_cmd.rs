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

// ---- helpers for the verification record and the test runner's messages ----

fn write(book: &std::path::Path, rel: &str, text: &str) {
    let p = book.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A question file for level 1 with `body` as its model answer.
fn question(id: &str, order: u32, body: &str) -> String {
    format!(
        "---\nid: {id}\nlevel: 1\norder: {order}\nquestion: \"Q {id}?\"\nsignals: [\"s\"]\nred_flags: [\"r\"]\nsources:\n  - title: \"t\"\n    url: \"https://example.com/\"\n---\n\n{body}"
    )
}

/// The `data-verified` value of every snippet mark in a page, in order.
fn marks(html: &str) -> Vec<String> {
    html.split("data-verified=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

fn page(book: &std::path::Path, rel: &str) -> String {
    read(&book.join("book").join(rel))
}

fn replace_in(book: &std::path::Path, rel: &str, from: &str, to: &str) {
    let p = book.join(rel);
    let t = read(&p);
    assert!(t.contains(from), "{rel} holds no `{from}`");
    std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
}

const FIRST: &str = "content/questions/first-question.md";

// ---- the verification record (issue 11) ----

#[test]
fn a_fresh_build_verifies_nothing_a_passing_test_verifies_all_a_false_snippet_shows_failed() {
    let book = good_book();
    let b = book.path();
    // Fresh: no test has run, so no mark may claim verification.
    assert!(handbook(&["build", "."], b).status.success());
    let q = page(b, "questions/first-question.html");
    assert_eq!(marks(&q), ["unknown", "unknown"], "{q}");
    assert!(!q.contains("✓ compiled"), "{q}");
    assert!(page(b, "index.html").contains("0 of 2 code snippets verified"));

    // After a passing test every executed snippet is verified, with what it ran against.
    let out = handbook(&["test", "."], b);
    assert!(out.status.success(), "{}", text(&out));
    assert!(handbook(&["build", "."], b).status.success());
    let q = page(b, "questions/first-question.html");
    assert_eq!(marks(&q), ["pass", "pass"], "{q}");
    assert!(
        q.contains("data-verified-versions=\"no dependencies\""),
        "{q}"
    );
    assert!(q.contains("data-verified-date=\"20"), "{q}");
    assert!(page(b, "index.html").contains("2 of 2 code snippets verified"));
    // `ignore` is never claimed as verified.
    let deeper = page(b, "questions/deeper-question.html");
    assert_eq!(marks(&deeper), ["unknown"], "{deeper}");

    // One snippet made false: the test fails, that snippet shows failed, the other passes.
    replace_in(b, FIRST, "assert_eq!(x, 42);", "assert_eq!(x, 43);");
    let out = handbook(&["test", "."], b);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(handbook(&["build", "."], b).status.success());
    let q = page(b, "questions/first-question.html");
    assert_eq!(marks(&q), ["fail", "pass"], "{q}");
    assert!(
        q.contains("right: 43"),
        "the failure's message is on the page: {q}"
    );
    assert!(page(b, "index.html").contains("1 of 2 code snippets verified"));
}

#[test]
fn any_change_to_a_snippet_or_the_library_unverifies() {
    let book = good_book();
    let b = book.path();
    assert!(handbook(&["test", "."], b).status.success());
    // A hidden line is part of the snippet.
    replace_in(
        b,
        FIRST,
        "# use fixture_snippets::double;\nlet x",
        "# use fixture_snippets::double as double;\nlet x",
    );
    assert!(handbook(&["build", "."], b).status.success());
    assert_eq!(
        marks(&page(b, "questions/first-question.html")),
        ["unknown", "pass"]
    );
    // The library decides every snippet.
    assert!(handbook(&["test", "."], b).status.success());
    assert!(handbook(&["build", "."], b).status.success());
    assert_eq!(
        marks(&page(b, "questions/first-question.html")),
        ["pass", "pass"]
    );
    replace_in(b, "helpers.rs", "x * 2", "x + x");
    assert!(handbook(&["build", "."], b).status.success());
    assert_eq!(
        marks(&page(b, "questions/first-question.html")),
        ["unknown", "unknown"]
    );
    // And so do the dependencies.
    assert!(handbook(&["test", "."], b).status.success());
    replace_in(
        b,
        "book.toml",
        "label = \"std only\"",
        "label = \"std only\"\n\n[test.dependencies]\nflavour = { path = \"flavour\" }",
    );
    copy_dir(&fixture("flavour-crate"), &b.join("flavour"));
    assert!(handbook(&["build", "."], b).status.success());
    assert_eq!(
        marks(&page(b, "questions/first-question.html")),
        ["unknown", "unknown"]
    );
}

#[test]
fn build_with_test_runs_the_test_first() {
    let book = good_book();
    let b = book.path();
    let out = handbook(&["build", ".", "--test"], b);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("2 passed, 0 failed, 1 ignored"), "{t}");
    assert_eq!(
        marks(&page(b, "questions/first-question.html")),
        ["pass", "pass"]
    );
    // A failing test still builds (the pages show the failure) but the command fails.
    replace_in(b, FIRST, "assert_eq!(x, 42);", "assert_eq!(x, 43);");
    let out = handbook(&["build", ".", "--test"], b);
    assert!(!out.status.success(), "{}", text(&out));
    assert_eq!(
        marks(&page(b, "questions/first-question.html")),
        ["fail", "pass"]
    );
}

#[test]
fn test_with_files_runs_only_their_snippets() {
    let book = good_book();
    let b = book.path();
    write(
        b,
        "content/questions/third-question.md",
        &question("third-question", 3, "```rust\nassert_eq!(1 + 1, 3);\n```\n"),
    );
    let out = handbook(&["test", FIRST], b);
    let t = text(&out);
    assert!(
        out.status.success(),
        "the false snippet of another file is not run: {t}"
    );
    assert!(t.contains("2 passed, 0 failed, 0 ignored"), "{t}");
    let out = handbook(&["test", "content/questions/third-question.md"], b);
    assert!(!out.status.success());
    assert!(text(&out).contains("0 passed, 1 failed"), "{}", text(&out));
    // Both files' records are kept.
    assert!(handbook(&["build", "."], b).status.success());
    assert_eq!(
        marks(&page(b, "questions/first-question.html")),
        ["pass", "pass"]
    );
    assert_eq!(marks(&page(b, "questions/third-question.html")), ["fail"]);
    let out = handbook(&["test", "content/guide.md"], b);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("not a content file of this book with Rust snippets"),
        "{}",
        text(&out)
    );
}

/// `handbook test FILE` builds only FILE's test target: another file's snippet that does not
/// compile neither blocks it nor is compiled again (at 1,000 files, building every target made
/// one file's re-test take a minute).
#[test]
fn test_with_files_does_not_build_other_files_snippets() {
    let book = good_book();
    let b = book.path();
    write(
        b,
        "content/questions/third-question.md",
        &question(
            "third-question",
            3,
            "```rust\nlet x: u8 = \"not a number\";\n```\n",
        ),
    );
    let out = handbook(&["test", FIRST], b);
    let t = text(&out);
    assert!(
        out.status.success(),
        "another file's compile error blocked this one: {t}"
    );
    assert!(t.contains("2 passed, 0 failed, 0 ignored"), "{t}");
    assert!(!t.contains("mismatched types"), "{t}");
}

#[test]
fn unchanged_files_are_not_run_again_unless_asked() {
    let book = good_book();
    let b = book.path();
    assert!(handbook(&["test", "."], b).status.success());
    let out = handbook(&["test", "."], b);
    let t = text(&out);
    assert!(t.contains("2 passed, 0 failed, 1 ignored"), "{t}");
    assert!(t.contains("2 of the passes are from earlier runs"), "{t}");
    let out = handbook(&["test", ".", "--rerun"], b);
    assert!(!text(&out).contains("earlier runs"), "{}", text(&out));
}

// ---- rustdoc's semantics, kept ----

#[test]
fn rustdoc_attributes_question_mark_and_main_keep_their_meaning() {
    let book = good_book();
    let b = book.path();
    let body = "\
```rust,compile_fail
let x: u32 = \"not a number\";
```

```rust,compile_fail
let compiles = 1;
```

```rust,compile_fail,E0308
let x: u32 = \"typed\";
```

```rust,no_run
loop {}
```

```rust
let n: u8 = \"7\".parse()?;
assert_eq!(n, 7);
# Ok::<(), std::num::ParseIntError>(())
```

```rust
let n: u8 = \"x\".parse()?;
# Ok::<(), std::num::ParseIntError>(())
```

```rust
fn main() -> Result<(), String> {
    Err(\"main says no\".into())
}
```

```rust,should_panic
panic!(\"as declared\");
```
";
    write(
        b,
        "content/questions/semantics.md",
        &question("semantics", 3, body),
    );
    let out = handbook(&["test", "content/questions/semantics.md"], b);
    let t = text(&out);
    assert!(t.contains("5 passed, 3 failed, 0 ignored"), "{t}");
    // Line numbers: front matter is 11 lines, a blank line, then the body.
    let failed: Vec<&str> = t
        .lines()
        .filter(|l| l.contains("--> content/questions/semantics.md:"))
        .collect();
    assert_eq!(failed.len(), 3, "{t}");
    assert!(
        t.contains("semantics.md:17"),
        "the compile_fail that compiles: {t}"
    );
    assert!(
        t.contains("it compiled, but the fence says `compile_fail`"),
        "{t}"
    );
    assert!(t.contains("semantics.md:35"), "`?` on an Err: {t}");
    assert!(t.contains("ParseIntError"), "{t}");
    assert!(t.contains("semantics.md:40"), "main returning Err: {t}");
    assert!(t.contains("main says no"), "{t}");
}

// ---- the test runner never hides a cause (issue 12) ----

#[test]
fn a_panic_points_at_the_markdown_line_not_a_temporary_file() {
    let book = good_book();
    let b = book.path();
    replace_in(b, FIRST, "assert_eq!(x, 42);", "assert_eq!(x, 43);");
    let out = handbook(&["test", "."], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    // The assert is on line 28 of the markdown file.
    assert!(
        t.contains("panicked at content/questions/first-question.md:28:1"),
        "{t}"
    );
    assert!(!t.contains("/tmp/") && !t.contains("rustdoctest"), "{t}");
}

#[test]
fn compile_errors_name_the_exact_markdown_line_and_column() {
    let book = good_book();
    let b = book.path();
    replace_in(
        b,
        FIRST,
        "let x = double(21);",
        "let x: String = double(21);",
    );
    let out = handbook(&["test", "."], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(
        t.contains("--> content/questions/first-question.md:27:17"),
        "{t}"
    );
    assert!(
        t.contains("27 | let x: String = double(21);"),
        "rustc's own gutter shows the markdown line: {t}"
    );
    // One broken snippet does not hide the outcome of the file's others.
    assert!(t.contains("1 passed, 1 failed, 1 ignored"), "{t}");
}

#[test]
fn an_id_starting_with_a_digit_is_tested() {
    let book = good_book();
    let b = book.path();
    write(
        b,
        "content/questions/3-tier.md",
        &question(
            "3-tier",
            3,
            "```rust\nassert_eq!(fixture_snippets::double(2), 4);\n```\n",
        ),
    );
    let out = handbook(&["test", "."], b);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("3 passed, 0 failed, 1 ignored"), "{t}");
}

#[test]
fn a_library_that_does_not_compile_shows_rustcs_error_first() {
    let book = good_book();
    let b = book.path();
    replace_in(b, "helpers.rs", "x * 2", "x * \"2\"");
    let out = handbook(&["test", "."], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("the snippet library"), "{t}");
    assert!(
        t.contains("--> helpers.rs:3:"),
        "rustc's error names the library file: {t}"
    );
    assert!(!t.contains("did not report"), "{t}");
}

#[test]
fn a_missing_path_dependency_shows_cargos_error() {
    let book = good_book();
    let b = book.path();
    replace_in(
        b,
        "book.toml",
        "label = \"std only\"",
        "label = \"std only\"\n\n[test.dependencies]\nflavour = { path = \"no-such-crate\" }",
    );
    let out = handbook(&["test", "."], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    // Cargo's own words, naming the file it could not read.
    assert!(
        t.contains("failed to read `no-such-crate/Cargo.toml`"),
        "{t}"
    );
    assert!(t.contains("[test.dependencies]"), "{t}");
    let out = handbook(&["check", "."], b);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("path `no-such-crate` holds no Cargo.toml"),
        "{}",
        text(&out)
    );
}

#[test]
fn an_invalid_crate_name_shows_cargos_error() {
    let book = good_book();
    let b = book.path();
    replace_in(
        b,
        "book.toml",
        "crate-name = \"fixture_snippets\"",
        "crate-name = \"3snippets\"",
    );
    let out = handbook(&["test", "."], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("the name cannot start with a digit"), "{t}");
    assert!(!t.contains("did not report"), "{t}");
}

#[test]
fn a_misspelled_dependency_key_is_named() {
    let book = good_book();
    let b = book.path();
    copy_dir(&fixture("flavour-crate"), &b.join("flavour"));
    replace_in(
        b,
        "book.toml",
        "label = \"std only\"",
        "label = \"std only\"\n\n[test.dependencies]\nflavour = { path = \"flavour\", featuers = [\"strict\"] }",
    );
    for cmd in ["test", "check"] {
        let out = handbook(&[cmd, "."], b);
        let t = text(&out);
        assert!(!out.status.success(), "{t}");
        assert!(t.contains("unknown key `featuers`"), "{cmd}: {t}");
        assert!(t.contains("did you mean `features`?"), "{cmd}: {t}");
    }
}

#[test]
fn check_finds_what_test_would_hit() {
    let book = good_book();
    let b = book.path();
    replace_in(
        b,
        "book.toml",
        "crate-name = \"fixture_snippets\"",
        "crate-name = \"3snippets\"",
    );
    replace_in(
        b,
        "book.toml",
        "library = \"helpers.rs\"",
        "library = \"missing.rs\"",
    );
    replace_in(
        b,
        "book.toml",
        "label = \"std only\"",
        "label = \"std only\"\n\n[test.dependencies]\nserde = 1\nitoa = \"one\"",
    );
    let out = handbook(&["check", "."], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(
        t.contains("test.crate-name `3snippets` is not a valid crate name"),
        "{t}"
    );
    assert!(
        t.contains("test.library `missing.rs` cannot be read"),
        "{t}"
    );
    assert!(
        t.contains("serde: a dependency is a version string or a table"),
        "{t}"
    );
    assert!(t.contains("`one` is not a version requirement"), "{t}");
    assert!(t.contains("book.toml:"), "errors point into book.toml: {t}");
}

#[test]
fn rustcs_cargo_add_advice_names_book_toml() {
    let book = good_book();
    let b = book.path();
    write(
        b,
        "content/questions/third-question.md",
        &question(
            "third-question",
            3,
            "```rust\nlet _ = itoa::Buffer::new();\n```\n",
        ),
    );
    let out = handbook(&["test", "content/questions/third-question.md"], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(
        t.contains("add it to `[test.dependencies]` in book.toml"),
        "{t}"
    );
    assert!(!t.contains("cargo add"), "{t}");
}

#[test]
fn rs_and_capitalised_rust_fences_are_tested() {
    let book = good_book();
    let b = book.path();
    write(
        b,
        "content/questions/third-question.md",
        &question(
            "third-question",
            3,
            "```rs\nassert_eq!(1, 2, \"rs fence\");\n```\n\n```Rust\nassert_eq!(1, 2, \"Rust fence\");\n```\n",
        ),
    );
    let out = handbook(&["test", "content/questions/third-question.md"], b);
    let t = text(&out);
    assert!(t.contains("0 passed, 2 failed"), "{t}");
    assert!(t.contains("rs fence") && t.contains("Rust fence"), "{t}");
}

#[test]
fn a_tilde_fence_whose_info_holds_backticks_still_runs_its_body() {
    let book = good_book();
    let b = book.path();
    write(
        b,
        "content/questions/third-question.md",
        &question(
            "third-question",
            3,
            "~~~rust ```\nassert!(false, \"this false assert must fail\");\n~~~\n\n```rust\nassert!(true);\n```\n",
        ),
    );
    let out = handbook(&["test", "content/questions/third-question.md"], b);
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("1 passed, 1 failed"), "{t}");
    assert!(t.contains("this false assert must fail"), "{t}");
    assert!(handbook(&["build", "."], b).status.success());
    assert_eq!(
        marks(&page(b, "questions/third-question.html")),
        ["fail", "pass"]
    );
}

// ---- drift (issue 11) ----

#[test]
fn a_variant_reports_the_snippets_whose_outcome_differs() {
    let book = good_book();
    let b = book.path();
    copy_dir(&fixture("flavour-crate"), &b.join("flavour"));
    replace_in(
        b,
        "book.toml",
        "label = \"std only\"",
        "label = \"std only\"\n\n[test.dependencies]\nflavour = { path = \"flavour\" }\n\n[test.variants.strict]\ndescription = \"the strict backend\"\ndependencies = { flavour = { path = \"flavour\", features = [\"strict\"] } }",
    );
    write(
        b,
        "content/questions/third-question.md",
        &question(
            "third-question",
            3,
            "```rust\nassert!(flavour::accepts_key_bits(1024));\n```\n\n```rust\nassert!(flavour::accepts_key_bits(4096));\n```\n",
        ),
    );
    let out = handbook(&["test", ".", "--variant", "strict"], b);
    let t = text(&out);
    assert!(!out.status.success(), "drift fails the command: {t}");
    assert!(
        t.contains("4 passed, 0 failed, 1 ignored"),
        "the pinned run passes: {t}"
    );
    assert!(t.contains("variant strict: flavour 0.1.0 (strict)"), "{t}");
    assert!(
        t.contains("drift: content/questions/third-question.md:13: passes pinned, fails with variant strict"),
        "{t}"
    );
    assert!(t.contains("1 drifted snippet(s)"), "{t}");
    // The variant never writes the record the pages show.
    assert!(handbook(&["build", "."], b).status.success());
    assert_eq!(
        marks(&page(b, "questions/third-question.html")),
        ["pass", "pass"]
    );
    // --latest resolves afresh in its own crate (a path crate resolves the same) and leaves
    // the book's pinned lock as it was.
    let pinned = b.join("snippets/Cargo.lock");
    std::fs::create_dir_all(pinned.parent().unwrap()).unwrap();
    std::fs::copy(b.join("target/handbook-snippets/Cargo.lock"), &pinned).unwrap();
    let before = std::fs::read(&pinned).unwrap();
    let out = handbook(&["test", ".", "--latest"], b);
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("no drift"), "{t}");
    assert!(
        b.join("target/handbook-snippets-latest/Cargo.lock")
            .is_file()
    );
    assert_eq!(
        std::fs::read(&pinned).unwrap(),
        before,
        "the pinned lock is untouched"
    );
    let out = handbook(&["test", ".", "--variant", "nope"], b);
    assert!(
        text(&out).contains("declares no [test.variants.nope] (it declares: strict)"),
        "{}",
        text(&out)
    );
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

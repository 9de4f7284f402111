//! Property-based fuzzing of the whole load -> validate -> render path with hostile front
//! matter and markdown: nothing may panic, every failure is a diagnostic naming a file, and
//! nothing content writes becomes script in the DOM of a page (parsed as a browser does).
//!
//! Runs with a fixed seed and a small budget in `cargo test`; for a long run:
//! `FUZZ_CASES=20000 cargo test --release --test fuzz -- --nocapture`.

mod common;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

fn cases(default: u32) -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default_cases: u32, seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(default_cases),
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    })
}

/// Pieces of YAML, valid and broken, that front matter is assembled from.
fn yaml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("id: second-question\n".to_string()),
        Just("level: 1\n".to_string()),
        Just("order: 2\n".to_string()),
        Just("question: \"Why?\"\n".to_string()),
        Just("signals:\n  - \"a\"\n".to_string()),
        Just("red_flags: [x, y]\n".to_string()),
        Just("connections:\n  - to: first-question\n    why: w\n".to_string()),
        Just("connections:\n  - to: \"\"\n".to_string()),
        Just("sources:\n  - title: t\n    url: \"javascript:alert(1)\"\n".to_string()),
        Just("level: -1\n".to_string()),
        Just("level: 99999999999999999999\n".to_string()),
        Just("order: 0\n".to_string()),
        Just("id: \"../../etc/passwd\"\n".to_string()),
        Just("question: What is alg: none?\n".to_string()),
        Just("signals:\n  - \"## s {#x\\\"onfocus=\\\"alert(1)}\"\n".to_string()),
        Just("question: \"<img src=x onerror=alert(1)> `c` **b**\"\n".to_string()),
        Just("&anchor a: *anchor\n".to_string()),
        Just("? [complex, key]\n: value\n".to_string()),
        Just("!!binary aGVsbG8=\n".to_string()),
        Just("\tlevel: 1\n".to_string()),
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("summary: |\n  multi\n  line\n".to_string()),
        Just("follow_ups: {a: b}\n".to_string()),
        "[a-z_]{1,12}: [^\n]{0,30}\n",
        "[^\n]{0,40}\n",
    ]
}

/// Pieces of markdown, including what breaks parsers and what must never reach a page.
fn md_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Heading\n".to_string()),
        Just("## Heading {#custom-id}\n".to_string()),
        Just("```rust\nlet x = 1;\n```\n".to_string()),
        Just("```rust,should_panic,ignore\n# hidden\n##escaped\n".to_string()),
        Just("```\n".to_string()),
        Just("````\n```\n````\n".to_string()),
        Just("[link](first-question.md)\n".to_string()),
        Just("[dead](nope.md)\n".to_string()),
        Just("[up](../../../../etc/passwd)\n".to_string()),
        Just("[abs](/root.md)\n".to_string()),
        Just("![img](../x.png)\n".to_string()),
        Just("<script>alert(1)</script>\n".to_string()),
        Just("<img src=x onerror=alert(1)>\n".to_string()),
        Just("[x](javascript:alert(1))\n".to_string()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("text[^1]\n\n[^1]: note\n".to_string()),
        Just("> > > quote\n".to_string()),
        Just("* a\n  * b\n    * c\n".to_string()),
        Just("\u{feff}\u{200b}é😀\r\n".to_string()),
        Just("{{ site.title }} {% raw %}\n".to_string()),
        // Attribute breakers: heading ids and classes, info strings, link titles, alt texts.
        Just("## H {#x\"autofocus=\"\"onfocus=\"alert(1)}\n".to_string()),
        Just("## H {.c\"onmouseover=\"alert(1) #i'x}\n".to_string()),
        Just("```js\" onclick=\"alert(1)\nx\n```\n".to_string()),
        Just("~~~rust\" autofocus onfocus=\"alert(1)\nfn main() {}\n~~~\n".to_string()),
        Just("[t](https://e.x \"a\\\" onmouseover=\\\"alert(1)\")\n".to_string()),
        Just("![a\" onerror=\"alert(1)](https://e.x/i.png \"t' onerror='alert(1)\")\n".to_string()),
        Just("[^a\" onclick=\"x]: note\n".to_string()),
        Just("<svg onload=alert(1)>\n".to_string()),
        "[^\n]{0,60}\n",
        "[#*_`<>\\[\\]()!|~-]{1,20}\n",
    ]
}

/// A question that always validates, with hostile markdown in its body and its fields: every
/// case reaches rendering, where the attribute breakers above must stay text.
fn valid_hostile_question() -> impl Strategy<Value = String> {
    let renderable = md_piece().prop_filter("links that fail validation", |p| {
        !(p.contains("nope.md")
            || p.contains("etc/passwd")
            || p.contains("/root.md")
            || p.contains("../x.png")
            || p.contains("javascript:"))
    });
    (
        prop::collection::vec(renderable, 1..10),
        prop::sample::select(vec![
            "## s {#x\\\"onfocus=\\\"alert(1)}",
            "<img src=x onerror=alert(1)>",
            "[t](https://e.x \\\"a\\\\\\\" onclick=\\\\\\\"alert(1)\\\")",
            "`code` **b**",
        ]),
    )
        .prop_map(|(md, field)| {
            format!(
                "---\nid: second-question\nlevel: 1\norder: 2\nquestion: \"{field}\"\nsignals:\n  - \"{field}\"\nred_flags:\n  - \"{field}\"\n---\n{}",
                md.concat()
            )
        })
}

#[test]
fn hostile_markdown_in_valid_questions_stays_text_in_the_dom() {
    let book = good_book();
    let file = book.path().join("content/questions/second-question.md");
    runner(300, 0x5eed_0004)
        .run(&valid_hostile_question(), |text| {
            std::fs::write(&file, &text).unwrap();
            let (b, _) = handbook::load(book.path()).map_err(|e| {
                TestCaseError::fail(format!("the generator must make valid books: {e}\n{text}"))
            })?;
            let files = handbook::render(&b)
                .map_err(|e| TestCaseError::fail(format!("render failed: {e}")))?;
            for f in files.iter().filter(|f| f.path.ends_with(".html")) {
                let problems = dom_problems(&String::from_utf8_lossy(&f.bytes));
                prop_assert!(problems.is_empty(), "{}: {}", f.path, problems.join("; "));
            }
            Ok(())
        })
        .unwrap();
}

fn question_file() -> impl Strategy<Value = String> {
    let valid = "id: second-question\nlevel: 1\norder: 2\nquestion: \"Why?\"\n".to_string();
    (
        any::<bool>(),
        prop::collection::vec(yaml_piece(), 0..6),
        prop::collection::vec(md_piece(), 0..12),
        0u8..8,
    )
        .prop_map(move |(start_valid, yaml, md, close)| {
            let mut s = String::from("---\n");
            if start_valid {
                s.push_str(&valid);
                // Mostly keep the valid header as it is, so many cases get to rendering.
                if close < 3 {
                    s.extend(yaml);
                }
            } else {
                s.extend(yaml);
            }
            if close != 7 {
                s.push_str("---\n");
            }
            s.extend(md);
            s
        })
}

#[test]
fn hostile_question_files_never_panic_and_never_inject_script() {
    let book = good_book();
    let file = book.path().join("content/questions/second-question.md");
    let tried = std::cell::Cell::new(0u32);
    let built = std::cell::Cell::new(0u32);
    runner(300, 0x5eed_0001)
        .run(&question_file(), |text| {
            tried.set(tried.get() + 1);
            std::fs::write(&file, &text).unwrap();
            match handbook::load(book.path()) {
                Ok((b, _)) => {
                    let files = handbook::render(&b)
                        .map_err(|e| TestCaseError::fail(format!("render failed: {e}")))?;
                    built.set(built.get() + 1);
                    for f in files.iter().filter(|f| f.path.ends_with(".html")) {
                        let problems = dom_problems(&String::from_utf8_lossy(&f.bytes));
                        prop_assert!(problems.is_empty(), "{}: {}", f.path, problems.join("; "));
                    }
                }
                Err(handbook::Error::Invalid(diags)) => {
                    prop_assert!(!diags.is_empty());
                    for d in &diags {
                        prop_assert!(!d.message.is_empty());
                        prop_assert!(!d.file.as_os_str().is_empty());
                        let _ = d.render();
                    }
                }
                Err(e) => return Err(TestCaseError::fail(format!("unexpected error kind: {e}"))),
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz: {} question files tried, {} built",
        tried.get(),
        built.get()
    );
    assert!(
        built.get() > 0,
        "the generator should produce some valid books too"
    );
}

#[test]
fn arbitrary_markdown_renders_without_panicking() {
    let link = |d: &str| d.to_string();
    let heading = |h: &handbook::markdown::HeadingMarkup| handbook::escape::html(h.id);
    let code_block = |c: &handbook::markdown::CodeBlockMarkup| c.code_html.to_string();
    let ctx = handbook::markdown::Context {
        link: &link,
        allow_html: false,
        highlight: true,
        heading: &heading,
        code_block: &code_block,
    };
    runner(2000, 0x5eed_0002)
        .run(&prop::collection::vec(md_piece(), 0..30), |pieces| {
            let body: String = pieces.concat();
            let out = handbook::markdown::render(&body, &ctx);
            prop_assert!(!out.html.contains("<script>"));
            let _ = handbook::markdown::code_blocks(&body);
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_book_toml_never_panics() {
    runner(500, 0x5eed_0003)
        .run(&"[\\[\\]a-z\"=\\-. \n0-9{}]{0,120}", |text| {
            let _ = handbook::config::parse(&text);
            Ok(())
        })
        .unwrap();
}

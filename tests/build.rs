//! `handbook build` on fixture books: pages, links, highlighting, determinism, atomicity.

mod common;
use common::*;

#[test]
fn builds_every_page_kind() {
    let book = good_book();
    let out = handbook(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("open file://"), "{}", text(&out));
    let b = book.path().join("book");
    for page in [
        "index.html",
        "guide.html",
        "search.html",
        "404.html",
        "levels/level-1.html",
        "levels/level-2.html",
        "questions/first-question.html",
        "questions/second-question.html",
        "questions/deeper-question.html",
        "sheets/level-1.html",
        "sheets/level-2.html",
        "sheets/interview.html",
        "assets/style.css",
        "assets/highlight.css",
        "assets/handbook.js",
        "search-index.js",
        "questions.json",
    ] {
        assert!(b.join(page).is_file(), "missing {page}");
    }
}

#[test]
fn question_page_has_calibration_answer_and_links() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let q = read(&book.path().join("book/questions/first-question.html"));
    // Front matter, with inline markdown rendered.
    assert!(
        q.contains("<title>What does double do? ·"),
        "the title is plain text, without markdown"
    );
    assert!(
        q.contains("What does <code>double</code> do?"),
        "the heading renders inline markdown"
    );
    assert!(
        q.contains("Says it multiplies by <code>2</code>"),
        "signals render inline markdown"
    );
    assert!(q.contains("Thinks it adds one"));
    assert!(q.contains("What about overflow?"));
    assert!(q.contains("href=\"https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4\""));
    // Links between content files become relative links between pages.
    assert!(
        q.contains("href=\"../questions/deeper-question.html#model-answer\""),
        "{q}"
    );
    assert!(q.contains("<h2 id=\"model-answer\">"));
    // Rust is highlighted server-side; hidden lines are in the page but hidden.
    assert!(
        q.contains("hl-keyword") || q.contains("hl-storage"),
        "highlighted"
    );
    assert!(
        q.contains("<span class=\"hidden-line\">"),
        "hidden line wrapped"
    );
    assert!(q.contains("Show hidden lines"));
    assert!(q.contains("compiled and run by handbook test · std only"));
    assert!(q.contains("panics, as it should"));
    // Raw HTML from content is escaped, never executed.
    assert!(
        !q.contains("<script>alert"),
        "raw script must not reach the page"
    );
    assert!(q.contains("&lt;script&gt;"));
    // The connection shows on both ends.
    assert!(q.contains("Doubling leads to depth."));
    let deeper = read(&book.path().join("book/questions/deeper-question.html"));
    assert!(
        deeper.contains("href=\"../questions/first-question.html\""),
        "backlink"
    );
    assert!(deeper.contains("not compiled (ignore)"));
    // Previous/next in level order.
    let second = read(&book.path().join("book/questions/second-question.html"));
    assert!(second.contains("rel=\"prev\" href=\"../questions/first-question.html\""));
    assert!(second.contains("rel=\"next\" href=\"../levels/level-2.html\""));
}

#[test]
fn index_summarises_levels_and_red_flags() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let index = read(&book.path().join("book/index.html"));
    assert!(index.contains("No basics") && index.contains("Shallow"));
    assert!(index.contains("Cannot explain the basics at all"));
    assert!(index.contains("href=\"levels/level-1.html\""));
    let guide = read(&book.path().join("book/guide.html"));
    assert!(guide.contains("<table>"), "tables enabled");
    assert!(guide.contains("footnote-definition"), "footnotes enabled");
    let sheet = read(&book.path().join("book/sheets/level-1.html"));
    assert!(sheet.contains("Says it multiplies by <code>2</code>"));
    assert!(sheet.contains("Stop rule"));
    assert!(
        sheet.contains("@media print")
            || read(&book.path().join("book/assets/style.css")).contains("@media print")
    );
}

#[test]
fn links_are_relative_everywhere() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    for (path, bytes) in snapshot(&book.path().join("book")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).expect("utf8");
            assert!(
                !html.contains("href=\"/"),
                "{} has a root-absolute link",
                path.display()
            );
            assert!(
                !html.contains("src=\"/"),
                "{} has a root-absolute src",
                path.display()
            );
        }
    }
}

#[test]
fn every_internal_link_resolves() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let broken = broken_links(&book.path().join("book"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn two_builds_are_byte_identical() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let first = snapshot(&book.path().join("book"));
    assert!(handbook(&["build"], book.path()).status.success());
    assert_eq!(first, snapshot(&book.path().join("book")));
}

#[test]
fn builds_from_another_directory_with_dest_dir() {
    let book = good_book();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let dest = elsewhere.path().join("site");
    let out = handbook(
        &[
            "build",
            book.path().to_str().unwrap(),
            "--dest-dir",
            dest.to_str().unwrap(),
        ],
        elsewhere.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(dest.join("index.html").is_file());
    assert!(!book.path().join("book").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let before = snapshot(&book.path().join("book"));
    std::fs::write(
        book.path().join("content/questions/second-question.md"),
        "---\nid: second-question\nlevel: [\n---\n",
    )
    .unwrap();
    let out = handbook(&["build"], book.path());
    assert!(!out.status.success());
    assert!(
        text(&out).contains("content/questions/second-question.md:3"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("previous output is unchanged"));
    assert_eq!(before, snapshot(&book.path().join("book")));
    // No temporary directories are left beside the output.
    assert_eq!(staging_litter(book.path()), Vec::<String>::new());
}

#[test]
fn refuses_dangerous_destinations() {
    let book = good_book();
    let p = book.path();
    for (dest, why) in [
        (".", "book's own directory"),
        ("..", "contains the book"),
        ("content", "content/"),
        ("content/out", "content/"),
        ("themes/x", "themes/"),
        ("snippets", "snippets/"),
    ] {
        let out = handbook(&["build", ".", "--dest-dir", dest], p);
        assert!(!out.status.success(), "{dest} accepted");
        assert!(text(&out).contains(why), "{dest}: {}", text(&out));
    }
    assert!(
        p.join("content/questions/first-question.md").is_file(),
        "sources intact"
    );
    // A non-empty directory handbook did not create is not replaced.
    let foreign = p.join("important");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "data").unwrap();
    let out = handbook(&["build", ".", "--dest-dir", "important"], p);
    assert!(!out.status.success());
    assert!(text(&out).contains("did not create"), "{}", text(&out));
    assert_eq!(read(&foreign.join("keep.txt")), "data");
}

#[test]
fn search_index_and_json_export_cover_every_question() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let js = read(&book.path().join("book/search-index.js"));
    assert!(js.starts_with("window.HANDBOOK_SEARCH="));
    for id in ["first-question", "second-question", "deeper-question"] {
        assert!(
            js.contains(&format!("questions/{id}.html")),
            "{id} not indexed"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&read(&book.path().join("book/questions.json"))).unwrap();
    assert_eq!(json["questions"].as_array().unwrap().len(), 3);
    assert_eq!(json["levels"].as_array().unwrap().len(), 2);
    assert_eq!(json["questions"][0]["id"], "first-question");
    assert_eq!(
        json["questions"][0]["connections"][0]["to"],
        "deeper-question"
    );
}

#[test]
fn init_makes_a_book_that_builds_checks_and_tests() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank");
    let out = handbook(&["init", bank.to_str().unwrap()], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(handbook(&["check", "bank"], dir.path()).status.success());
    assert!(handbook(&["build", "bank"], dir.path()).status.success());
    assert!(bank.join("book/questions/example-question.html").is_file());
    // init refuses to overwrite.
    assert!(
        !handbook(&["init", bank.to_str().unwrap()], dir.path())
            .status
            .success()
    );
}

#[test]
fn the_link_checker_finds_broken_links() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("a")).unwrap();
    std::fs::write(
        site.path().join("index.html"),
        "<a href=\"a/page.html#here\">ok</a><a href=\"a/gone.html\">x</a>",
    )
    .unwrap();
    std::fs::write(
        site.path().join("a/page.html"),
        "<p id=\"here\"></p><a href=\"../index.html#nowhere\">x</a>",
    )
    .unwrap();
    let broken = broken_links(site.path());
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(broken[0].contains("a/gone.html") || broken[1].contains("a/gone.html"));
    assert!(broken.iter().any(|b| b.contains("no such anchor")));
}

#[test]
fn a_render_error_midway_leaves_the_previous_output_untouched() {
    // Pages are written as they render; an error in one page must still leave nothing behind.
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let before = snapshot(&book.path().join("book"));
    let theme = book.path().join("themes/default");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("question.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.field }}{% endblock %}",
    )
    .unwrap();
    let out = handbook(&["build"], book.path());
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("question.html"), "{}", text(&out));
    assert!(!text(&out).contains("panicked"), "{}", text(&out));
    assert_eq!(before, snapshot(&book.path().join("book")));
    assert_eq!(staging_litter(book.path()), Vec::<String>::new());
}

/// Temporary output directories left beside the output (there must be none).
fn staging_litter(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.contains("handbook-"))
        .collect()
}

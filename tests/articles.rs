//! Diagrams and print.html, on the good fixture with tests/fixtures/article/ laid over it: an
//! article with two diagrams, a tested snippet and links; a last-level question with a diagram
//! and a link to the article.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn article_book() -> tempfile::TempDir {
    let book = good_book();
    copy_dir(&fixture("article"), book.path());
    book
}

fn built() -> tempfile::TempDir {
    let book = article_book();
    let out = handbook(&["build"], book.path());
    assert!(out.status.success(), "{}", text(&out));
    book
}

/// Every `id` of the page with the number of elements carrying it.
fn ids(html: &str) -> BTreeMap<String, usize> {
    let doc = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("[id]").unwrap();
    let mut ids = BTreeMap::new();
    for el in doc.select(&all) {
        *ids.entry(el.value().attr("id").unwrap_or("").to_string())
            .or_insert(0) += 1;
    }
    ids
}

fn duplicates(ids: &BTreeMap<String, usize>) -> Vec<&String> {
    ids.iter()
        .filter(|(_, n)| **n > 1)
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn every_page_links_print_html_and_article_links_resolve() {
    let book = built();
    let site = book.path().join("book");
    let article = read(&site.join("articles/reference-design.html"));
    // Links between content files resolve through the route table.
    assert!(article.contains(r#"href="../questions/deeper-question.html""#));
    assert!(article.contains(r#"href="../questions/first-question.html#model-answer""#));
    assert!(article.contains(r##"href="#overview""##));
    for page in [
        "index.html",
        "questions/first-question.html",
        "levels/level-1.html",
        "articles/reference-design.html",
    ] {
        let html = read(&site.join(page));
        assert!(
            html.contains("print.html\">The whole book (print)</a>"),
            "{page}: no link to print.html"
        );
    }
    let index = read(&site.join("index.html"));
    assert!(index.contains(r#"<a href="print.html">The whole book on one page"#));
    assert!(broken_links(&site).is_empty(), "{:?}", broken_links(&site));
}

#[test]
fn diagrams_become_inline_svg_that_fits_the_page_policy() {
    let book = built();
    let site = book.path().join("book");
    let article = read(&site.join("articles/reference-design.html"));
    assert_eq!(article.matches("<figure class=\"diagram\">").count(), 2);
    assert_eq!(article.matches("<svg ").count(), 2);
    // The caption is the text alternative, escaped.
    assert!(
        article.contains(
            "<figcaption>Who calls whom &lt;and&gt; &quot;why&quot; &amp; how</figcaption>"
        ),
        "{article}"
    );
    // No style element or attribute (the CSP blocks them), no script.
    assert!(!article.contains("<style"), "no <style> in the page");
    assert!(
        !article.contains(" style="),
        "no style attribute in the page"
    );
    assert!(
        dom_problems(&article).is_empty(),
        "{:?}",
        dom_problems(&article)
    );
    // Two diagrams on one page: their marker ids differ, and every marker reference resolves.
    let ids = ids(&article);
    assert!(duplicates(&ids).is_empty(), "{:?}", duplicates(&ids));
    for reference in article.split("url(#").skip(1) {
        let id = &reference[..reference.find(')').unwrap()];
        assert!(ids.contains_key(id), "marker {id} is not in the page");
    }
    assert!(
        article.contains("marker-end=\"url(#diagram_2_"),
        "{article}"
    );
    // A question page draws its diagram too.
    let deep = read(&site.join("questions/deeper-question.html"));
    assert!(deep.contains("<figcaption>Three parts</figcaption>"));
    assert!(deep.contains("<text"), "the diagram's words are drawn");
}

#[test]
fn print_html_holds_the_whole_book_with_unique_ids() {
    let book = built();
    let site = book.path().join("book");
    let print = read(&site.join("print.html"));
    // The guide, every level, every question with its calibration and answer, the article.
    for needle in [
        "How to use the fixture",
        "Level 1: Basics",
        "Level 2: Depth",
        "1.1 What does <code>double</code> do?",
        "1.2 Why start at level one?",
        "2.1 How deep does it go?",
        "Says it multiplies by <code>2</code>",
        "Thinks it adds one",
        "What about overflow?",
        "Deep enough",
        "The reference design",
        "Who calls whom &lt;and&gt;",
    ] {
        assert!(print.contains(needle), "print.html lacks {needle}");
    }
    let ids = ids(&print);
    assert!(duplicates(&ids).is_empty(), "{:?}", duplicates(&ids));
    for section in [
        "contents",
        "guide",
        "level-1",
        "level-2",
        "q-first-question",
        "q-second-question",
        "q-deeper-question",
        "article-reference-design",
        // Headings and footnotes carry their section's prefix.
        "q-first-question--model-answer",
        "q-deeper-question--model-answer",
        "article-reference-design--overview",
        "article-reference-design--fn-1",
        "guide--fn-1",
    ] {
        assert!(ids.contains_key(section), "no id {section}: {ids:?}");
    }
    // Links between content files lead to sections of print.html.
    assert!(print.contains(r##"href="#q-deeper-question""##));
    assert!(print.contains(r##"href="#q-first-question--model-answer""##));
    assert!(print.contains(r##"href="#article-reference-design--overview""##));
    assert!(broken_links(&site).is_empty(), "{:?}", broken_links(&site));
    // Hidden snippet lines are left out, so there is nothing to reveal.
    let question = read(&site.join("questions/first-question.html"));
    assert!(question.contains(" fixture_snippets::double;"));
    assert!(
        !print.contains("fixture_snippets::double"),
        "a hidden line is printed"
    );
    assert!(!print.contains("hidden-line") && !print.contains("toggle-hidden"));
    assert!(
        print.contains(" x = double("),
        "the shown lines are printed"
    );
    assert!(
        dom_problems(&print).is_empty(),
        "{:?}",
        dom_problems(&print)
    );
}

#[test]
fn the_articles_snippets_are_tested() {
    let book = article_book();
    let file = book.path().join("content/articles/reference-design.md");
    let text_before = read(&file);
    std::fs::write(
        &file,
        text_before.replace("assert_eq!(double(4), 8);", "assert_eq!(double(4), 9);"),
    )
    .unwrap();
    let line = text_before
        .lines()
        .position(|l| l == "```rust")
        .expect("a rust fence")
        + 1;
    let out = handbook(&["test", "."], book.path());
    let t = text(&out);
    assert!(!out.status.success(), "{t}");
    assert!(
        t.contains(&format!("content/articles/reference-design.md:{line}")),
        "the failure names the article's fence:\n{t}"
    );
}

#[test]
fn check_reports_a_broken_article_link_at_its_line() {
    let book = article_book();
    let file = book.path().join("content/articles/reference-design.md");
    let body = read(&file).replace("../levels/level-1.md", "../levels/level-9.md");
    std::fs::write(&file, body).unwrap();
    let out = handbook(&["check", "."], book.path());
    let t = text(&out);
    assert!(!out.status.success());
    assert!(
        t.contains("content/articles/reference-design.md:7") && t.contains("level-9.md"),
        "{t}"
    );
}

#[test]
fn builds_are_byte_identical() {
    let a = built();
    let b = built();
    assert_eq!(
        snapshot(&a.path().join("book")),
        snapshot(&b.path().join("book"))
    );
    assert!(Path::new(&a.path().join("book/print.html")).is_file());
}

/// `build` writes print.html in parts; the page on disk is the one rendered whole in memory
/// (what `serve` serves), and it counts as one page.
#[test]
fn print_html_written_in_parts_equals_the_whole_page() {
    let book = built();
    let (loaded, _) = handbook::load(book.path()).expect("the fixture loads");
    let files = handbook::render(&loaded).expect("the fixture renders");
    let print = files
        .iter()
        .find(|f| f.path == "print.html")
        .expect("print.html rendered");
    assert!(!print.append);
    assert_eq!(
        files.iter().filter(|f| f.path == "print.html").count(),
        1,
        "the parts are joined"
    );
    let on_disk = std::fs::read(book.path().join("book/print.html")).unwrap();
    assert_eq!(on_disk, print.bytes);
    let out = handbook(&["build"], book.path());
    let pages = snapshot(&book.path().join("book"))
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(
        text(&out).contains(&format!("built {pages} pages")),
        "{}",
        text(&out)
    );
}

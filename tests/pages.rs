//! Snapshot tests of what each page kind shows: the `<main>` element of every page kind of the
//! good fixture, exactly. A change of markup shows up here as a reviewable diff (`cargo insta
//! review`, or `INSTA_UPDATE=always cargo test --test pages` to accept).

mod common;
use common::*;

/// The `<main>` element of `page`, as written.
fn main_of(page: &str) -> &str {
    let start = page.find("<main").expect("a <main> element");
    let end = page.rfind("</main>").expect("a </main> end tag") + "</main>".len();
    &page[start..end]
}

#[test]
fn every_page_kind_main_element() {
    let book = good_book();
    let out = handbook(&["build"], book.path());
    assert!(out.status.success(), "{}", text(&out));
    let site = book.path().join("book");
    for (name, path) in [
        ("index", "index.html"),
        ("guide", "guide.html"),
        ("level", "levels/level-1.html"),
        ("question", "questions/first-question.html"),
        ("question_with_anchors", "questions/deeper-question.html"),
        ("level_sheet", "sheets/level-1.html"),
        ("interview_sheet", "sheets/interview.html"),
        ("scorecard", "scorecard.html"),
        ("calibrate", "calibrate.html"),
        ("drill", "drill.html"),
        ("anchors_sheet", "sheets/anchors-level-1.html"),
        ("search", "search.html"),
        ("not_found", "404.html"),
    ] {
        let page = read(&site.join(path));
        insta::assert_snapshot!(name, main_of(&page));
    }
}

/// `order` sorts; the number every page shows is the position within the level, so gaps in
/// `order` (1, 5) never make one question "1.5" on one page and "1.2" on another.
#[test]
fn one_numbering_everywhere_with_gaps_in_order() {
    let book = good_book();
    let file = book.path().join("content/questions/second-question.md");
    let moved = read(&file).replace("order: 2", "order: 5");
    std::fs::write(&file, moved).expect("write");
    let out = handbook(&["build"], book.path());
    assert!(out.status.success(), "{}", text(&out));
    let site = book.path().join("book");
    let question = read(&site.join("questions/second-question.html"));
    assert!(
        question.contains("question 2 of 2"),
        "question page numbering"
    );
    for page in [
        "levels/level-1.html",
        "sheets/level-1.html",
        "sheets/interview.html",
        "scorecard.html",
    ] {
        let html = read(&site.join(page));
        assert!(
            html.contains("1.2 "),
            "{page} numbers the second question 1.2"
        );
        assert!(!html.contains("1.5"), "{page} shows the raw order");
    }
}

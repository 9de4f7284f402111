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
        ("level_sheet", "sheets/level-1.html"),
        ("interview_sheet", "sheets/interview.html"),
        ("scorecard", "scorecard.html"),
        ("search", "search.html"),
        ("not_found", "404.html"),
    ] {
        let page = read(&site.join(path));
        insta::assert_snapshot!(name, main_of(&page));
    }
}

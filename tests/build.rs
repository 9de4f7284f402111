//! `handbook build` on fixture books: pages, links, highlighting, determinism, atomicity.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
        "scorecard.html",
        "assets/style.css",
        "assets/scorecard.js",
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
    // No test has run: no mark may claim verification (tests/test_cmd.rs covers the rest).
    assert!(q.contains("data-verified=\"unknown\""), "{q}");
    assert!(q.contains("not verified") && q.contains("std only"), "{q}");
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
    // The sheet is laid out for print by the stylesheet it links: its body class has rules
    // inside an `@media print` block of that stylesheet.
    assert!(sheet.contains("<body class=\"sheet-page\""), "{sheet}");
    assert!(sheet.contains("href=\"../assets/style.css\""), "{sheet}");
    let css = read(&book.path().join("book/assets/style.css"));
    let print_rules: String = css
        .split("@media print")
        .skip(1)
        .map(|block| block.split("\n}").next().unwrap_or(""))
        .collect();
    assert!(
        print_rules.contains("body.sheet-page"),
        "no print rule for sheets"
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
    assert!(
        text(&out).contains("the book was not built; the previous output in ./book is unchanged"),
        "{}",
        text(&out)
    );
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

#[test]
fn staging_directories_left_by_killed_builds_are_removed_by_the_next_build() {
    let book = good_book();
    let p = book.path();
    // What a build killed while writing, or between the swap and the clean-up, leaves.
    for name in [".book.handbook-new-4242", ".book.handbook-old-4243"] {
        std::fs::create_dir_all(p.join(name).join("questions")).unwrap();
        std::fs::write(p.join(name).join(".handbook-build"), "").unwrap();
        std::fs::write(p.join(name).join("questions/x.html"), "old").unwrap();
    }
    // Killed before it wrote anything.
    std::fs::create_dir(p.join(".book.handbook-new-4244")).unwrap();
    // Not ours (no marker): kept.
    std::fs::create_dir(p.join(".book.handbook-new-mine")).unwrap();
    std::fs::write(p.join(".book.handbook-new-mine/notes.txt"), "keep").unwrap();
    let out = handbook(&["build"], p);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(staging_litter(p), [".book.handbook-new-mine"]);
    assert_eq!(read(&p.join(".book.handbook-new-mine/notes.txt")), "keep");
}

#[test]
fn no_claim_about_a_previous_output_when_there_was_none() {
    let book = good_book();
    std::fs::write(
        book.path().join("content/questions/second-question.md"),
        "---\nid: second-question\nlevel: [\n---\n",
    )
    .unwrap();
    let out = handbook(&["build"], book.path());
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("the book was not built"), "{t}");
    assert!(!t.contains("previous output"), "{t}");
    assert!(!book.path().join("book").exists());
}

#[test]
fn concurrent_builds_all_succeed_and_never_claim_a_false_unchanged_output() {
    let book = good_book();
    // Six builds at once, ten times: enough to catch the old rename race (one round in about
    // fifteen printed "the previous output is unchanged" over another build's output).
    for round in 0..10 {
        let children: Vec<_> = (0..6)
            .map(|_| {
                std::process::Command::new(handbook_bin())
                    .arg("build")
                    .current_dir(book.path())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let t = text(&out);
            assert!(out.status.success(), "round {round}: {t}");
            assert!(!t.contains("unchanged"), "round {round}: {t}");
        }
        assert!(book.path().join("book/index.html").is_file());
        assert_eq!(staging_litter(book.path()), Vec::<String>::new());
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_output() {
    // The swap is one atomic exchange: at every instant book/ holds a complete tree, the old
    // or the new one, and the next build clears what the killed one left.
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let before = snapshot(&book.path().join("book"));
    for i in 0..20u64 {
        let mut child = std::process::Command::new(handbook_bin())
            .arg("build")
            .current_dir(book.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(5 * i));
        let _ = child.kill();
        let _ = child.wait();
        // Builds of the same input are byte-identical, so old or new, the tree is the same.
        assert_eq!(before, snapshot(&book.path().join("book")), "kill {i}");
    }
    assert!(handbook(&["build"], book.path()).status.success());
    assert_eq!(staging_litter(book.path()), Vec::<String>::new());
}

/// Something only a file outside the book holds: it must never reach the output.
const OUTSIDE: &str = "SECRET-FROM-OUTSIDE-THE-BOOK";

fn set_theme(book: &std::path::Path, theme: &str) {
    let toml = book.join("book.toml");
    let text = format!("{}\n[output.html]\ntheme = {theme:?}\n", read(&toml));
    std::fs::write(toml, text).unwrap();
}

fn assert_theme_refused(book: &std::path::Path, case: &str, why: &str) {
    for cmd in ["check", "build"] {
        let out = handbook(&[cmd, "."], book);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(1), "{case} ({cmd}): {t}");
        assert!(t.contains(why), "{case} ({cmd}): {t}");
        assert!(!t.contains("panicked"), "{case} ({cmd}): {t}");
    }
    let leaked: Vec<_> = snapshot(&book.join("book"))
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(OUTSIDE))
        .map(|(path, _)| path)
        .collect();
    assert!(leaked.is_empty(), "{case}: published {leaked:?}");
}

#[test]
fn a_theme_name_is_a_directory_under_themes_and_nothing_else() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("style.css"), OUTSIDE).unwrap();
    for (case, theme) in [
        ("parent", "../elsewhere".to_string()),
        ("absolute", outside.path().display().to_string()),
        ("nested", "a/b".to_string()),
        ("hidden", ".hidden".to_string()),
    ] {
        let book = good_book();
        // `../elsewhere` from themes/ is a directory inside the book's parent.
        std::fs::create_dir_all(book.path().join("elsewhere")).unwrap();
        std::fs::create_dir_all(book.path().join("themes")).unwrap();
        std::fs::write(book.path().join("elsewhere/style.css"), OUTSIDE).unwrap();
        set_theme(book.path(), &theme);
        assert_theme_refused(book.path(), case, "is not a theme name");
    }
}

#[cfg(unix)]
#[test]
fn a_theme_never_publishes_files_from_outside_the_book() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("style.css"), OUTSIDE).unwrap();
    std::fs::write(
        outside.path().join("base.html"),
        format!("<html>{OUTSIDE}</html>"),
    )
    .unwrap();

    // A file of the default theme's overrides that links outside.
    let book = good_book();
    std::fs::create_dir_all(book.path().join("themes/default")).unwrap();
    symlink(
        outside.path().join("style.css"),
        book.path().join("themes/default/style.css"),
    )
    .unwrap();
    assert_theme_refused(book.path(), "file symlink", "outside the book");

    // A theme directory that is a link to a directory outside.
    let book = good_book();
    std::fs::create_dir_all(book.path().join("themes")).unwrap();
    symlink(outside.path(), book.path().join("themes/linked")).unwrap();
    set_theme(book.path(), "linked");
    assert_theme_refused(book.path(), "directory symlink", "outside the book");

    // themes/ itself a link outside.
    let book = good_book();
    std::fs::create_dir_all(outside.path().join("default")).unwrap();
    std::fs::write(outside.path().join("default/style.css"), OUTSIDE).unwrap();
    symlink(outside.path(), book.path().join("themes")).unwrap();
    assert_theme_refused(book.path(), "themes/ symlink", "outside the book");

    // A link that stays inside the book is fine, as in content/.
    let book = good_book();
    std::fs::create_dir_all(book.path().join("themes/default")).unwrap();
    std::fs::write(book.path().join("shared.css"), "body { color: teal }").unwrap();
    symlink(
        book.path().join("shared.css"),
        book.path().join("themes/default/style.css"),
    )
    .unwrap();
    let out = handbook(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        read(&book.path().join("book/assets/style.css")),
        "body { color: teal }"
    );
}

#[test]
fn dot_files_and_dot_directories_in_content_are_not_published() {
    let book = good_book();
    let c = book.path().join("content");
    std::fs::create_dir_all(c.join(".secret")).unwrap();
    std::fs::write(c.join(".secret/key.txt"), OUTSIDE).unwrap();
    std::fs::create_dir_all(c.join("questions/.drafts")).unwrap();
    std::fs::write(c.join("questions/.drafts/notes.txt"), OUTSIDE).unwrap();
    std::fs::write(c.join(".env"), OUTSIDE).unwrap();
    std::fs::write(c.join("diagram.txt~"), OUTSIDE).unwrap();
    // An ordinary asset is published at its path.
    std::fs::create_dir_all(c.join("img")).unwrap();
    std::fs::write(c.join("img/diagram.txt"), "published").unwrap();
    let out = handbook(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    let site = snapshot(&book.path().join("book"));
    let leaked: Vec<_> = site
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(OUTSIDE))
        .map(|(path, _)| path)
        .collect();
    assert!(leaked.is_empty(), "published {leaked:?}");
    assert_eq!(read(&book.path().join("book/img/diagram.txt")), "published");
}

#[test]
fn every_level_a_book_may_have_gets_its_own_colour() {
    let book = good_book();
    assert!(handbook(&["build"], book.path()).status.success());
    let css = read(&book.path().join("book/assets/style.css"));
    let colour = |n: u32| -> String {
        let var = format!("--l{n}: ");
        let at = css
            .find(&var)
            .unwrap_or_else(|| panic!("no {var} in style.css"));
        css[at + var.len()..at + var.len() + 7].to_string()
    };
    let mut seen = std::collections::BTreeSet::new();
    for n in 1..=handbook::content::MAX_LEVEL {
        let c = colour(n);
        assert!(seen.insert(c.clone()), "level {n} shares colour {c}");
        if n > 1 {
            assert!(
                css.contains(&format!(".level-{n} {{ background: var(--l{n}); }}")),
                "no badge rule for level {n}"
            );
        }
        // White badge text stays readable (WCAG AA for small text: 4.5:1).
        let channel = |i: usize| {
            let v = u8::from_str_radix(&c[i..i + 2], 16).unwrap() as f64 / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let lum = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        let contrast = 1.05 / (lum + 0.05);
        assert!(contrast >= 4.5, "level {n}: {c} has contrast {contrast:.2}");
    }
}

/// A copy of the bank on another subject (SQL, in French, seven levels, the `regex` crate).
fn other_subject_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("other-subject"), dir.path());
    dir
}

/// The default theme's interface words, in English.
fn default_words() -> BTreeMap<String, String> {
    toml::from_str(include_str!("../themes/default/words.toml")).expect("words.toml")
}

/// A book's `[output.html.words]`.
fn book_words(book_toml: &Path) -> BTreeMap<String, String> {
    let table: toml::Table = toml::from_str(&read(book_toml)).expect("book.toml");
    table["output"]["html"]["words"]
        .as_table()
        .expect("[output.html.words]")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().expect("a word is a string").to_string(),
            )
        })
        .collect()
}

/// Words that are the same in French and English, so finding them proves nothing.
const SAME_IN_FRENCH: [&str; 11] = [
    "Alpha",
    "Article",
    "Alpha (ordinal)",
    "Date",
    "Exact",
    // "on {date}": `on` is also a French pronoun.
    "on",
    "Question",
    "Questions",
    "question",
    "questions",
    "Sources",
];

/// The English pieces of each word that a page could show: the text between `{name}`
/// placeholders, trimmed of spaces and punctuation, when it holds two letters or more (and
/// is not a word French shares). "Level {n}: {title}" gives "Level".
fn english_fragments(words: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, value) in words {
        let mut rest = value.as_str();
        let mut pieces = Vec::new();
        while let Some(open) = rest.find('{') {
            pieces.push(&rest[..open]);
            rest = rest[open..]
                .find('}')
                .map_or("", |close| &rest[open + close + 1..]);
        }
        pieces.push(rest);
        for piece in pieces {
            // Trim spaces and punctuation, and a bracket left open or closed by a placeholder
            // ("seen ({red_flag})" gives "seen"), but keep "(ordinal)" whole.
            let mut piece = piece;
            loop {
                let trimmed = piece
                    .trim_matches(|c: char| c.is_whitespace() || ".,:;·".contains(c))
                    .trim_end_matches('(')
                    .trim_start_matches(')');
                if trimmed == piece {
                    break;
                }
                piece = trimmed;
            }
            let letters = piece.chars().filter(char::is_ascii_alphabetic).count();
            if letters >= 2 && !SAME_IN_FRENCH.contains(&piece) {
                out.push((key.clone(), piece.to_string()));
            }
        }
    }
    out
}

/// What a page shows or reads out as its interface: its text (the book's code and the
/// scripts' data aside), the attributes read out or shown (labels, placeholders, titles, alt
/// texts), and the words given to scripts (`data-words`) one by one. Entities are decoded, as
/// a browser does.
fn interface_strings(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let mut out = Vec::new();
    for node in doc.tree.root().descendants() {
        match node.value() {
            scraper::Node::Text(text) => {
                let in_content_code = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "pre" | "code" | "script"))
                });
                if !in_content_code && !text.trim().is_empty() {
                    out.push(text.to_string());
                }
            }
            scraper::Node::Element(el) => {
                for (name, value) in el.attrs() {
                    if name == "data-words" {
                        let words: BTreeMap<String, String> =
                            serde_json::from_str(value).expect("data-words is JSON");
                        out.extend(words.into_values());
                    } else if matches!(name, "aria-label" | "placeholder" | "title" | "alt") {
                        out.push(value.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `s` with each `{name}` placeholder replaced by a space.
fn without_placeholders(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let name_end = rest[open + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map(|i| open + 1 + i);
        out.push_str(&rest[..open]);
        match name_end {
            Some(end) if rest[end..].starts_with('}') && end > open + 1 => {
                out.push(' ');
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('{');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `haystack` holds `word` with no letter or digit right before or after it.
fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn a_bank_on_another_subject_builds_and_speaks_its_own_language() {
    let book = other_subject_book();
    let out = handbook(&["check", ".", "--deny-warnings"], book.path());
    assert!(out.status.success(), "{}", text(&out));
    let out = handbook(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    let site = book.path().join("book");
    for level in 1..=7 {
        assert!(site.join(format!("levels/level-{level}.html")).is_file());
    }
    let index = read(&site.join("index.html"));
    assert!(index.contains("<html lang=\"fr\">"), "{index}");
    // The sidebar names the guide by its own title.
    assert!(
        index.contains(">Mode d&#39;emploi</a>"),
        "the guide's title in the sidebar"
    );
    assert!(index.contains("level-badge level-7"), "level 7 badge");
    // The interface speaks the book's language: every word of the theme is translated in
    // book.toml, and no page of the site shows one of the theme's English words.
    let english = default_words();
    let french = book_words(&book.path().join("book.toml"));
    let untranslated: Vec<&String> = english
        .keys()
        .filter(|k| !french.contains_key(*k))
        .collect();
    assert!(
        untranslated.is_empty(),
        "tests/fixtures/other-subject/book.toml does not translate {untranslated:?}"
    );
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    // Every page: front page, guide, search, 404, scorecard, calibration, drill, 7 levels, 7
    // questions, the interview sheet, 7 level sheets, 7 anchors sheets and print.html.
    assert_eq!(pages.len(), 37, "{pages:?}");
    let mut shown = Vec::new();
    for page in &pages {
        // A script's word holds placeholders ("{level}"): they are not words a reader sees.
        let strings: Vec<String> = interface_strings(&read(page))
            .iter()
            .map(|s| without_placeholders(s))
            .collect();
        for (key, fragment) in english_fragments(&english) {
            if let Some(s) = strings.iter().find(|s| contains_word(s, &fragment)) {
                shown.push(format!(
                    "{}: `{fragment}` (the English of `{key}`) in `{s}`",
                    page.strip_prefix(&site).unwrap().display()
                ));
            }
        }
    }
    assert!(
        shown.is_empty(),
        "English words on French pages:\n{}",
        shown.join("\n")
    );
    let question = read(&site.join("questions/null-comparison.html"));
    for french in [
        "Une bonne réponse montre",
        // No test has run: the mark claims nothing, in French.
        "non vérifié : handbook test n&#39;a pas exécuté cette version · regex 1",
        "Niveau 1</span> Bases</a> · question 1 sur 1",
        "&quot;script_found&quot;:&quot;{n} page(s) trouvée(s)&quot;",
    ] {
        assert!(question.contains(french), "`{french}` not in:\n{question}");
    }
    // Nothing of the JWT book leaks from the tool into another subject's site.
    for (path, bytes) in snapshot(&site) {
        let text = String::from_utf8_lossy(&bytes);
        for word in ["JWT", "RFC 7519", "OWASP", "jsonwebtoken", "JWKS"] {
            assert!(!text.contains(word), "{} says `{word}`", path.display());
        }
    }
}

#[test]
fn a_bank_on_another_subject_runs_its_snippets_against_its_own_crate() {
    // Compiles the `regex` crate into the book's target/: the slowest test of this file.
    let book = other_subject_book();
    let out = handbook(&["test", "."], book.path());
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("4 passed, 0 failed, 0 ignored"), "{t}");
    // After the passing run, the marks say so, in the book's language, with the resolved version.
    assert!(handbook(&["build", "."], book.path()).status.success());
    let question = read(&book.path().join("book/questions/null-comparison.html"));
    assert!(
        question.contains("✓ compilé et exécuté par handbook test le 20")
            && question.contains(" · regex 1."),
        "{question}"
    );
    let index = read(&book.path().join("book/index.html"));
    assert!(
        index.contains("4 extraits de code sur 4 vérifiés"),
        "{index}"
    );
}

#[test]
fn a_page_gives_its_scripts_their_words_and_no_other_page_script_words() {
    let book = good_book();
    assert!(handbook(&["build", "."], book.path()).status.success());
    let site = book.path().join("book");
    let keys_of = |page: &str| -> Vec<String> {
        let html = read(&site.join(page));
        let doc = scraper::Html::parse_document(&html);
        let body = doc
            .select(&scraper::Selector::parse("body").unwrap())
            .next()
            .expect("body");
        let words: BTreeMap<String, String> =
            serde_json::from_str(body.value().attr("data-words").expect("data-words"))
                .expect("JSON");
        words.into_keys().collect()
    };
    let scripts = ["scorecard", "calibrate", "drill"];
    let english = default_words();
    let pages = ["index.html", "questions/first-question.html", "search.html"];
    for page in pages
        .map(String::from)
        .into_iter()
        .chain(scripts.map(|s| format!("{s}.html")))
    {
        let keys = keys_of(&page);
        let own = page.strip_suffix(".html").filter(|p| scripts.contains(p));
        for key in english.keys().filter(|k| k.starts_with("script_")) {
            let page_script = scripts
                .iter()
                .find(|s| key.starts_with(&format!("script_{s}_")));
            let expected = page_script.is_none() || page_script.copied() == own;
            assert_eq!(keys.contains(key), expected, "{page}: `{key}`");
        }
        assert!(
            keys.iter().all(|k| k.starts_with("script_")),
            "{page}: {keys:?}"
        );
    }
}

#[test]
fn interface_words_come_from_the_theme_and_the_book() {
    // A theme's words.toml is merged over the English; book.toml's words over both.
    let book = good_book();
    std::fs::create_dir_all(book.path().join("themes/default")).unwrap();
    std::fs::write(
        book.path().join("themes/default/words.toml"),
        "overview = \"Start\"\nnext = \"Onward\"\n",
    )
    .unwrap();
    let toml = book.path().join("book.toml");
    std::fs::write(
        &toml,
        format!("{}\n[output.html.words]\nnext = \"Weiter\"\n", read(&toml)),
    )
    .unwrap();
    let out = handbook(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    let q = read(&book.path().join("book/questions/first-question.html"));
    assert!(q.contains(">Start</a>"), "theme word");
    assert!(q.contains("<span>Weiter</span>"), "book word");
    assert!(q.contains("<span>Previous</span>"), "English default");

    // A misspelt key is an error, not an English word left in place.
    std::fs::write(
        &toml,
        read(&toml).replace("next = \"Weiter\"", "nxet = \"Weiter\""),
    )
    .unwrap();
    for cmd in ["check", "build"] {
        let out = handbook(&[cmd, "."], book.path());
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(
            text(&out).contains("`nxet` under [output.html.words] is not a word")
                && text(&out).contains("did you mean `next`?"),
            "{}",
            text(&out)
        );
    }
}

/// An article (`content/articles/<id>.md`) is a page of its own, read after the last level:
/// listed in every page's sidebar, on the front page and in the search index, with links to
/// and from questions resolved like any other content link.
#[test]
fn an_article_is_a_page_in_the_sidebar_front_page_and_search() {
    let book = good_book();
    let articles = book.path().join("content/articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::write(
        articles.join("deep-dive.md"),
        "---\ntitle: \"A deep dive\"\ndescription: \"Everything about `double`.\"\n---\n\n\
         ## Why\n\nSee [the first question](../questions/first-question.md).\n",
    )
    .unwrap();
    let q = book.path().join("content/questions/deeper-question.md");
    std::fs::write(
        &q,
        read(&q).replace(
            "Deep enough.",
            "Deep enough: [the deep dive](../articles/deep-dive.md).",
        ),
    )
    .unwrap();
    let out = handbook(&["build", "."], book.path());
    assert!(out.status.success(), "{}", text(&out));
    let b = book.path().join("book");

    let page = read(&b.join("articles/deep-dive.html"));
    assert!(page.contains("<title>A deep dive ·"), "{page}");
    assert!(page.contains("<h1>A deep dive</h1>"), "{page}");
    assert!(
        page.contains("Everything about <code>double</code>."),
        "the description renders inline markdown: {page}"
    );
    assert!(
        page.contains("href=\"../questions/first-question.html\""),
        "{page}"
    );
    // Read after the last question of the last level, which now leads to it.
    assert!(
        page.contains("rel=\"prev\" href=\"../questions/deeper-question.html\""),
        "{page}"
    );
    let last = read(&b.join("questions/deeper-question.html"));
    assert!(
        last.contains("rel=\"next\" href=\"../articles/deep-dive.html\""),
        "{last}"
    );
    assert!(
        last.contains("href=\"../articles/deep-dive.html\">the deep dive</a>"),
        "{last}"
    );

    for p in ["index.html", "guide.html", "questions/first-question.html"] {
        let html = read(&b.join(p));
        assert!(html.contains("articles/deep-dive.html\"><span class=\"level-badge article-badge\">Article</span> A deep dive</a>"), "sidebar of {p}");
    }
    let index = read(&b.join("index.html"));
    assert!(
        index.contains("<h2 id=\"go-deeper\">Go deeper</h2>"),
        "{index}"
    );
    assert!(index.contains("<a href=\"articles/deep-dive.html\">A deep dive</a>: Everything about <code>double</code>."), "{index}");

    // Search: an entry without a level (the script shows it as an article).
    let js = read(&b.join("search-index.js"));
    assert!(js.contains("{\"u\":\"articles/deep-dive.html\",\"q\":\"A deep dive\",\"t\":\"everything about double deep-dive\"}"), "{js}");
    assert!(broken_links(&b).is_empty(), "{:?}", broken_links(&b));
}

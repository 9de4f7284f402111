//! Hostile content cannot reach past its place: a book whose every string tries to break out
//! of its element or attribute builds into pages whose DOM (parsed as a browser parses it,
//! by html5ever) has no event-handler attribute, no inline script and no script URL.

mod common;
use common::*;
use scraper::{Html, Selector};

/// Every problem found in the DOM of the pages under `dir`, and pages without a strict policy.
fn site_problems(dir: &std::path::Path) -> Vec<String> {
    let csp = Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).expect("selector");
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("inside")
            .display()
            .to_string();
        let html = read(entry.path());
        problems.extend(
            dom_problems(&html)
                .into_iter()
                .map(|p| format!("{rel}: {p}")),
        );
        let doc = Html::parse_document(&html);
        match doc
            .select(&csp)
            .next()
            .and_then(|m| m.value().attr("content"))
        {
            Some(policy)
                if policy.contains("script-src 'self'") && !policy.contains("unsafe-inline") => {}
            other => problems.push(format!(
                "{rel}: no strict Content-Security-Policy ({other:?})"
            )),
        }
    }
    problems
}

#[test]
fn hostile_strings_stay_text_in_every_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("hostile"), dir.path());
    let out = handbook(&["build"], dir.path());
    assert!(out.status.success(), "{}", text(&out));
    let problems = site_problems(&dir.path().join("book"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The attack strings are still there, as text the reader can see.
    let page = read(&dir.path().join("book/questions/attack.html"));
    assert!(
        page.contains("window.__pwned=&#39;heading-id&#39;")
            || page.contains("window.__pwned=&#x27;heading-id&#x27;"),
        "the heading id is escaped, not dropped"
    );
}

#[test]
fn check_warns_about_heading_ids_that_need_escaping() {
    let out = handbook(&["check", "--deny-warnings"], &fixture("hostile"));
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("heading id"), "{t}");
}

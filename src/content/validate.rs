//! Cross-file rules of the model: level numbering, unique ids and orders, connections that
//! resolve, the rating scale, articles (links are `links.rs`'s job).

use super::{Book, Level, MAX_LEVEL, Origin};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::site::level_stem;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Line of the first line of `text` that contains `needle`, or `fallback`.
fn line_of(text: &str, needle: &str, fallback: usize) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| l.find(needle).map(|c| (i + 1, l[..c].chars().count() + 1)))
        .unwrap_or((fallback, 1))
}

pub fn levels(book: &mut Book, loaded: Vec<(Level, String)>, diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<u32, &Origin> = BTreeMap::new();
    for (level, text) in &loaded {
        let n = level.meta.level;
        let file = &level.origin.file;
        let expected_stem = level_stem(n);
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if n == 0 || n > MAX_LEVEL {
            let (l, c) = line_of(text, "level:", 2);
            diags.push(
                Diagnostic::error(file, format!("level {n} is out of range"))
                    .at(text, l, c)
                    .help(format!("levels are numbered from 1 to {MAX_LEVEL}")),
            );
        } else if stem != expected_stem {
            diags.push(
                Diagnostic::error(
                    file,
                    format!("a page for level {n} must be named {expected_stem}.md"),
                )
                .help(format!(
                    "rename the file to content/levels/{expected_stem}.md, or fix `level:`"
                )),
            );
        }
        if let Some(first) = seen.insert(n, &level.origin) {
            let (l, c) = line_of(text, "level:", 2);
            diags.push(
                Diagnostic::error(file, format!("level {n} is defined twice"))
                    .at(text, l, c)
                    .help(format!("{} defines it already", first.file.display())),
            );
        }
        for (key, value) in [
            ("title", &level.meta.title),
            ("probes", &level.meta.probes),
            ("red_flag", &level.meta.red_flag),
            ("red_flag_short", &level.meta.red_flag_short),
        ] {
            if value.trim().is_empty() {
                let (l, c) = line_of(text, &format!("{key}:"), 2);
                diags.push(
                    Diagnostic::error(file, format!("`{key}` is empty"))
                        .at(text, l, c)
                        .help(format!("write the level's {}", key.replace('_', " "))),
                );
            }
        }
    }
    if loaded.is_empty() {
        diags.push(
            Diagnostic::error("content/levels", "the book has no levels")
                .help("add content/levels/level-1.md with level, title, probes, red_flag and red_flag_short"),
        );
    }
    let numbers: Vec<u32> = seen.keys().copied().collect();
    for (i, n) in numbers.iter().enumerate() {
        let expected = i as u32 + 1;
        let unloaded = book
            .unloaded
            .contains(&format!("levels/{}.md", level_stem(expected)));
        if *n != expected && *n <= MAX_LEVEL && !unloaded {
            diags.push(
                Diagnostic::error(
                    format!("content/levels/level-{expected}.md"),
                    format!("level {expected} is missing"),
                )
                .help("levels are numbered 1, 2, 3... without gaps: the bank is climbed in order"),
            );
            break;
        }
    }
    let mut levels: Vec<Level> = loaded.into_iter().map(|(l, _)| l).collect();
    levels.sort_by_key(|l| l.meta.level);
    levels.dedup_by_key(|l| l.meta.level);
    book.levels = levels;
}

/// Lowercase letters, digits and single hyphens, not at either end: the one rule for question
/// ids (validation and `handbook new question` both use it).
pub fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The guide's rating scale, when given, is the severity model's: values 1, 2, 3, 4 in that
/// order, each with a label (the scorecard computes passes from the values 1 and 2, and anchors
/// are keyed 1 to 4).
pub fn ratings(book: &Book, diags: &mut Vec<Diagnostic>) {
    let scale = &book.guide.ratings;
    if scale.is_empty() {
        return;
    }
    let values: Vec<u8> = scale.iter().map(|r| r.value).collect();
    let unlabelled: Vec<String> = scale
        .iter()
        .filter(|r| r.label.trim().is_empty())
        .map(|r| r.value.to_string())
        .collect();
    let message = if values != [1, 2, 3, 4] {
        format!(
            "the rating scale has the values {:?}; it must be 1, 2, 3, 4 in that order",
            values
        )
    } else if !unlabelled.is_empty() {
        format!("rating {} has an empty label", unlabelled.join(", "))
    } else {
        return;
    };
    let file = book.guide.origin.file.as_path();
    let text = std::fs::read_to_string(book.root.join(file)).unwrap_or_default();
    let (l, c) = line_of(&text, "ratings:", 2);
    diags.push(
        Diagnostic::error(file, message).at(&text, l, c).help(
            "list `- value: N`, `label:` and `meaning:` for each rating 1 to 4 (the guide's severity model rates on exactly these four)",
        ),
    );
}

pub fn questions(book: &mut Book, diags: &mut Vec<Diagnostic>) {
    let ids: BTreeSet<String> = book.questions.iter().map(|q| q.meta.id.clone()).collect();
    let mut seen_ids: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut seen_orders: BTreeMap<(u32, u32), &Path> = BTreeMap::new();
    for q in &book.questions {
        let m = &q.meta;
        let file = q.origin.file.as_path();
        let text = q.text.as_str();
        let at = |key: &str| line_of(text, key, 2);
        if !is_kebab(&m.id) {
            let (l, c) = at("id:");
            diags.push(
                Diagnostic::error(file, format!("id `{}` is not kebab-case", m.id))
                    .at(text, l, c)
                    .help("use lowercase letters, digits and single hyphens, e.g. `alg-none`"),
            );
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if stem != m.id {
            let (l, c) = at("id:");
            diags.push(
                Diagnostic::error(
                    file,
                    format!("id `{}` does not match the file name `{stem}.md`", m.id),
                )
                .at(text, l, c)
                .help(format!(
                    "rename the file to content/questions/{}.md, or set `id: {stem}`",
                    m.id
                )),
            );
        }
        if let Some(first) = seen_ids.insert(&m.id, file) {
            let (l, c) = at("id:");
            diags.push(
                Diagnostic::error(file, format!("duplicate id `{}`", m.id))
                    .at(text, l, c)
                    .help(format!(
                        "{} uses it already; ids must be unique",
                        first.display()
                    )),
            );
        }
        let level_unloaded = || {
            book.unloaded
                .contains(&format!("levels/{}.md", level_stem(m.level)))
        };
        if book.level(m.level).is_none() && !level_unloaded() {
            let (l, c) = at("level:");
            let max = book.levels.len();
            diags.push(
                Diagnostic::error(file, format!("level {} does not exist", m.level))
                    .at(text, l, c)
                    .help(format!(
                        "use a level from 1 to {max}, or add content/levels/level-{}.md",
                        m.level
                    )),
            );
        }
        if m.order == 0 {
            let (l, c) = at("order:");
            diags.push(
                Diagnostic::error(file, "order must be 1 or more")
                    .at(text, l, c)
                    .help("order is the question's position within its level: 1, 2, 3..."),
            );
        } else if let Some(first) = seen_orders.insert((m.level, m.order), file) {
            let (l, c) = at("order:");
            diags.push(
                Diagnostic::error(
                    file,
                    format!(
                        "level {} already has a question with order {}",
                        m.level, m.order
                    ),
                )
                .at(text, l, c)
                .help(format!(
                    "{} has that position; pick a free one",
                    first.display()
                )),
            );
        }
        if m.question.trim().is_empty() {
            let (l, c) = at("question:");
            diags.push(
                Diagnostic::error(file, "`question` is empty")
                    .at(text, l, c)
                    .help("write the question as the interviewer asks it"),
            );
        }
        for (key, list, what) in [
            ("signals:", &m.signals, "what a strong answer shows"),
            (
                "red_flags:",
                &m.red_flags,
                "what a weak or wrong answer contains",
            ),
        ] {
            if list.iter().all(|s| s.trim().is_empty()) {
                let (l, c) = line_of(text, key, 2);
                diags.push(
                    Diagnostic::warning(
                        file,
                        format!("no {}", key.trim_end_matches(':').replace('_', " ")),
                    )
                    .at(text, l, c)
                    .help(format!("list {what}: interviewers calibrate with it")),
                );
            }
        }
        if !m.anchors.is_empty() {
            let missing: Vec<String> = (1..=4u8)
                .filter(|r| m.anchors.get(r).is_none_or(|a| a.trim().is_empty()))
                .map(|r| r.to_string())
                .collect();
            let extra: Vec<String> = m
                .anchors
                .keys()
                .filter(|r| !(1..=4).contains(*r))
                .map(|r| r.to_string())
                .collect();
            if !missing.is_empty() || !extra.is_empty() {
                let (l, c) = at("anchors:");
                let message = if extra.is_empty() {
                    format!("anchors for rating {} are missing", missing.join(", "))
                } else {
                    format!("anchors are keyed 1 to 4, not {}", extra.join(", "))
                };
                diags.push(
                    Diagnostic::error(file, message)
                        .at(text, l, c)
                        .help("give an anchor for each rating 1, 2, 3 and 4 (what a candidate at that rating says), or none"),
                );
            }
        }
        let mut connected = BTreeSet::new();
        for conn in &m.connections {
            // The position is looked up only when a diagnostic is made: scanning every file for
            // every connection made re-validation in `serve` cost 50 ms at 1,000 questions.
            let here = |d: Diagnostic| {
                let (l, c) = line_of(text, &format!("to: {}", conn.to), 2);
                d.at(text, l, if l > 2 { c + 4 } else { c })
            };
            if conn.to == m.id {
                diags.push(
                    here(Diagnostic::error(
                        file,
                        "a question cannot connect to itself",
                    ))
                    .help("remove this connection"),
                );
            } else if !ids.contains(&conn.to)
                // A target that exists but did not load has its own error already.
                && !book.unloaded.contains(&format!("questions/{}.md", conn.to))
            {
                let d = here(Diagnostic::error(
                    file,
                    format!("connection to unknown question `{}`", conn.to),
                ));
                diags.push(
                    match did_you_mean(&conn.to, ids.iter().map(String::as_str)) {
                        Some(best) => d.help(format!("did you mean `{best}`?")),
                        None => d.help("use the `id` of a file in content/questions/"),
                    },
                );
            } else if !connected.insert(conn.to.as_str()) {
                diags.push(
                    here(Diagnostic::warning(
                        file,
                        format!("`{}` is connected twice", conn.to),
                    ))
                    .help("keep one"),
                );
            }
            if conn.why.trim().is_empty() {
                diags.push(
                    here(Diagnostic::warning(
                        file,
                        format!("connection to `{}` has no `why`", conn.to),
                    ))
                    .help("say in one sentence what a strong candidate links between the two"),
                );
            }
        }
        for src in &m.sources {
            let is_web = src.url.starts_with("https://") || src.url.starts_with("http://");
            if is_web && !src.title.trim().is_empty() {
                continue;
            }
            let (l, c) = line_of(text, &src.url, 2);
            if !is_web {
                diags.push(
                    Diagnostic::error(file, format!("source URL `{}` is not a web address", src.url))
                        .at(text, l, c)
                        .help("cite an http(s) URL of the document, ideally of the section itself (with its #fragment)"),
                );
            }
            if src.title.trim().is_empty() {
                diags.push(
                    Diagnostic::error(file, "a source has no title")
                        .at(text, l, c)
                        .help("name the document and the section the answer relies on"),
                );
            }
        }
        if m.sources.is_empty() && book.config.check.require_sources {
            let (l, c) = line_of(text, "sources:", 2);
            diags.push(
                Diagnostic::warning(file, "the question cites no sources")
                    .at(text, l, c)
                    .help("list under `sources:` the documents (title and URL) a reader can check the answer against, or set `require-sources = false` under [check] in book.toml"),
            );
        }
    }
    book.questions.sort_by(|a, b| {
        (a.meta.level, a.meta.order, &a.meta.id).cmp(&(b.meta.level, b.meta.order, &b.meta.id))
    });
}

/// Articles: the file name is the id, so it must be kebab-case (it becomes the URL), and the
/// title and description must say something (they are shown in the sidebar and on the front page).
pub fn articles(book: &Book, diags: &mut Vec<Diagnostic>) {
    for a in &book.articles {
        let file = a.origin.file.as_path();
        let text = a.text.as_str();
        if !is_kebab(&a.id) {
            diags.push(
                Diagnostic::error(file, format!("the article file name `{}.md` is not kebab-case", a.id))
                    .help("rename it with lowercase letters, digits and single hyphens, e.g. `content/articles/production-scale.md`: the name becomes the page's URL"),
            );
        }
        for (key, value) in [
            ("title", &a.meta.title),
            ("description", &a.meta.description),
        ] {
            if value.trim().is_empty() {
                let (l, c) = line_of(text, &format!("{key}:"), 2);
                diags.push(
                    Diagnostic::error(file, format!("the article's `{key}` is empty"))
                        .at(text, l, c)
                        .help("an article needs a title and a one- or two-sentence description: both are shown in the sidebar and on the front page"),
                );
            }
        }
    }
}

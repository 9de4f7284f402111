//! Cross-file rules: level numbering, unique ids and orders, connections and links that
//! resolve, and the lint that `check` reports as warnings.

use super::{Book, Level, Origin};
use crate::config::line_col;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::markdown;
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
        if n == 0 || n > 9 {
            let (l, c) = line_of(text, "level:", 2);
            diags.push(
                Diagnostic::error(file, format!("level {n} is out of range"))
                    .at(text, l, c)
                    .help("levels are numbered from 1 to 9"),
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
        if *n != expected && *n <= 9 {
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

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
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
        if book.level(m.level).is_none() {
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
            } else if !ids.contains(&conn.to) {
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
                        .help("cite an http(s) URL, e.g. https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4"),
                );
            }
            if src.title.trim().is_empty() {
                diags.push(
                    Diagnostic::error(file, "a source has no title")
                        .at(text, l, c)
                        .help("name the document and section, e.g. `RFC 7519 §4.1.4`"),
                );
            }
        }
        if m.sources.is_empty() {
            let (l, c) = line_of(text, "sources:", 2);
            diags.push(
                Diagnostic::warning(file, "the question cites no sources")
                    .at(text, l, c)
                    .help("back the answer with an RFC section or an OWASP cheat sheet under `sources:`"),
            );
        }
    }
    book.questions.sort_by(|a, b| {
        (a.meta.level, a.meta.order, &a.meta.id).cmp(&(b.meta.level, b.meta.order, &b.meta.id))
    });
}

/// Relative links to `.md` files and assets must resolve to something the book publishes.
pub fn links(book: &Book, diags: &mut Vec<Diagnostic>) {
    let site = crate::site::Site::new(book, &[]);
    for (body, origin) in book.bodies() {
        body_links(book, &site, body, origin, diags);
    }
}

/// Checks the links of one markdown body.
pub fn body_links(
    book: &Book,
    site: &crate::site::Site,
    body: &str,
    origin: &Origin,
    diags: &mut Vec<Diagnostic>,
) {
    for link in markdown::links(body) {
        let Some(Err(why)) = site.resolve_link(&origin.file, &link.dest) else {
            continue;
        };
        let text = book.text_of(origin);
        let (line_in_body, col) = line_col(body, link.offset);
        let line = origin.body_line + line_in_body - 1;
        diags.push(
            Diagnostic::error(&origin.file, format!("broken link `{}`: {why}", link.dest))
                .at(text, line, col)
                .help("link to another page by its file, relative to this one, e.g. `[JWKS](jwks.md)` or `[Level 2](../levels/level-2.md)`"),
        );
    }
}

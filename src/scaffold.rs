//! `handbook init` and `handbook new question`: files a contributor starts from. Both refuse
//! to overwrite anything that exists.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("`{0}` already exists; refusing to overwrite it")]
    Exists(PathBuf),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if path.exists() {
        return Err(ScaffoldError::Exists(path.to_path_buf()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| ScaffoldError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The front matter and body of a new question, every key present with a comment. Each
/// `TODO` is a placeholder that `handbook check` reports until it is replaced.
pub fn question_template(id: &str, level: u32, order: u32) -> String {
    // `id` is kebab-case (checked by the caller) and the numbers are numbers: nothing here
    // needs YAML quoting.
    format!(
        r#"---
# Stable id: kebab-case, equal to this file's name; used in URLs and connections.
id: {id}
# The level (1 = basics) and the position within the level.
level: {level}
order: {order}
# The question as the interviewer asks it.
question: "TODO: the question, as you would ask it?"
# One sentence: what the question reveals about a candidate.
summary: "TODO: what this question reveals."
# What a strong answer shows: short items an interviewer can tick during the interview.
signals:
  - "TODO: a concrete thing a strong answer contains"
# What a wrong answer contains: any of these rates the question 1.
red_flags:
  - "TODO: a misconception that shows the candidate does not know this"
# Probing follow-ups for confident answers.
follow_ups:
  - "TODO: a follow-up question?"
# Other questions a strong candidate connects this one to (their ids), and why.
connections: []
# What a candidate at each rating says, in their own voice (two or three sentences each):
# 1 the most common misconception, 2 the right direction with a gap, 3 correct and confident,
# 4 also why, connected to another level. All four, or remove the key.
anchors:
  1: "TODO: the misconception interviewers meet most"
  2: "TODO: the right direction, with a gap in the essentials"
  3: "TODO: a correct and confident answer"
  4: "TODO: a 3 that also says why and connects to another level"
# Where a reader can check the answer: the documents and sections it relies on.
sources:
  - title: "TODO: the document and section that back the answer"
    url: "https://example.com/TODO"
---

## Model answer

TODO: the answer an interviewer compares against. Back each claim with a source, or with a
Rust snippet that `handbook test` compiles and runs (it fails if the claim is false):

```rust
let claim_holds = true;
assert!(claim_holds);
```
"#
    )
}

/// The example question of a new bank: complete (no placeholders), so a new bank passes
/// `check --deny-warnings` and `test`, and shows every field filled in.
const EXAMPLE_QUESTION: &str = r#"---
id: example-question
level: 1
order: 1
question: "What happens when a `u8` addition overflows in Rust?"
summary: "Whether the candidate knows that overflow is a bug Rust reports, and how to say what should happen instead."
signals:
  - "Says that overflowing `+` panics when overflow checks are on (debug builds by default)"
  - "Says that with the checks off (release builds by default) the result wraps around"
  - "Names `checked_add`, `wrapping_add` or `saturating_add` to make the intent explicit"
red_flags:
  - "Claims the addition is undefined behaviour, as in C for signed integers"
follow_ups:
  - "Which of these would you use for a counter that must never exceed its maximum?"
connections: []
anchors:
  1: "Overflow is undefined behaviour in Rust, as in C: the compiler may assume it never happens, so anything can come out."
  2: "It wraps around to a small number. I would add a check before the addition if it mattered."
  3: "With overflow checks on, the default in debug builds, `250u8 + 10` panics; with them off, as in release builds by default, it wraps to 4. When I need one behaviour I write `checked_add`, `wrapping_add` or `saturating_add`."
  4: "Rust treats overflow as a bug whatever the profile; only whether it is caught changes, so I never rely on the release-mode wrap. A counter that must stop at its maximum says so with `saturating_add`, and where a silent wrap is worse than a crash I turn overflow checks on in release too."
sources:
  - title: "The Rust Reference: integer overflow"
    url: "https://doc.rust-lang.org/reference/behavior-not-considered-unsafe.html#integer-overflow"
---

## Model answer

Overflow is an error in Rust, but never undefined behaviour: with overflow checks on (debug
builds by default) `+` panics; with them off (release builds by default) the result wraps
around in two's complement. Code that must not depend on the build profile says what it wants:

```rust
let x: u8 = 250;
assert_eq!(x.checked_add(10), None);
assert_eq!(x.wrapping_add(10), 4);
assert_eq!(x.saturating_add(10), u8::MAX);
```
"#;

/// `handbook new question`: writes `content/questions/<id>.md` with the next free order.
pub fn new_question(root: &Path, level: u32, id: Option<&str>) -> Result<PathBuf, ScaffoldError> {
    if let Some(id) = id
        && !crate::content::is_kebab(id)
    {
        return Err(ScaffoldError::Invalid(format!(
            "id `{id}` is not kebab-case: use lowercase letters, digits and single hyphens, e.g. `cache-invalidation`"
        )));
    }
    let (book, _) = crate::content::load(root).map_err(|mut d| {
        ScaffoldError::Invalid(format!(
            "the book must be valid before adding a question:\n{}",
            crate::diagnostics::render_all(&mut d)
        ))
    })?;
    if book.level(level).is_none() {
        return Err(ScaffoldError::Invalid(format!(
            "level {level} does not exist; this book has levels 1 to {}",
            book.levels.len()
        )));
    }
    let order = book
        .questions_in(level)
        .map(|q| q.meta.order)
        .max()
        .unwrap_or(0)
        + 1;
    let id = match id {
        Some(id) => id.to_string(),
        None => {
            let mut n = 1;
            loop {
                let candidate = format!("level-{level}-question-{n}");
                if book.question(&candidate).is_none() {
                    break candidate;
                }
                n += 1;
            }
        }
    };
    if book.question(&id).is_some() {
        return Err(ScaffoldError::Invalid(format!(
            "a question with id `{id}` exists already"
        )));
    }
    let path = root
        .join(crate::content::CONTENT_DIR)
        .join("questions")
        .join(format!("{id}.md"));
    write_new(&path, &question_template(&id, level, order))?;
    Ok(path)
}

/// `handbook init DIR`: a new bank with one level and one example question.
pub fn init(dir: &Path, title: &str) -> Result<(), ScaffoldError> {
    if dir.join(crate::config::FILE_NAME).exists() || dir.join(crate::content::CONTENT_DIR).exists()
    {
        return Err(ScaffoldError::Exists(dir.to_path_buf()));
    }
    // Written by the TOML serializer: any title (backslashes, quotes, newlines) reads back
    // as itself.
    let toml_title = toml::Value::String(title.to_string()).to_string();
    write_new(
        &dir.join(crate::config::FILE_NAME),
        &format!(
            r#"[book]
title = {toml_title}
description = "An interview question bank, levelled from basics to depth."
authors = []
language = "en"

[build]
build-dir = "book"

[output.html]
# Raw HTML in markdown is escaped unless you trust every contributor.
allow-html = false

[check]
# Warn about questions that cite no sources.
require-sources = true

[test]
# Rust fences in content/ are compiled and run by `handbook test` as doctests of a crate of this name.
crate-name = "snippets"
edition = "2024"

[test.dependencies]
# Crates the snippets may use, as in Cargo.toml, e.g.:
# serde_json = "1"
"#
        ),
    )?;
    write_new(&dir.join(".gitignore"), "/book\n/target\n")?;
    let index = crate::content::PageMeta {
        title: title.to_string(),
        description: String::new(),
        ratings: Vec::new(),
    };
    write_new(
        &dir.join("content/index.md"),
        &format!(
            "{}\nA levelled question bank. Start with the [guide](guide.md).\n",
            crate::content::render_front_matter(&index)
        ),
    )?;
    write_new(
        &dir.join("content/guide.md"),
        "---\ntitle: How to use this bank\nratings:\n  - value: 1\n    label: \"wrong, or a red flag\"\n    meaning: \"No answer, a wrong answer, or one of the question's red flags.\"\n  - value: 2\n    label: \"partial\"\n    meaning: \"The right direction with a gap in the essentials, or reached only with prompting.\"\n  - value: 3\n    label: \"correct and confident\"\n    meaning: \"Correct without prompting; covers what a strong answer shows.\"\n  - value: 4\n    label: \"deep\"\n    meaning: \"A 3 that also explains why, and connects to another level unprompted.\"\n---\n\nStart at level 1 with every candidate. Go deeper only after confident answers; never skip ahead.\nA level's red flag ends the climb. Strong candidates connect answers across levels.\nUse the bank to calibrate, not as a checklist: the depth of an explanation matters more than the answer.\n",
    )?;
    write_new(
        &dir.join("content/levels/level-1.md"),
        "---\nlevel: 1\ntitle: Basics\nprobes: \"Whether the candidate can explain the fundamentals clearly.\"\nred_flag: \"Cannot explain the fundamentals\"\nred_flag_short: \"No fundamentals\"\n---\n\nEvery interview starts here.\n",
    )?;
    write_new(
        &dir.join("content/questions/example-question.md"),
        EXAMPLE_QUESTION,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_round_trip_through_book_toml_and_front_matter() {
        for title in [r#"C:\x "q" \u0041"#, "two\nlines", "- [x] # y: z", "'"] {
            let dir = tempfile::tempdir().unwrap();
            init(&dir.path().join("b"), title).unwrap();
            let (book, warnings) = crate::content::load(&dir.path().join("b"))
                .unwrap_or_else(|d| panic!("{title:?}: {d:#?}"));
            assert_eq!(book.config.book.title, title);
            assert_eq!(book.index.title, title);
            assert!(warnings.is_empty(), "{warnings:#?}");
        }
    }
}

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

/// The front matter and body of a new question, every key present with a comment.
pub fn question_template(id: &str, level: u32, order: u32) -> String {
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
# What a weak or wrong answer contains.
red_flags:
  - "TODO: a misconception that should stop the interviewer going deeper"
# Probing follow-ups for confident answers.
follow_ups:
  - "TODO: a follow-up question?"
# Other questions a strong candidate connects this one to (their ids), and why.
connections: []
# Every source the answer cites: an RFC section or an OWASP cheat sheet section.
sources:
  - title: "TODO: e.g. RFC 7519 §4.1.4"
    url: "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4"
---

## Model answer

TODO: the answer an interviewer compares against. Back each claim with a cited source, or with a
Rust snippet that `handbook test` compiles and runs (it fails if the claim is false):

```rust
let claim_holds = true;
assert!(claim_holds);
```
"#
    )
}

/// `handbook new question`: writes `content/questions/<id>.md` with the next free order.
pub fn new_question(root: &Path, level: u32, id: Option<&str>) -> Result<PathBuf, ScaffoldError> {
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
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || id.starts_with('-')
        || id.ends_with('-')
    {
        return Err(ScaffoldError::Invalid(format!(
            "id `{id}` is not kebab-case (lowercase letters, digits, hyphens)"
        )));
    }
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
    let toml_title = title.replace('\\', "\\\\").replace('"', "\\\"");
    write_new(
        &dir.join(crate::config::FILE_NAME),
        &format!(
            r#"[book]
title = "{toml_title}"
description = "An interview question bank, levelled from basics to design."
authors = []
language = "en"

[build]
build-dir = "book"

[output.html]
# Raw HTML in markdown is escaped unless you trust every contributor.
allow-html = false

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
    write_new(
        &dir.join("content/index.md"),
        &format!(
            "---\ntitle: \"{}\"\n---\n\nA levelled question bank. Start with the [guide](guide.md).\n",
            title.replace('"', "\\\"")
        ),
    )?;
    write_new(
        &dir.join("content/guide.md"),
        "---\ntitle: How to use this bank\n---\n\nStart at level 1 with every candidate. Go deeper only after confident answers; never skip ahead.\nA level's red flag ends the climb. Strong candidates connect answers across levels.\nUse the bank to calibrate, not as a checklist: the depth of an explanation matters more than the answer.\n",
    )?;
    write_new(
        &dir.join("content/levels/level-1.md"),
        "---\nlevel: 1\ntitle: Basics\nprobes: \"Whether the candidate can explain the fundamentals clearly.\"\nred_flag: \"Cannot explain the fundamentals\"\nred_flag_short: \"No fundamentals\"\n---\n\nEvery interview starts here.\n",
    )?;
    write_new(
        &dir.join("content/questions/example-question.md"),
        &question_template("example-question", 1, 1),
    )?;
    Ok(())
}

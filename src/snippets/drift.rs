//! Drift watch: the same snippets against another dependency set, and every snippet whose
//! outcome differs from the pinned run.
//!
//! `--latest` resolves book.toml's requirements afresh (the newest compatible releases) in
//! its own crate and target directory; the pinned lock (`snippets/Cargo.lock`) is never
//! touched. A variant (`[test.variants.NAME]` in book.toml) replaces some dependency
//! specifications, e.g. another crypto backend, and starts from the pinned lock so that only
//! what the variant changes is resolved anew. Neither writes the verification record: the
//! pages show the pinned run.

use super::{Outcome, Report, Setup, Snippet, SnippetError, run_with};
use crate::content::Book;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What to compare the pinned run with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Against {
    Latest,
    Variant(String),
}

impl std::fmt::Display for Against {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Against::Latest => write!(f, "latest"),
            Against::Variant(v) => write!(f, "variant {v}"),
        }
    }
}

/// One snippet whose outcome differs.
#[derive(Debug, Clone)]
pub struct Difference {
    pub snippet: Snippet,
    pub pinned: Outcome,
    pub other: Outcome,
    /// The failing side's message.
    pub message: String,
}

#[derive(Debug)]
pub struct Drift {
    pub against: Against,
    pub description: String,
    /// The other run's direct dependencies as resolved.
    pub versions: String,
    /// Packages whose resolved versions differ: `name a -> b`, `+name v`, `-name v`.
    pub version_changes: Vec<String>,
    pub differences: Vec<Difference>,
    pub other: Report,
}

fn setup(book: &Book, against: &Against) -> Result<Setup, SnippetError> {
    let base = super::crate_dir(book);
    let dir_name = |suffix: &str| -> PathBuf {
        let mut name = base.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        base.with_file_name(name)
    };
    Ok(match against {
        Against::Latest => Setup {
            dir: dir_name("-latest"),
            dependencies: book.config.test.dependencies.clone(),
            pinned: false,
            record: false,
            reuse_passes: false,
        },
        Against::Variant(name) => {
            let variant = book.config.test.variants.get(name).ok_or_else(|| {
                let known: Vec<&str> = book
                    .config
                    .test
                    .variants
                    .keys()
                    .map(String::as_str)
                    .collect();
                SnippetError::Config(format!(
                    "book.toml declares no [test.variants.{name}]{}",
                    if known.is_empty() {
                        String::new()
                    } else {
                        format!(" (it declares: {})", known.join(", "))
                    }
                ))
            })?;
            let mut dependencies = book.config.test.dependencies.clone();
            for (k, v) in &variant.dependencies {
                dependencies.insert(k.clone(), v.clone());
            }
            Setup {
                dir: dir_name(&format!("-variant-{}", super::wrap::identifier(&[name]))),
                dependencies,
                pinned: true,
                record: false,
                reuse_passes: false,
            }
        }
    })
}

/// Runs the snippets of `files` (all when `None`) against `against` and compares each
/// outcome with `pinned`'s.
pub fn compare(
    book: &Book,
    pinned: &Report,
    against: &Against,
    files: Option<&[PathBuf]>,
) -> Result<Drift, SnippetError> {
    let setup = setup(book, against)?;
    let other = run_with(book, &setup, files)?;
    let mut differences = Vec::new();
    for r in &other.results {
        let Some(p) = pinned
            .results
            .iter()
            .find(|p| p.snippet.name == r.snippet.name)
        else {
            continue;
        };
        if p.outcome != r.outcome {
            differences.push(Difference {
                snippet: r.snippet.clone(),
                pinned: p.outcome,
                other: r.outcome,
                message: if r.outcome == Outcome::Failed {
                    r.message.clone()
                } else {
                    p.message.clone()
                },
            });
        }
    }
    // Changed versions first, then what only one side resolves (a backend swap adds and
    // removes whole dependency trees).
    let mut version_changes = Vec::new();
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let names: BTreeSet<&String> = pinned
        .resolved
        .keys()
        .chain(other.resolved.keys())
        .collect();
    let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(" + ");
    for name in names {
        match (pinned.resolved.get(name), other.resolved.get(name)) {
            (Some(a), Some(b)) if a != b => {
                version_changes.push(format!("{name} {} -> {}", list(a), list(b)))
            }
            (Some(a), None) => removed.push(format!("{name} {}", list(a))),
            (None, Some(b)) => added.push(format!("{name} {}", list(b))),
            _ => {}
        }
    }
    if !added.is_empty() {
        version_changes.push(format!("{} added ({})", added.len(), added.join(", ")));
    }
    if !removed.is_empty() {
        version_changes.push(format!(
            "{} no longer used ({})",
            removed.len(),
            removed.join(", ")
        ));
    }
    let description = match against {
        Against::Latest => "the newest releases book.toml's requirements allow".to_string(),
        Against::Variant(name) => book
            .config
            .test
            .variants
            .get(name)
            .map(|v| v.description.clone())
            .unwrap_or_default(),
    };
    Ok(Drift {
        against: against.clone(),
        description,
        versions: other.versions.clone(),
        version_changes,
        differences,
        other,
    })
}

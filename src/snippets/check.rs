//! What `check` can find in book.toml's `[test]` section before `test` hits it: a library
//! file that is missing or outside the book, a crate name or edition cargo rejects, a
//! dependency specification cargo would reject or silently half-ignore (a misspelled key
//! such as `featues` is only a warning to cargo, and the snippets then fail for a reason
//! nobody sees), a `path` dependency that is not there.

use crate::config::FILE_NAME;
use crate::content::Book;
use crate::diagnostics::{Diagnostic, did_you_mean};
use std::collections::BTreeMap;

/// The keys cargo reads in a dependency table.
const DEPENDENCY_KEYS: &[&str] = &[
    "version",
    "path",
    "git",
    "branch",
    "tag",
    "rev",
    "features",
    "default-features",
    "optional",
    "package",
    "registry",
];

const EDITIONS: &[&str] = &["2015", "2018", "2021", "2024"];

pub fn check_config(book: &Book) -> Vec<Diagnostic> {
    diagnose(book, false)
}

/// What `test` must stop on before running cargo: the problems cargo would not report (a
/// missing library is ours to read; an unknown dependency key is only a warning to cargo).
/// Everything else cargo reports itself, in its own words, which `test` shows first.
pub(super) fn blocking(book: &Book) -> Vec<Diagnostic> {
    diagnose(book, true)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect()
}

fn diagnose(book: &Book, silent_only: bool) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(book.root.join(FILE_NAME)).unwrap_or_default();
    let at = |d: Diagnostic, needle: &str| -> Diagnostic {
        match locate(&text, needle) {
            Some((l, c)) => d.at(&text, l, c),
            None => d,
        }
    };
    let test = &book.config.test;
    let mut out = Vec::new();
    if !silent_only && !is_crate_name(&test.crate_name) {
        out.push(at(
            Diagnostic::error(
                FILE_NAME,
                format!(
                    "test.crate-name `{}` is not a valid crate name",
                    test.crate_name
                ),
            )
            .help("use ASCII letters, digits and `_`, starting with a letter"),
            "crate-name",
        ));
    }
    if !silent_only && !EDITIONS.contains(&test.edition.as_str()) {
        out.push(at(
            Diagnostic::error(
                FILE_NAME,
                format!("test.edition `{}` is not a Rust edition", test.edition),
            )
            .help(format!("use one of {}", EDITIONS.join(", "))),
            "edition",
        ));
    }
    if let Some(library) = &test.library {
        let path = book.root.join(library);
        let problem = match (
            std::fs::canonicalize(&path),
            std::fs::canonicalize(&book.root),
        ) {
            (Err(e), _) => Some(format!(
                "test.library `{}` cannot be read: {e}",
                library.display()
            )),
            (Ok(p), Ok(root)) if !p.starts_with(&root) => Some(format!(
                "test.library `{}` lies outside the book",
                library.display()
            )),
            (Ok(p), _) if !p.is_file() => Some(format!(
                "test.library `{}` is not a file",
                library.display()
            )),
            _ => None,
        };
        if let Some(message) = problem {
            out.push(at(
                Diagnostic::error(FILE_NAME, message)
                    .help("name a Rust file inside the book, e.g. `library = \"snippets/lib.rs\"`"),
                "library",
            ));
        }
    }
    let mut deps = Vec::new();
    dependencies(
        book,
        &text,
        "test.dependencies",
        &test.dependencies,
        &mut deps,
    );
    for (name, variant) in &test.variants {
        dependencies(
            book,
            &text,
            &format!("test.variants.{name}.dependencies"),
            &variant.dependencies,
            &mut deps,
        );
    }
    out.extend(
        deps.into_iter()
            .filter(|(silent, _)| !silent_only || *silent)
            .map(|(_, d)| d),
    );
    out
}

fn dependencies(
    book: &Book,
    text: &str,
    table: &str,
    deps: &BTreeMap<String, toml::Value>,
    out: &mut Vec<(bool, Diagnostic)>,
) {
    // `true`: cargo would pass over it silently (only a warning).
    let mut push = |silent: bool, d: Diagnostic| out.push((silent, d));
    for (name, spec) in deps {
        let at = |d: Diagnostic, needle: &str| -> Diagnostic {
            match locate(text, needle).or_else(|| locate(text, name)) {
                Some((l, c)) => d.at(text, l, c),
                None => d,
            }
        };
        if !is_package_name(name) {
            push(
                false,
                at(
                    Diagnostic::error(
                        FILE_NAME,
                        format!("[{table}]: `{name}` is not a crate name"),
                    )
                    .help("crate names use ASCII letters, digits, `-` and `_`"),
                    name,
                ),
            );
        }
        match spec {
            toml::Value::String(v) => {
                if let Some(problem) = version_problem(v) {
                    push(false, at(
                        Diagnostic::error(
                            FILE_NAME,
                            format!("[{table}] {name} = \"{v}\": {problem}"),
                        )
                        .help("write a version requirement such as \"1\" or \"0.22\""),
                        name,
                    ));
                }
            }
            toml::Value::Table(t) => {
                for key in t.keys() {
                    if DEPENDENCY_KEYS.contains(&key.as_str()) || key == "default_features" {
                        continue;
                    }
                    let help = match did_you_mean(key, DEPENDENCY_KEYS.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`? cargo would ignore `{key}`"),
                        None => format!(
                            "cargo would ignore `{key}`; a dependency takes {}",
                            DEPENDENCY_KEYS.join(", ")
                        ),
                    };
                    push(true, at(
                        Diagnostic::error(
                            FILE_NAME,
                            format!("[{table}] {name}: unknown key `{key}`"),
                        )
                        .help(help),
                        key,
                    ));
                }
                if !["version", "path", "git"].iter().any(|k| t.contains_key(*k)) {
                    push(false, at(
                        Diagnostic::error(
                            FILE_NAME,
                            format!("[{table}] {name}: no `version`, `path` or `git`"),
                        )
                        .help("say where the crate comes from, e.g. `version = \"1\"`"),
                        name,
                    ));
                }
                if let Some(v) = t.get("version") {
                    match v.as_str().map(version_problem) {
                        Some(None) => {}
                        Some(Some(problem)) => push(false, at(
                            Diagnostic::error(
                                FILE_NAME,
                                format!("[{table}] {name}: version: {problem}"),
                            ),
                            "version",
                        )),
                        None => push(false, at(
                            Diagnostic::error(
                                FILE_NAME,
                                format!("[{table}] {name}: `version` must be a string"),
                            ),
                            "version",
                        )),
                    }
                }
                if let Some(f) = t.get("features")
                    && !f
                        .as_array()
                        .is_some_and(|a| a.iter().all(|v| v.is_str()))
                {
                    push(false, at(
                        Diagnostic::error(
                            FILE_NAME,
                            format!("[{table}] {name}: `features` must be a list of strings"),
                        ),
                        "features",
                    ));
                }
                for key in ["default-features", "optional"] {
                    if t.get(key).is_some_and(|v| !v.is_bool()) {
                        push(false, at(
                            Diagnostic::error(
                                FILE_NAME,
                                format!("[{table}] {name}: `{key}` must be true or false"),
                            ),
                            key,
                        ));
                    }
                }
                if t.get("optional").and_then(|v| v.as_bool()) == Some(true) {
                    push(false, at(
                        Diagnostic::warning(
                            FILE_NAME,
                            format!("[{table}] {name}: an optional dependency is never enabled"),
                        )
                        .help("snippets cannot use it; remove `optional = true`"),
                        "optional",
                    ));
                }
                if let Some(p) = t.get("path") {
                    match p.as_str() {
                        Some(p) if !book.root.join(p).join("Cargo.toml").is_file() => {
                            push(false, at(
                                Diagnostic::error(
                                    FILE_NAME,
                                    format!(
                                        "[{table}] {name}: path `{p}` holds no Cargo.toml"
                                    ),
                                )
                                .help("paths are relative to the book's directory"),
                                "path",
                            ));
                        }
                        Some(_) => {}
                        None => push(false, at(
                            Diagnostic::error(
                                FILE_NAME,
                                format!("[{table}] {name}: `path` must be a string"),
                            ),
                            "path",
                        )),
                    }
                }
            }
            _ => push(false, at(
                Diagnostic::error(
                    FILE_NAME,
                    format!("[{table}] {name}: a dependency is a version string or a table"),
                )
                .help("e.g. `serde = \"1\"` or `serde = { version = \"1\", features = [\"derive\"] }`"),
                name,
            )),
        }
    }
}

pub fn is_crate_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
}

fn is_package_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A version requirement cargo accepts: comma-separated `[op]MAJOR[.MINOR[.PATCH[-pre]]]`
/// with `*` wildcards.
fn version_problem(v: &str) -> Option<String> {
    if v.trim().is_empty() {
        return Some("the version requirement is empty".into());
    }
    for part in v.split(',') {
        let p = part
            .trim()
            .trim_start_matches(['^', '~', '=', '<', '>'])
            .trim();
        if p == "*" {
            continue;
        }
        let (core, _pre) = p.split_once(['-', '+']).unwrap_or((p, ""));
        let nums: Vec<&str> = core.split('.').collect();
        if nums.is_empty()
            || nums.len() > 3
            || !nums.iter().all(|n| {
                n == &"*" || n == &"x" || (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            })
        {
            return Some(format!("`{}` is not a version requirement", part.trim()));
        }
    }
    None
}

/// Line and column of the first line of `text` that starts with `key` (a TOML key).
fn locate(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            let t = l.trim_start();
            let rest = t.strip_prefix(key).or_else(|| {
                t.strip_prefix('"')
                    .and_then(|r| r.strip_prefix(key))
                    .and_then(|r| r.strip_prefix('"'))
            })?;
            let rest = rest.trim_start();
            (rest.starts_with('=') || rest.starts_with('.')).then(|| (i + 1, l.len() - t.len() + 1))
        })
        .or_else(|| {
            // Inside an inline table: `name = { ..., key = ... }`.
            text.lines().enumerate().find_map(|(i, l)| {
                let at = l.find(&format!("{key} ="))?;
                Some((i + 1, at + 1))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_requirements() {
        for ok in [
            "1",
            "0.22",
            "=12.0.0",
            ">=1.2, <2",
            "^1.0.0-alpha.1",
            "*",
            "1.*",
        ] {
            assert_eq!(version_problem(ok), None, "{ok}");
        }
        for bad in ["", "one", "1.2.3.4", ">=1,,"] {
            assert!(version_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn crate_names() {
        assert!(is_crate_name("snippets"));
        assert!(!is_crate_name("3tier"));
        assert!(!is_crate_name("my-crate"));
        assert!(is_package_name("serde_json") && is_package_name("aws-lc-rs"));
    }

    #[test]
    fn keys_are_located() {
        let text = "[test]\ncrate-name = \"x\"\n[test.dependencies]\njsonwebtoken = { version = \"12\", featues = [] }\n";
        assert_eq!(locate(text, "crate-name"), Some((2, 1)));
        assert_eq!(locate(text, "featues"), Some((4, 34)));
    }
}

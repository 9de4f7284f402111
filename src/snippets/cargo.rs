//! The generated package and the cargo run: writes the package, builds the selected test
//! targets (`cargo build --keep-going --message-format=json --test NAME...`), attributes compile
//! errors to snippets by line, runs the test binaries in parallel and reads their reports.

use super::lock::{self, Lock};
use super::messages::{cargo_errors, dep_info_files, manifest_warnings, primary_lines, relocate};
use super::package::{Target, generate, library_path, source};
use super::run::run_binaries;
use super::{
    Outcome, Report, Setup, Snippet, SnippetError, SnippetResult, io_err, write_if_changed,
};
use crate::content::Book;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run produced, beyond the report: what the record's keys are made of.
pub(super) struct TestOutput {
    pub report: Report,
    /// The library's source files as rustc read them (dep-info), relative to the book root.
    pub library_files: Vec<PathBuf>,
}

/// A cargo whose environment is not the one of an outer `cargo test` (it would rebuild with
/// the wrong flags or target dir).
fn cargo_command() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if (key.starts_with("CARGO_")
            && key != "CARGO_HOME"
            && !key.starts_with("CARGO_REGISTRIES")
            && !key.starts_with("CARGO_NET")
            && !key.starts_with("CARGO_HTTP"))
            || key == "RUSTFLAGS"
            || key == "RUSTDOCFLAGS"
            || key == "RUSTC_WRAPPER"
            || key == "RUSTC_WORKSPACE_WRAPPER"
            || key == "__CARGO_FIX_PLZ"
        {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd.env("CARGO_TERM_COLOR", "never");
    cmd
}

/// A compile error, with the lines of the target's own source it points at.
#[derive(Debug, Clone)]
struct CompileError {
    rendered: String,
    lines: Vec<usize>,
}

#[derive(Debug, Default)]
struct Built {
    executables: BTreeMap<String, PathBuf>,
    errors: BTreeMap<String, Vec<CompileError>>,
    /// The library's (or a dependency's) errors: nothing can run.
    blocking: Vec<String>,
    /// The library's dep-info file.
    library_dep_info: Option<PathBuf>,
    stderr: String,
    success: bool,
}

fn build(setup: &Setup, book: &Book, names: &[&str], every: bool) -> Result<Built, SnippetError> {
    let dir = &setup.dir;
    let mut cmd = cargo_command();
    // Only the named targets: `--tests` would add every test target of the crate, so one
    // file's run built (and reported the errors of) every other file's snippets too.
    cmd.arg("build")
        .arg("--keep-going")
        .arg("--message-format=json")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", dir.join("target"));
    if every {
        cmd.arg("--tests");
    } else {
        for n in names {
            cmd.arg("--test").arg(n);
        }
    }
    let out = cmd.output().map_err(SnippetError::Cargo)?;
    let mut built = Built {
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        success: out.status.success(),
        ..Built::default()
    };
    let crate_name = &book.config.test.crate_name;
    let wanted: BTreeSet<&str> = names.iter().copied().collect();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let target = v["target"]["name"].as_str().unwrap_or("");
        let is_lib = v["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|x| x == "lib"))
            && target == crate_name
            && v["package_id"]
                .as_str()
                .is_some_and(|p| !p.starts_with("registry+"));
        match v["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(exe) = v["executable"].as_str()
                    && wanted.contains(target)
                {
                    built
                        .executables
                        .insert(target.to_string(), PathBuf::from(exe));
                }
                if is_lib
                    && let Some(first) = v["filenames"].as_array().and_then(|f| f.first())
                    && let Some(first) = first.as_str()
                {
                    built.library_dep_info = dep_info_of(Path::new(first));
                }
            }
            Some("compiler-message") => {
                let m = &v["message"];
                if m["level"] != "error" {
                    continue;
                }
                let rendered = m["rendered"].as_str().unwrap_or("").to_string();
                if rendered.starts_with("error: aborting due to") {
                    continue;
                }
                if wanted.contains(target) {
                    let own = format!("tests/{target}.rs");
                    let lines = primary_lines(m, &own);
                    built
                        .errors
                        .entry(target.to_string())
                        .or_default()
                        .push(CompileError { rendered, lines });
                } else {
                    built.blocking.push(rendered);
                }
            }
            _ => {}
        }
    }
    Ok(built)
}

/// `deps/libsnippets-HASH.rlib` -> `deps/snippets-HASH.d`.
fn dep_info_of(artifact: &Path) -> Option<PathBuf> {
    let stem = artifact.file_stem()?.to_string_lossy();
    let stem = stem.strip_prefix("lib").unwrap_or(&stem);
    Some(artifact.with_file_name(format!("{stem}.d")))
}

pub(super) fn test(
    book: &Book,
    setup: &Setup,
    all: &[Snippet],
    selected: &[Snippet],
) -> Result<TestOutput, SnippetError> {
    let targets = generate(book, setup, all)?;
    let chosen: BTreeSet<&str> = selected.iter().map(|s| s.name.as_str()).collect();
    let selected_targets: Vec<&Target> = targets
        .iter()
        .filter(|t| t.snippets.iter().any(|s| chosen.contains(s.name.as_str())))
        .collect();
    let mut failed: BTreeMap<String, String> = BTreeMap::new();
    let mut executables = BTreeMap::new();
    let mut cf_errors: BTreeMap<String, String> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut library_dep_info = None;
    let mut round: Vec<&Target> = selected_targets.clone();
    let mut excluded: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut first = true;
    // Each round builds the targets that failed before, without the snippets whose errors
    // were attributed: one broken snippet must not hide the outcome of its file's others.
    while first || !round.is_empty() {
        let names: Vec<&str> = round.iter().map(|t| t.name.as_str()).collect();
        if names.is_empty() && !first {
            break;
        }
        let built = if names.is_empty() {
            // No file of the selection has snippets left to build: nothing runs.
            Built {
                success: true,
                ..Built::default()
            }
        } else {
            // Every target of the crate: `--tests` says it in one argument, where a thousand
            // `--test NAME`s would pass Windows' 32 KB command-line limit.
            let every = names.len() == targets.len();
            build(setup, book, &names, every)?
        };
        if first {
            warnings = manifest_warnings(&built.stderr);
        }
        first = false;
        if built.library_dep_info.is_some() {
            library_dep_info = built.library_dep_info.clone();
        }
        if !built.blocking.is_empty() {
            return Err(SnippetError::Build(format!(
                "the snippet library (book.toml [test] library) or a dependency did not compile:\n{}",
                relocate(&built.blocking.join("\n"), &targets, &book.root)
            )));
        }
        let reported = built.executables.len() + built.errors.len();
        if !built.success && reported < names.len() {
            // Cargo stopped before rustc could say anything about some target: the manifest
            // or the dependency resolution. Its own message comes first.
            let mut text = String::from("cargo could not build the snippet crate:\n");
            text.push_str(&relocate(
                &cargo_errors(&built.stderr),
                &targets,
                &book.root,
            ));
            text.push_str(
                "\n\nhelp: the snippet crate's manifest is generated from book.toml's [test] section (crate-name, edition, [test.dependencies])",
            );
            return Err(SnippetError::Build(text));
        }
        executables.extend(built.executables);
        let mut again = Vec::new();
        for t in &round {
            let Some(errors) = built.errors.get(&t.name) else {
                continue;
            };
            let rendered = relocate(
                &errors
                    .iter()
                    .map(|e| e.rendered.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                &targets,
                &book.root,
            );
            if t.compile_fail {
                cf_errors.insert(t.snippets[0].name.clone(), rendered);
                continue;
            }
            let live: Vec<&Snippet> = t
                .snippets
                .iter()
                .filter(|s| !excluded.get(&t.name).is_some_and(|x| x.contains(&s.name)))
                .collect();
            let mut blamed: BTreeMap<&str, Vec<&CompileError>> = BTreeMap::new();
            let mut unattributed = false;
            for e in errors {
                let owners: BTreeSet<&str> =
                    e.lines.iter().filter_map(|l| owner(&live, *l)).collect();
                if owners.is_empty() {
                    unattributed = true;
                }
                for o in owners {
                    blamed.entry(o).or_default().push(e);
                }
            }
            if unattributed || blamed.is_empty() {
                for s in &live {
                    failed.insert(s.name.clone(), rendered.clone());
                }
                continue;
            }
            let x = excluded.entry(t.name.clone()).or_default();
            for (name, errs) in blamed {
                let text = errs
                    .iter()
                    .map(|e| e.rendered.as_str())
                    .collect::<Vec<_>>()
                    .join("\n");
                failed.insert(name.to_string(), relocate(&text, &targets, &book.root));
                x.insert(name.to_string());
            }
            if live.len() > x.len() {
                write_if_changed(
                    &setup.dir.join("tests").join(format!("{}.rs", t.name)),
                    &source(t, x),
                )?;
                again.push(*t);
            }
        }
        round = again;
    }

    let ran = run_binaries(&setup.dir, &executables);
    let lock = Lock::read(&setup.dir.join("Cargo.lock"));
    let versions = lock::versions(
        lock.as_ref(),
        &book.config.test.crate_name,
        &setup.dependencies,
    );
    let mut results = Vec::new();
    for s in selected {
        let target = targets
            .iter()
            .find(|t| t.snippets.iter().any(|x| x.name == s.name));
        let (outcome, message) = if s.info.ignore {
            (Outcome::Ignored, String::new())
        } else if let Some(m) = failed.get(&s.name) {
            (Outcome::Failed, m.clone())
        } else if s.info.compile_fail {
            compile_fail_outcome(
                s,
                cf_errors.get(&s.name),
                target.is_some_and(|t| executables.contains_key(&t.name)),
            )
        } else if s.info.no_run {
            // Compiled (its target built); never run, as in rustdoc.
            match target.and_then(|t| ran.get(&t.name)) {
                Some(_) => (Outcome::Passed, String::new()),
                None => (Outcome::Failed, "its test target was not built".to_string()),
            }
        } else {
            match target.and_then(|t| ran.get(&t.name)) {
                Some(r) => match r.outcomes.get(&s.fn_name) {
                    Some(o) => (
                        *o,
                        relocate(
                            r.messages.get(&s.fn_name).map(String::as_str).unwrap_or(""),
                            &targets,
                            &book.root,
                        ),
                    ),
                    None => (
                        Outcome::Failed,
                        r.trouble.clone().unwrap_or_else(|| {
                            "the test binary did not report this snippet".into()
                        }),
                    ),
                },
                None => (Outcome::Failed, "its test target was not built".to_string()),
            }
        };
        results.push(SnippetResult {
            snippet: s.clone(),
            outcome,
            message,
        });
    }
    let library_files = match (&library_dep_info, library_path(book)?) {
        (Some(d), Some(_)) => {
            let root = std::fs::canonicalize(&book.root).map_err(io_err(&book.root))?;
            let dir = crate::output::absolute(&setup.dir);
            dep_info_files(d, &root, &dir)
        }
        _ => Vec::new(),
    };
    Ok(TestOutput {
        report: Report {
            results,
            crate_dir: setup.dir.clone(),
            versions,
            resolved: lock.map(|l| l.resolved()).unwrap_or_default(),
            warnings,
            reused: 0,
        },
        library_files,
    })
}

/// The snippet whose lines (opening fence to closing fence) hold `line`.
fn owner<'a>(snippets: &[&'a Snippet], line: usize) -> Option<&'a str> {
    snippets
        .iter()
        .find(|s| line >= s.line && line <= s.line + s.code.lines().count() + 1)
        .map(|s| s.name.as_str())
}

/// A `compile_fail` fence passes when rustc rejects it, with every error code its info string
/// names (`compile_fail,E0308`).
fn compile_fail_outcome(s: &Snippet, errors: Option<&String>, compiled: bool) -> (Outcome, String) {
    let codes: Vec<&str> = s
        .raw_info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| {
            t.len() == 5 && t.starts_with('E') && t[1..].chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    match errors {
        Some(text) => {
            let missing: Vec<&str> = codes
                .iter()
                .copied()
                .filter(|c| !text.contains(&format!("[{c}]")))
                .collect();
            if missing.is_empty() {
                (Outcome::Passed, String::new())
            } else {
                (
                    Outcome::Failed,
                    format!(
                        "it fails to compile, but without error {}:\n{text}",
                        missing.join(", ")
                    ),
                )
            }
        }
        None if compiled => (
            Outcome::Failed,
            "it compiled, but the fence says `compile_fail`".to_string(),
        ),
        None => (Outcome::Failed, "its check was not built".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::messages::cargo_add_advice;
    use super::super::run::parse_libtest;
    use super::*;

    #[test]
    fn libtest_reports_are_read() {
        let ran = parse_libtest(
            "running 3 tests\ntest line_5 ... ok\ntest line_9 - should panic ... ok\ntest line_12 ... FAILED\n\nfailures:\n\n---- line_12 stdout ----\n\nthread 'line_12' panicked at tests/q.rs:14:1:\nboom\n\nfailures:\n    line_12\n\ntest result: FAILED. 2 passed; 1 failed\n",
        );
        assert_eq!(ran.outcomes["line_5"], Outcome::Passed);
        assert_eq!(ran.outcomes["line_9"], Outcome::Passed);
        assert_eq!(ran.outcomes["line_12"], Outcome::Failed);
        assert!(ran.messages["line_12"].contains("panicked at tests/q.rs:14:1"));
    }

    #[test]
    fn cargo_add_advice_names_book_toml() {
        assert_eq!(
            cargo_add_advice(
                "help: if you wanted to use a crate named `itoa`, use `cargo add itoa` to add it to your `Cargo.toml`\n"
            ),
            "help: if you wanted to use a crate named `itoa`, add it to `[test.dependencies]` in book.toml\n"
        );
    }

    #[test]
    fn dep_info_names_the_library_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        let d = dir.path().join("x.d");
        std::fs::write(
            &d,
            format!(
                "{r}/target/x.rlib: {r}/target/handbook-snippets/src/lib.rs {r}/snippets/lib.rs {r}/snippets/my\\ key.pem /usr/lib/x.rs\n\n{r}/snippets/lib.rs:\n",
                r = root.display()
            ),
        )
        .unwrap();
        assert_eq!(
            dep_info_files(&d, &root, &root.join("target/handbook-snippets")),
            vec![
                PathBuf::from("snippets/lib.rs"),
                PathBuf::from("snippets/my key.pem")
            ]
        );
    }
}

//! `handbook test`, for the command line (part of the binary, beside main.rs): which book and
//! files to test, running them, printing the report and the failures.

use crate::{print_diagnostics, say, warn};
use anyhow::Result;
use handbook::diagnostics::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Default)]
pub(crate) struct TestArgs {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) latest: bool,
    pub(crate) variants: Vec<String>,
    pub(crate) all_variants: bool,
    pub(crate) rerun: bool,
}

/// `handbook test [BOOK_DIR] [FILE...]`: directories name the book, files the content files to
/// test (the book is then the nearest directory above them holding book.toml).
fn split_paths(paths: &[PathBuf]) -> Result<(PathBuf, Vec<PathBuf>)> {
    let dirs: Vec<&PathBuf> = paths.iter().filter(|p| p.is_dir()).collect();
    let files: Vec<PathBuf> = paths.iter().filter(|p| !p.is_dir()).cloned().collect();
    if dirs.len() > 1 {
        anyhow::bail!(
            "name one book directory, then content files (got {} directories)",
            dirs.len()
        );
    }
    for f in &files {
        if !f.is_file() {
            anyhow::bail!("`{}`: no such file or directory", f.display());
        }
    }
    let book_dir = match (dirs.first(), files.first()) {
        (Some(d), _) => (*d).clone(),
        (None, Some(f)) => std::path::absolute(f)?
            .ancestors()
            .skip(1)
            .find(|d| d.join("book.toml").is_file())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        (None, None) => PathBuf::from("."),
    };
    Ok((book_dir, files))
}

fn print_failures(results: &[handbook::snippets::SnippetResult]) {
    for r in results {
        if r.outcome != handbook::snippets::Outcome::Failed {
            continue;
        }
        let s = &r.snippet;
        let mut d = Diagnostic::error(
            &s.file,
            format!(
                "snippet failed (```{})",
                if s.raw_info.is_empty() {
                    "rust"
                } else {
                    &s.raw_info
                }
            ),
        );
        d.line = s.line;
        warn_fmt!("{}", d.render().trim_end());
        for line in r.message.trim_end().lines() {
            warn_fmt!("    | {line}");
        }
        warn("");
    }
}

pub(crate) fn test(args: TestArgs) -> Result<ExitCode> {
    use handbook::snippets::{self, Outcome, drift};
    let (book_dir, files) = split_paths(&args.paths)?;
    let (book, _) = match handbook::load(&book_dir) {
        Ok(b) => b,
        Err(handbook::Error::Invalid(mut diags)) => {
            print_diagnostics(&mut diags);
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    let mut against: Vec<drift::Against> = Vec::new();
    if args.latest {
        against.push(drift::Against::Latest);
    }
    let mut variants = args.variants.clone();
    if args.all_variants {
        variants.extend(book.config.test.variants.keys().cloned());
    }
    variants.dedup();
    against.extend(variants.into_iter().map(drift::Against::Variant));

    let started = std::time::Instant::now();
    let all = snippets::collect(&book);
    let files = (!files.is_empty()).then_some(files);
    let count = match &files {
        None => all.len(),
        Some(f) => f
            .iter()
            .filter_map(|f| snippets::book_relative(&book, f))
            .map(|rel| all.iter().filter(|s| s.file == rel).count())
            .sum(),
    };
    warn_fmt!(
        "compiling and running {count} snippets (crate in {})",
        snippets::crate_dir(&book).display()
    );
    let mut setup = snippets::Setup::pinned(&book);
    setup.reuse_passes = !args.rerun;
    let report = match snippets::run_with(&book, &setup, files.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            warn_fmt!("error: {e}");
            say(format!("0 passed, {} failed", count.max(1)))?;
            return Ok(ExitCode::FAILURE);
        }
    };
    for w in &report.warnings {
        warn_fmt!("warning: {w}");
    }
    print_failures(&report.results);
    if report.reused > 0 {
        warn_fmt!(
            "{} of the passes are from earlier runs of exactly the same snippet, library and dependencies (their files are unchanged); --rerun runs them again",
            report.reused
        );
    }
    warn_fmt!("finished in {:.1} s", started.elapsed().as_secs_f64());
    let mut failed = report.count(Outcome::Failed) > 0;

    let mut drifted = Vec::new();
    for a in &against {
        warn_fmt!("\n== {a}: running the same snippets");
        let d = match drift::compare(&book, &report, a, files.as_deref()) {
            Ok(d) => d,
            Err(e) => {
                warn_fmt!("error: {a}: {e}");
                failed = true;
                continue;
            }
        };
        if !d.description.is_empty() {
            warn_fmt!("{a}: {}", d.description);
        }
        warn_fmt!("{a}: {}", d.versions);
        if d.version_changes.is_empty() {
            warn_fmt!("{a}: resolves the same versions as the pinned run");
        } else {
            warn_fmt!("{a}: packages that differ from the pinned run:");
            for c in &d.version_changes {
                warn_fmt!("  {c}");
            }
        }
        for diff in &d.differences {
            let s = &diff.snippet;
            let word = |o: Outcome| match o {
                Outcome::Passed => "passes",
                Outcome::Failed => "fails",
                Outcome::Ignored => "is ignored",
            };
            let line = format!(
                "{}:{}: {} pinned, {} with {a}",
                handbook::diagnostics::display_path(&s.file),
                s.line,
                word(diff.pinned),
                word(diff.other)
            );
            warn_fmt!("drift: {line}");
            for m in diff.message.trim_end().lines() {
                warn_fmt!("    | {m}");
            }
            drifted.push(line);
        }
        warn_fmt!(
            "{a}: {} of {} snippets differ",
            d.differences.len(),
            d.other.results.len()
        );
    }
    if !against.is_empty() {
        if drifted.is_empty() {
            warn_fmt!("\nno drift: every snippet has the pinned run's outcome");
        } else {
            warn_fmt!("\n{} drifted snippet(s):", drifted.len());
            for l in &drifted {
                warn_fmt!("  {l}");
            }
            failed = true;
        }
    }
    say(report.summary())?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

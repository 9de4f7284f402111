//! Running the built test binaries in parallel and reading libtest's report of each.

use super::Outcome;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One test binary's report.
#[derive(Debug, Default)]
pub(super) struct Ran {
    pub(super) outcomes: BTreeMap<String, Outcome>,
    pub(super) messages: BTreeMap<String, String>,
    /// When the binary ended without reporting every test (a crash, `process::exit`).
    pub(super) trouble: Option<String>,
}

pub(super) fn run_binaries(dir: &Path, exes: &BTreeMap<String, PathBuf>) -> BTreeMap<String, Ran> {
    let jobs: Vec<(&String, &PathBuf)> = exes.iter().collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(BTreeMap::new());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(jobs.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((name, exe)) = jobs.get(i) else {
                        break;
                    };
                    let ran = run_binary(dir, exe);
                    results
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert((*name).clone(), ran);
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}

pub(super) fn run_binary(dir: &Path, exe: &Path) -> Ran {
    let out = match Command::new(exe)
        .args(["--color", "never"])
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            return Ran {
                trouble: Some(format!("cannot run {}: {e}", exe.display())),
                ..Ran::default()
            };
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut ran = parse_libtest(&stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let finished = stdout.lines().any(|l| l.starts_with("test result:"));
    if !finished {
        ran.trouble = Some(format!(
            "the test process ended before reporting every snippet ({}){}{}",
            out.status,
            if stderr.trim().is_empty() { "" } else { ":\n" },
            stderr.trim_end()
        ));
    }
    ran
}

/// libtest's text report: `test NAME ... ok|FAILED|ignored` lines and the
/// `---- NAME stdout ----` sections of failures.
pub(super) fn parse_libtest(stdout: &str) -> Ran {
    let mut ran = Ran::default();
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, status)) = rest.rsplit_once(" ... ")
        {
            let name = name.split(' ').next().unwrap_or(name).to_string();
            let o = if status.starts_with("ok") {
                Outcome::Passed
            } else if status.starts_with("ignored") {
                Outcome::Ignored
            } else {
                Outcome::Failed
            };
            ran.outcomes.insert(name, o);
            continue;
        }
        if let Some(rest) = line.strip_prefix("---- ")
            && let Some(name) = rest.strip_suffix(" stdout ----")
        {
            current = Some(name.to_string());
            continue;
        }
        if line == "failures:" || line.starts_with("test result:") {
            current = None;
            continue;
        }
        if let Some(name) = &current {
            let m = ran.messages.entry(name.clone()).or_default();
            m.push_str(line);
            m.push('\n');
        }
    }
    ran
}

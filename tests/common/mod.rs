//! Helpers shared by the integration tests: run the binary, copy fixtures, snapshot trees.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The case folders of a fixture collection (`broken`, `warnings`), sorted: each must have a
/// test, and the test lists check that none was forgotten.
pub fn fixture_cases(collection: &str) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixture(collection))
        .expect("fixture collection")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    cases.sort();
    cases
}

/// The binary under test; `HANDBOOK_BIN` runs the tests against another build (e.g. an older
/// release, to see a new test fail before its fix).
pub fn handbook_bin() -> PathBuf {
    std::env::var_os("HANDBOOK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_handbook")))
}

pub fn handbook(args: &[&str], cwd: &Path) -> Output {
    Command::new(handbook_bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run handbook")
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A copy of the good fixture in a fresh temporary directory.
pub fn good_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("good"), dir.path());
    dir
}

/// Every file under `dir` with its bytes, for byte-identical comparisons.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Every relative `href`/`src` of every HTML page under `site` points at a file that exists
/// (fragments are checked against the target's ids). Returns the broken ones.
pub fn broken_links(site: &Path) -> Vec<String> {
    let files = snapshot(site);
    let mut broken = Vec::new();
    for (path, bytes) in &files {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let target = &part[..part.find('"').unwrap_or(0)];
                if target.is_empty()
                    || target.contains("://")
                    || target.starts_with("mailto:")
                    || target.starts_with("data:")
                {
                    continue;
                }
                let (file, fragment) = match target.split_once('#') {
                    Some((f, frag)) => (f, Some(frag)),
                    None => (target, None),
                };
                let file = file.split('?').next().unwrap_or(file);
                let resolved = if file.is_empty() {
                    path.clone()
                } else {
                    let mut p = path.parent().map(Path::to_path_buf).unwrap_or_default();
                    for seg in file.split('/') {
                        match seg {
                            ".." => {
                                p.pop();
                            }
                            "." | "" => {}
                            s => p.push(s),
                        }
                    }
                    p
                };
                match files.get(&resolved) {
                    None => broken.push(format!("{}: {target}", path.display())),
                    Some(t) => {
                        if let Some(frag) = fragment.filter(|f| !f.is_empty()) {
                            let t = String::from_utf8_lossy(t);
                            if !t.contains(&format!("id=\"{frag}\"")) {
                                broken
                                    .push(format!("{}: {target} (no such anchor)", path.display()));
                            }
                        }
                    }
                }
            }
        }
    }
    broken
}

/// What a browser would run from content, found in the DOM of one page (parsed by html5ever,
/// as a browser parses it): event-handler attributes, inline scripts (JSON data blocks
/// aside), script URLs, and embedding elements content has no business creating.
pub fn dom_problems(html: &str) -> Vec<String> {
    let all = scraper::Selector::parse("*").expect("selector");
    let doc = scraper::Html::parse_document(html);
    let mut problems = Vec::new();
    for el in doc.select(&all) {
        let v = el.value();
        for (name, value) in v.attrs() {
            if name.starts_with("on") {
                problems.push(format!("<{}> has {name}=\"{value}\"", v.name()));
            }
            let lower: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && ["javascript:", "vbscript:", "data:text/html"]
                .iter()
                .any(|s| lower.starts_with(s))
            {
                problems.push(format!("<{}> {name}=\"{value}\"", v.name()));
            }
        }
        if v.name() == "script"
            && v.attr("src").is_none()
            && v.attr("type") != Some("application/json")
        {
            problems.push("an inline <script>".to_string());
        }
        if matches!(v.name(), "iframe" | "object" | "embed" | "base" | "form" if v.attr("class") != Some("search-form") && v.attr("class") != Some("search-page-form"))
        {
            problems.push(format!("a <{}> element", v.name()));
        }
    }
    problems
}

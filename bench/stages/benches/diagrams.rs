//! The cost of drawing one diagram (a ```` ```svgbob ```` fence to inline SVG) at build time:
//! every diagram of the book's content (content/**/*.md) and of the article fixture, each
//! timed on its own. Run: `cargo bench --manifest-path bench/stages/Cargo.toml --bench diagrams`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every svgbob fence under `dir`, named `file:line`.
fn diagrams(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            diagrams(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path).expect("readable markdown");
            for block in handbook::markdown::code_blocks(&text) {
                if handbook::diagram::is_diagram(&block.raw_info) {
                    let name = format!(
                        "{}:{} ({} lines)",
                        path.strip_prefix(repo()).unwrap_or(&path).display(),
                        block.line,
                        block.code.lines().count()
                    );
                    out.push((name, block.code));
                }
            }
        }
    }
}

fn draw(c: &mut Criterion) {
    let mut all = Vec::new();
    diagrams(&repo().join("content"), &mut all);
    diagrams(&repo().join("tests/fixtures/article"), &mut all);
    assert!(!all.is_empty(), "no diagrams found");
    let mut g = c.benchmark_group("one diagram to SVG");
    for (name, code) in &all {
        g.bench_function(name.as_str(), |b| {
            b.iter(|| black_box(handbook::diagram::to_svg(black_box(code), "d_")))
        });
    }
    g.finish();
}

criterion_group!(benches, draw);
criterion_main!(benches);

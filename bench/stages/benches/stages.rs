//! Per-stage timings of `handbook build`, so a regression shows where it happened.
//!
//! The bank is generated from the shipped questions by `bench/gen_bank.py` (the same generator
//! `bench/compare.sh` uses), into `target/bench/stages-bank-<N>`. N defaults to 1,000; set
//! `HANDBOOK_BENCH_QUESTIONS` to change it. Run:
//! `cargo bench --manifest-path bench/stages/Cargo.toml`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Generates (once per run) the bank and returns its handbook book root.
fn bank(n: usize) -> PathBuf {
    let out = repo().join(format!("target/bench/stages-bank-{n}"));
    let status = Command::new("python3")
        .arg(repo().join("bench/gen_bank.py"))
        .arg(repo())
        .arg(n.to_string())
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/gen_bank.py");
    assert!(status.success(), "gen_bank.py failed");
    out.join("handbook")
}

fn stages(c: &mut Criterion) {
    let n: usize = std::env::var("HANDBOOK_BENCH_QUESTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let root = bank(n);
    handbook::highlight::warm_up();

    let mut g = c.benchmark_group(format!("{n} questions"));
    g.sample_size(10);
    g.bench_function("load+validate", |b| {
        b.iter(|| black_box(handbook::load(&root).expect("bank loads")))
    });
    let (book, _) = handbook::load(&root).expect("bank loads");
    g.bench_function("render (parallel, in memory)", |b| {
        b.iter(|| black_box(handbook::render(&book).expect("bank renders")))
    });
    let files = handbook::render(&book).expect("bank renders");
    let dest = repo().join(format!("target/bench/stages-out-{n}"));
    g.bench_function("write (atomic swap)", |b| {
        b.iter(|| handbook::output::write(&dest, &files).expect("output writes"))
    });
    g.bench_function("build (end to end)", |b| {
        b.iter(|| black_box(handbook::build(&root, Some(&dest)).expect("bank builds")))
    });
    g.finish();

    // One answer, single-threaded: the unit every page pays.
    let body = std::fs::read_to_string(repo().join("content/questions/hs256-vs-rs256.md"))
        .expect("shipped question exists");
    let link = |d: &str| d.to_string();
    let heading = |h: &handbook::markdown::HeadingMarkup| h.inner_html.to_string();
    let code_block = |c: &handbook::markdown::CodeBlockMarkup| c.code_html.to_string();
    let diagram = |d: &handbook::markdown::DiagramMarkup| d.svg();
    let ctx = handbook::markdown::Context {
        link: &link,
        allow_html: false,
        highlight: true,
        heading: &heading,
        code_block: &code_block,
        diagram: &diagram,
        id_prefix: "",
        omit_hidden_lines: false,
    };
    let mut g = c.benchmark_group("one answer (hs256-vs-rs256.md)");
    g.bench_function("markdown + highlight", |b| {
        b.iter(|| black_box(handbook::markdown::render(&body, &ctx).html))
    });
    let plain = handbook::markdown::Context {
        highlight: false,
        ..ctx
    };
    g.bench_function("markdown only", |b| {
        b.iter(|| black_box(handbook::markdown::render(&body, &plain).html))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

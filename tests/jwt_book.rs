//! The shipped JWT handbook is itself a fixture: it builds, it says what the seed says, and
//! every answer's snippets compile and pass against the real jsonwebtoken crate.

mod common;
use common::*;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The seed's questions, red flags and rules, worded as the seed words them (PDF glitches
/// such as "alg: nonevulnerability" fixed).
const SEED_QUESTIONS: &[&str] = &[
    "What is a JWT and what problem does it solve?",
    "What are the 3 parts of a JWT? What does each contain?",
    "Is the JWT payload encrypted? Can anyone read it?",
    "What is the difference between authentication and authorization",
    "How do you validate a JWT on the server side?",
    "What claims do you always check after verifying a JWT?",
    "Where do you store JWTs on the client side",
    "What happens if a JWT is stolen? How do you handle token revocation?",
    "vulnerability? How do you prevent it?",
    "What is the difference between HS256 and RS256? When would you choose one over the other?",
    "What is a refresh token and why is it needed alongside a short-lived access token?",
    "How would you implement token rotation with refresh tokens?",
    "How does JWKS work and why is it useful in distributed systems?",
    "why does it matter during key rotation?",
    "How would you do zero-downtime key rotation in a microservices architecture?",
    "What is JWE vs JWT",
    "Design a JWT-based auth system for 10 microservices. Walk me through every component.",
    "How would you handle a scenario where a private key is compromised mid-rotation?",
    "What are the tradeoffs between JWT-based auth vs opaque tokens + token introspection?",
    "verifying thousands of JWTs per second, what bottlenecks would you anticipate",
];

const SEED_RED_FLAGS: &[&str] = &[
    "Can’t explain the 3 parts of a JWT",
    "Never checks exp or aud after verification",
    "Doesn’t know the alg: none attack vector",
    "Has never heard of JWKS",
    "Can’t reason about tradeoffs or design decisions",
];

fn normalise(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace('’', "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn the_handbook_builds_with_every_seed_question_red_flag_and_rule() {
    let out_dir = tempfile::tempdir().unwrap();
    let dest = out_dir.path().join("book");
    let out = handbook(
        &[
            "build",
            repo().to_str().unwrap(),
            "--dest-dir",
            dest.to_str().unwrap(),
        ],
        out_dir.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        !text(&out).contains("warning"),
        "the shipped book must build without warnings: {}",
        text(&out)
    );

    let questions: Vec<_> = std::fs::read_dir(dest.join("questions"))
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(questions.len(), 20, "one page per question");
    for n in 1..=5 {
        assert!(dest.join(format!("levels/level-{n}.html")).is_file());
        assert!(dest.join(format!("sheets/level-{n}.html")).is_file());
    }
    let mut all = String::new();
    for (path, bytes) in snapshot(&dest) {
        if path.extension().is_some_and(|e| e == "html") {
            all.push_str(&normalise(&String::from_utf8(bytes).unwrap()));
        }
    }
    for q in SEED_QUESTIONS {
        assert!(all.contains(&normalise(q)), "seed question missing: {q}");
    }
    for f in SEED_RED_FLAGS {
        assert!(all.contains(&normalise(f)), "seed red flag missing: {f}");
    }
    let guide = normalise(&read(&dest.join("guide.html")));
    for rule in [
        "Start at level 1",
        "Go deeper only if they answer confidently",
        "Never skip ahead",
        "connect answers",
        "calibration tool, not a",
    ] {
        assert!(guide.contains(rule), "guide rule missing: {rule}");
    }
    let broken = broken_links(&dest);
    assert!(broken.is_empty(), "broken internal links: {broken:#?}");
    let index = read(&dest.join("index.html"));
    assert!(
        index.contains("hl-") || read(&dest.join("questions/alg-none.html")).contains("hl-"),
        "server-side highlighting"
    );
}

#[test]
fn the_handbook_passes_check_without_warnings() {
    let out = handbook(&["check", ".", "--deny-warnings"], repo());
    assert!(out.status.success(), "{}", text(&out));
}

/// Compiles and runs every answer's snippets against jsonwebtoken (the first run builds the
/// dependencies into target/handbook-snippets; later runs reuse them).
#[test]
fn every_answer_snippet_compiles_and_passes() {
    let out = handbook(&["test", "."], repo());
    let t = text(&out);
    assert!(out.status.success(), "{t}");
    let summary = t
        .lines()
        .find(|l| l.contains(" passed, "))
        .expect("summary line");
    let passed: usize = summary.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 20, "{summary}");
    assert!(summary.contains(" 0 failed"), "{summary}");
    // At least 16 question files carry an executed snippet.
    let mut files = 0;
    for entry in std::fs::read_dir(repo().join("content/questions"))
        .unwrap()
        .flatten()
    {
        if read(&entry.path()).contains("\n```rust\n") {
            files += 1;
        }
    }
    assert!(
        files >= 16,
        "{files} question files with an executed snippet"
    );
}

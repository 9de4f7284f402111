//! `handbook serve`: serves from memory on loopback, rebuilds and bumps the reload version on
//! save, shows a failed rebuild on the page while keeping the last good build, refuses paths
//! outside the site, and survives many concurrent requests.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(book: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["serve", ".", "--port", "0"])
        .current_dir(book)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines.next().expect("serve printed nothing").expect("line");
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .expect("port");
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// A raw HTTP/1.0 GET, so paths reach the server exactly as written.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    let status = buf
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, buf)
}

fn wait_for(mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn serves_rebuilds_and_reports_errors_in_the_page() {
    let book = good_book();
    let server = start(book.path());
    let port = server.port;

    let (status, body) = get(port, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("Fixture Bank") && body.contains("/__handbook/reload"),
        "{body}"
    );
    assert_eq!(get(port, "/questions/first-question.html").0, 200);
    assert_eq!(get(port, "/nope.html").0, 404);
    for evil in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/questions/..%2f..%2fbook.toml",
        "/..\\book.toml",
    ] {
        let (status, body) = get(port, evil);
        assert_eq!(status, 404, "{evil}");
        assert!(!body.contains("[book]"), "{evil} leaked a file");
    }
    let (_, v0) = get(port, "/__handbook/reload?v=999999");
    let v0: u64 = v0
        .rsplit("\r\n\r\n")
        .next()
        .unwrap()
        .trim()
        .parse()
        .expect("version");

    // An edit is picked up and the version moves on.
    let q = book.path().join("content/questions/second-question.md");
    std::fs::write(
        &q,
        read(&q).replace(
            "Why start at level one?",
            "Why start at the very beginning?",
        ),
    )
    .unwrap();
    assert!(
        wait_for(|| get(port, "/questions/second-question.html")
            .1
            .contains("the very beginning")),
        "edit not served"
    );
    let (_, v1) = get(port, &format!("/__handbook/reload?v={v0}"));
    assert!(
        v1.rsplit("\r\n\r\n")
            .next()
            .unwrap()
            .trim()
            .parse::<u64>()
            .unwrap()
            > v0
    );

    // A broken edit keeps the last good build and shows the error on the page.
    std::fs::write(&q, "---\nid: second-question\nlevel: [\n---\n").unwrap();
    assert!(
        wait_for(|| get(port, "/index.html")
            .1
            .contains("The last rebuild failed")),
        "error not shown"
    );
    let (status, body) = get(port, "/questions/second-question.html");
    assert_eq!(status, 200);
    assert!(
        body.contains("the very beginning"),
        "last good build still served"
    );
    assert!(
        body.contains("content/questions/second-question.md"),
        "the error names the file"
    );

    // Fixing it clears the error.
    std::fs::write(
        &q,
        read(&fixture("good").join("content/questions/second-question.md")),
    )
    .unwrap();
    assert!(
        wait_for(|| !get(port, "/index.html")
            .1
            .contains("The last rebuild failed")),
        "error not cleared"
    );
}

#[test]
fn survives_concurrent_requests() {
    let book = good_book();
    let server = start(book.path());
    let port = server.port;
    let started = Instant::now();
    let handles: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                let mut ok = 0;
                for i in 0..25 {
                    let path = if i % 2 == 0 {
                        "/index.html"
                    } else {
                        "/questions/first-question.html"
                    };
                    if get(port, path).0 == 200 {
                        ok += 1;
                    }
                }
                ok
            })
        })
        .collect();
    let ok: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(ok, 400, "every request answered");
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(get(port, "/").0, 200, "still serving");
}

#[test]
fn live_reload_of_one_answer_equals_a_full_build() {
    let book = good_book();
    let root = handbook::output::absolute(book.path());
    let mut live = handbook::serve::Live::default();
    live.full(&root).unwrap();
    let q = root.join("content/questions/first-question.md");
    // An answer edit re-renders its page; front matter changes that other pages show (the
    // question's text in neighbours' links, the index, sheets and search; a removed
    // connection's backlink) re-render those pages. After each, live equals a full build.
    for (from, to) in [
        ("It doubles its input", "It doubles its argument"),
        ("Checks the *basics*.", "Checks the basics."),
        ("Says it multiplies by `2`", "Says it multiplies by two"),
        ("Thinks it adds one", "Thinks it adds two"),
        ("What about overflow?", "What about wrapping?"),
        ("Doubling leads to depth.", "Doubling leads deeper."),
        (
            "question: \"What does `double` do?\"",
            "question: \"What does doubling do?\"",
        ),
        (
            "connections:\n  - to: deeper-question\n    why: \"Doubling leads deeper.\"\n",
            "connections: []\n",
        ),
    ] {
        let before = read(&q);
        assert!(before.contains(from), "fixture changed: {from}");
        std::fs::write(&q, before.replace(from, to)).unwrap();
        live.update(&root, std::slice::from_ref(&q)).unwrap();
        let full = handbook::serve::rebuild(&root).unwrap();
        assert_eq!(live.files().len(), full.len());
        for (path, bytes) in &full {
            assert_eq!(
                live.files().get(path),
                Some(bytes),
                "{path} differs after the edit `{to}`"
            );
        }
    }
    let page = String::from_utf8_lossy(&live.files()["questions/first-question.html"]).to_string();
    assert!(page.contains("doubles its argument"));
    let index = String::from_utf8_lossy(&live.files()["index.html"]).to_string();
    assert!(index.contains("What does doubling do?"));
    let deeper =
        String::from_utf8_lossy(&live.files()["questions/deeper-question.html"]).to_string();
    assert!(
        !deeper.contains("first-question.html\""),
        "the removed connection's backlink is gone"
    );
    // A broken edit is an error, and the last good site stays.
    std::fs::write(
        &q,
        read(&q).replace("(deeper-question.md#model-answer)", "(gone.md)"),
    )
    .unwrap();
    assert!(
        live.update(&root, std::slice::from_ref(&q))
            .unwrap_err()
            .contains("broken link")
    );
    assert!(
        String::from_utf8_lossy(&live.files()["questions/first-question.html"])
            .contains("doubles its argument")
    );
}

#[test]
fn live_reload_with_overridden_templates_equals_a_full_build() {
    // The default sheet does not show `summary`; an override that does must still see edits.
    let book = good_book();
    let root = handbook::output::absolute(book.path());
    let theme = root.join("themes/default");
    std::fs::create_dir_all(&theme).unwrap();
    let sheet = std::fs::read_to_string("themes/default/sheet-level.html").unwrap();
    let sheet = sheet.replacen(
        "{{ q.question_html | safe }}",
        "{{ q.question_html | safe }} {{ q.summary | safe }}",
        1,
    );
    assert!(sheet.contains("q.summary"), "the sheet template changed");
    std::fs::write(theme.join("sheet-level.html"), sheet).unwrap();
    let mut live = handbook::serve::Live::default();
    live.full(&root).unwrap();
    let q = root.join("content/questions/first-question.md");
    std::fs::write(
        &q,
        read(&q).replace("Checks the *basics*.", "Checks the edges."),
    )
    .unwrap();
    live.update(&root, std::slice::from_ref(&q)).unwrap();
    let full = handbook::serve::rebuild(&root).unwrap();
    assert!(String::from_utf8_lossy(&full["sheets/level-1.html"]).contains("Checks the edges."));
    assert_eq!(live.files().len(), full.len());
    for (path, bytes) in &full {
        assert_eq!(
            live.files().get(path),
            Some(bytes),
            "{path} differs from a full build"
        );
    }
}

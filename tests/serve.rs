//! `handbook serve`: serves from memory on loopback, rebuilds and bumps the reload version on
//! save, shows a failed rebuild on the page while keeping the last good build, refuses paths
//! outside the site and foreign Host headers, survives many concurrent requests, and holds slow
//! clients and long polls without a thread each.

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
    start_with(
        Command::new(env!("CARGO_BIN_EXE_handbook")).args([
            "serve",
            ".",
            "--port",
            "0",
            "--no-test",
        ]),
        book,
    )
}

fn start_with(command: &mut Command, book: &std::path::Path) -> Server {
    let mut child = command
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
    get_as(port, path, &format!("127.0.0.1:{port}"))
}

/// A raw HTTP/1.0 GET with the given Host header.
fn get_as(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    let status = buf
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, buf)
}

/// Polls `cond` every `every` until it holds (`true`) or `limit` passes (`false`).
fn wait_within(limit: Duration, every: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(every);
    }
    false
}

fn wait_for(cond: impl FnMut() -> bool) -> bool {
    wait_within(Duration::from_secs(10), Duration::from_millis(50), cond)
}

#[test]
fn serves_rebuilds_and_reports_errors_in_the_page() {
    let book = good_book();
    let server = start(book.path());
    let port = server.port;

    let (status, body) = get(port, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("Fixture Bank") && body.contains("/__handbook/livereload.js"),
        "{body}"
    );
    let (status, script) = get(port, "/__handbook/livereload.js");
    assert_eq!(status, 200);
    assert!(script.contains("/__handbook/reload?v="), "{script}");
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

/// A copy of the good fixture (kept alive by the first value), its root, and its live site.
fn live_site() -> (tempfile::TempDir, std::path::PathBuf, handbook::serve::Live) {
    let book = good_book();
    let root = handbook::output::absolute(book.path());
    let mut live = handbook::serve::Live::default();
    live.full(&root).unwrap();
    (book, root, live)
}

/// The live site equals a full build, file by file.
fn assert_live_equals_full(live: &handbook::serve::Live, root: &std::path::Path, after: &str) {
    let full = handbook::serve::rebuild(root).unwrap();
    assert_eq!(live.files().len(), full.len(), "after {after}");
    for (path, bytes) in &full {
        let live = live.files().get(path).map(|b| String::from_utf8_lossy(b));
        assert_eq!(
            live.as_deref(),
            Some(&*String::from_utf8_lossy(bytes)),
            "{path} differs from a full build after {after}"
        );
    }
}

#[test]
fn live_reload_of_an_added_snippet_equals_a_full_build() {
    // The front page counts the book's snippets: an answer that gains or loses one changes it.
    let book = good_book();
    let root = handbook::output::absolute(book.path());
    let mut live = handbook::serve::Live::default();
    live.full(&root).unwrap();
    let q = root.join("content/questions/first-question.md");
    let before = read(&q);
    std::fs::write(
        &q,
        format!("{before}\n```rust\nassert_eq!(1 + 1, 2);\n```\n"),
    )
    .unwrap();
    live.update(&root, std::slice::from_ref(&q)).unwrap();
    assert_live_equals_full(&live, &root, "adding a snippet");
    std::fs::write(&q, &before).unwrap();
    live.update(&root, std::slice::from_ref(&q)).unwrap();
    assert_live_equals_full(&live, &root, "removing it again");
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

/// Runs `f` on another thread and gives up after `limit`: a stalled server must fail the test,
/// not hang it.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit).ok()
}

#[test]
fn slow_readers_do_not_stall_other_requests() {
    // A big file that no socket buffer holds: a client that never reads its response keeps the
    // server's write pending. Ten such clients must not stop anyone else from being served.
    let book = good_book();
    std::fs::write(book.path().join("content/big.bin"), vec![b'x'; 16 << 20]).unwrap();
    let server = start(book.path());
    let port = server.port;
    let slow: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
            write!(s, "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
            // Read the start of the response (so the server is busy writing it), then stop.
            s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            let _ = s.read(&mut [0; 64]);
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let answered = within(Duration::from_secs(5), move || get(port, "/").0);
    assert_eq!(answered, Some(200), "a request stalled behind slow readers");
    drop(slow);
}

/// The number of threads of a process.
#[cfg(target_os = "linux")]
fn threads_of(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("read /proc")
        .count()
}

#[cfg(target_os = "linux")]
#[test]
fn long_polls_and_slowloris_take_no_thread_each() {
    let book = good_book();
    let server = start(book.path());
    let port = server.port;
    let pid = server.child.id();
    assert_eq!(get(port, "/").0, 200);
    std::thread::sleep(Duration::from_millis(200));
    let before = threads_of(pid);
    let (_, version) = get(port, "/__handbook/reload?v=999999");
    let version = version
        .rsplit("\r\n\r\n")
        .next()
        .unwrap()
        .trim()
        .to_string();
    let mut held = Vec::new();
    for i in 0..200 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        if i % 2 == 0 {
            // A long poll: waits for the next rebuild.
            write!(
                s,
                "GET /__handbook/reload?v={version} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
            )
            .unwrap();
        } else {
            // Slowloris: a request whose headers never end.
            write!(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ").unwrap();
        }
        held.push(s);
    }
    std::thread::sleep(Duration::from_millis(500));
    let during = threads_of(pid);
    assert!(
        during <= before + 2,
        "200 held connections took threads: {before} -> {during}"
    );
    let answered = within(Duration::from_secs(5), move || get(port, "/").0);
    assert_eq!(answered, Some(200), "still serving while they are held");
    drop(held);
}

#[test]
fn a_foreign_host_header_is_refused() {
    // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 reads the
    // preview with its own Host header. Only loopback names with our port are ours.
    let book = good_book();
    let server = start(book.path());
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get_as(port, "/", &host).0, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "localhost".to_string(),
        String::new(),
    ] {
        let (status, body) = get_as(port, "/", &host);
        assert!(status == 403 || status == 421, "Host `{host}` got {status}");
        assert!(
            !body.contains("Fixture Bank"),
            "Host `{host}` read the page"
        );
        let (status, _) = get_as(port, "/__handbook/reload?v=999999", &host);
        assert!(status == 403 || status == 421, "Host `{host}` polled");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn running_out_of_file_descriptors_does_not_kill_the_server() {
    // With 64 descriptors, 100 connections exhaust them; when they close, the server serves again.
    let book = good_book();
    let bin = env!("CARGO_BIN_EXE_handbook");
    let mut server = start_with(
        Command::new("sh").args([
            "-c",
            &format!("ulimit -n 64 && exec '{bin}' serve . --port 0"),
        ]),
        book.path(),
    );
    let port = server.port;
    let held: Vec<TcpStream> = (0..100)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    drop(held);
    std::thread::sleep(Duration::from_millis(500));
    let answered = within(Duration::from_secs(10), move || get(port, "/").0);
    assert_eq!(
        answered,
        Some(200),
        "serving again once the connections closed"
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server exited"
    );
}

/// inotify watches held by a process (each `inotify wd:` line of its descriptors' fdinfo).
#[cfg(target_os = "linux")]
fn inotify_watches(pid: u32) -> usize {
    let mut n = 0;
    for fd in std::fs::read_dir(format!("/proc/{pid}/fdinfo"))
        .unwrap()
        .flatten()
    {
        if let Ok(info) = std::fs::read_to_string(fd.path()) {
            n += info
                .lines()
                .filter(|l| l.starts_with("inotify wd:"))
                .count();
        }
    }
    n
}

#[cfg(target_os = "linux")]
#[test]
fn watches_only_the_sources() {
    // target/ and the output hold thousands of directories in a real book; watching them costs
    // a watch each and rebuilds on every write there.
    let book = good_book();
    for i in 0..60 {
        std::fs::create_dir_all(book.path().join(format!("target/debug/dir-{i}"))).unwrap();
        std::fs::create_dir_all(book.path().join(format!("notes/dir-{i}"))).unwrap();
    }
    std::fs::create_dir_all(book.path().join("snippets")).unwrap();
    let server = start(book.path());
    let port = server.port;
    std::thread::sleep(Duration::from_millis(500));
    let watches = inotify_watches(server.child.id());
    // book root (for book.toml) + content/ and its subdirectories + snippets/.
    assert!(watches <= 8, "{watches} inotify watches");

    // snippets/ is watched: a change there rebuilds (the version moves on).
    let (_, v0) = get(port, "/__handbook/reload?v=999999");
    let v0: u64 = v0
        .rsplit("\r\n\r\n")
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    std::fs::write(book.path().join("snippets/lib.rs"), "pub fn x() {}\n").unwrap();
    let moved = within(Duration::from_secs(10), move || {
        let (_, v) = get(port, &format!("/__handbook/reload?v={v0}"));
        v.rsplit("\r\n\r\n")
            .next()
            .unwrap()
            .trim()
            .parse::<u64>()
            .unwrap()
    });
    assert!(
        moved.is_some_and(|v| v > v0),
        "a snippets/ change was not seen"
    );

    // A theme directory made after start is watched too.
    let theme = book.path().join("themes/default");
    std::fs::create_dir_all(&theme).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let page = std::fs::read_to_string("themes/default/page.html").unwrap();
    assert!(page.contains("<h1>"), "the page template changed");
    std::fs::write(
        theme.join("page.html"),
        page.replacen("<h1>", "<h1 data-edited>", 1),
    )
    .unwrap();
    assert!(
        wait_for(|| get(port, "/guide.html").1.contains("data-edited")),
        "an edit in a new themes/ directory was not seen"
    );
}

#[cfg(unix)]
#[test]
fn open_launches_the_browser_on_the_bound_address() {
    // A stand-in browser records the URL it is given and whether the server answered it then.
    let book = good_book();
    let bin_dir = tempfile::tempdir().unwrap();
    let record = bin_dir.path().join("opened");
    let script = format!(
        "#!/bin/bash\nport=${{1##*:}}; port=${{port%%/*}}\nif exec 3<>/dev/tcp/127.0.0.1/$port; then printf 'GET / HTTP/1.0\\r\\nHost: 127.0.0.1:%s\\r\\n\\r\\n' $port >&3; status=$(head -c 12 <&3); fi\necho \"$1 $status\" > '{}'\n",
        record.display()
    );
    for name in ["xdg-open", "gio", "gnome-open", "kde-open", "wslview"] {
        let path = bin_dir.path().join(name);
        std::fs::write(&path, &script).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin_dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    let server = start_with(
        Command::new(env!("CARGO_BIN_EXE_handbook"))
            .args(["serve", ".", "--port", "0", "--open"])
            .env("PATH", path)
            .env_remove("BROWSER"),
        book.path(),
    );
    assert!(
        wait_for(|| std::fs::read_to_string(&record).is_ok_and(|r| r.ends_with('\n'))),
        "no browser was launched"
    );
    let opened = std::fs::read_to_string(&record).unwrap();
    let (url, status) = opened.trim().split_once(' ').unwrap_or((opened.trim(), ""));
    assert_eq!(
        url,
        format!("http://127.0.0.1:{}/", server.port),
        "the wrong address"
    );
    assert!(
        status.starts_with("HTTP/1.") && status.ends_with(" 200"),
        "opened before the server answered: `{status}`"
    );
}

#[test]
fn saving_an_answer_runs_its_snippets_again_and_the_marks_follow() {
    let book = good_book();
    let server = start_with(
        Command::new(env!("CARGO_BIN_EXE_handbook")).args(["serve", ".", "--port", "0"]),
        book.path(),
    );
    let port = server.port;
    let page = "/questions/first-question.html";
    assert!(get(port, page).1.contains("data-verified=\"unknown\""));
    let q = book.path().join("content/questions/first-question.md");
    let good = read(&q);
    // A false snippet: its mark turns to a failure, with the failure's words on the page.
    std::fs::write(&q, good.replace("assert_eq!(x, 42);", "assert_eq!(x, 43);")).unwrap();
    let failed =
        |body: &str| body.contains("data-verified=\"fail\"") && body.contains("snippet-failure");
    let shown = wait_long(|| failed(&get(port, page).1));
    assert!(shown, "the failure was not shown:\n{}", get(port, page).1);
    assert!(
        get(port, page).1.contains("43"),
        "the failure's message names the values"
    );
    // Fixed: both snippets of the page pass (the second is `should_panic`).
    std::fs::write(&q, &good).unwrap();
    let passes = |body: &str| body.matches("data-verified=\"pass\"").count();
    let shown = wait_long(|| passes(&get(port, page).1) == 2);
    assert!(shown, "the pass was not shown:\n{}", get(port, page).1);
    assert!(!get(port, page).1.contains("data-verified=\"fail\""));
}

/// Like `wait_for`, with time for cargo to build the snippets' crate.
fn wait_long(cond: impl FnMut() -> bool) -> bool {
    wait_within(Duration::from_secs(240), Duration::from_millis(250), cond)
}

/// serve publishes an edited answer before the whole-book page (`print.html`), which renders
/// on another thread; its result is taken only if no newer change came meanwhile, and then the
/// site equals a full build.
#[test]
fn deferred_whole_book_pages_are_taken_only_when_current() {
    let (_book, root, mut live) = live_site();
    let q = root.join("content/questions/first-question.md");
    let edit = |from: &str, to: &str| {
        let before = read(&q);
        assert!(before.contains(from), "fixture changed: {from}");
        std::fs::write(&q, before.replace(from, to)).unwrap();
    };
    edit("It doubles its input", "It doubles its argument");
    live.update_first(&root, std::slice::from_ref(&q)).unwrap();
    let stale = live.take_deferred().expect("print.html is deferred");
    edit("It doubles its argument", "It doubles its operand");
    live.update_first(&root, std::slice::from_ref(&q)).unwrap();
    let current = live.take_deferred().expect("print.html is deferred again");
    let (generation, files) = stale.render();
    assert!(
        !live.accept(generation, files.unwrap()),
        "a stale render was taken"
    );
    let (generation, files) = current.render();
    assert!(live.accept(generation, files.unwrap()));
    let full = handbook::serve::rebuild(&root).unwrap();
    let print = String::from_utf8_lossy(&live.files()["print.html"]).to_string();
    assert!(
        print.contains("It doubles its operand"),
        "the newest answer is in print.html"
    );
    for (path, bytes) in &full {
        assert_eq!(
            live.files().get(path),
            Some(bytes),
            "{path} differs from a full build"
        );
    }
}

/// A title edit publishes the edited question (and its level) first; the pages that hold the
/// whole bank follow on another thread. When a newer change supersedes that render, the pages
/// it was to bring are not lost: the newer render brings them, and the site equals a full build.
#[test]
fn whole_bank_pages_follow_the_edited_page_and_are_never_lost() {
    let (_book, root, mut live) = live_site();
    let q = root.join("content/questions/first-question.md");
    let edit = |from: &str, to: &str| {
        let before = read(&q);
        assert!(before.contains(from), "fixture changed: {from}");
        std::fs::write(&q, before.replace(from, to)).unwrap();
    };
    let page = |live: &handbook::serve::Live, path: &str| {
        String::from_utf8_lossy(&live.files()[path]).to_string()
    };
    edit("What does `double` do?", "What does `double` return?");
    live.update_first(&root, std::slice::from_ref(&q)).unwrap();
    assert!(page(&live, "questions/first-question.html").contains("return?"));
    assert!(page(&live, "levels/level-1.html").contains("return?"));
    assert!(
        !page(&live, "calibrate.html").contains("return?"),
        "calibrate.html holds the whole bank: it is rendered after the edited page is published"
    );
    let stale = live
        .take_deferred()
        .expect("the whole-bank pages are deferred");
    // An answer edit alone defers only print.html; calibrate.html still needs the new title.
    edit("It doubles its input", "It doubles its argument");
    live.update_first(&root, std::slice::from_ref(&q)).unwrap();
    let current = live.take_deferred().expect("deferred again");
    let (generation, files) = stale.render();
    assert!(
        !live.accept(generation, files.unwrap()),
        "a stale render was taken"
    );
    let (generation, files) = current.render();
    assert!(live.accept(generation, files.unwrap()));
    assert!(page(&live, "calibrate.html").contains("return?"));
    assert_live_equals_full(&live, &root, "a superseded deferred render");
}

/// When serve's verifier has run a file's snippets, the pages whose marks the new record
/// changes are rendered again (the file's page and the front page's counts now, print.html
/// later), not the whole book; and the site equals a full build.
#[test]
fn a_verification_run_renders_again_only_the_pages_whose_marks_changed() {
    let (_book, root, mut live) = live_site();
    let page = |live: &handbook::serve::Live, path: &str| {
        String::from_utf8_lossy(&live.files()[path]).to_string()
    };
    assert!(page(&live, "questions/first-question.html").contains("data-verified=\"unknown\""));
    let (loaded, _) = handbook::load(&root).unwrap();
    let file = std::path::PathBuf::from("content/questions/first-question.md");
    handbook::snippets::run_files(&loaded, &[file]).expect("the fixture's snippets run");
    let rendered = live.reverified().unwrap();
    assert_eq!(rendered, ["index.html", "questions/first-question.html"]);
    assert!(page(&live, "questions/first-question.html").contains("data-verified=\"pass\""));
    let deferred = live.take_deferred().expect("print.html is deferred");
    let (generation, files) = deferred.render();
    assert!(live.accept(generation, files.unwrap()));
    assert_live_equals_full(&live, &root, "a verification run");
    // Nothing changed since: nothing is rendered.
    assert_eq!(live.reverified().unwrap(), Vec::<String>::new());
}

/// While a full rebuild fails (a broken file), an edit to another file that could be applied
/// in place still rebuilds in full and reports the error: the served site never passes for a
/// book that does not build.
#[test]
fn after_a_failed_rebuild_every_change_rebuilds_in_full() {
    let (_book, root, mut live) = live_site();
    let first = root.join("content/questions/first-question.md");
    let second = root.join("content/questions/second-question.md");
    let broken = read(&first).replacen("level: 1", "level: [", 1);
    std::fs::write(&first, broken).unwrap();
    assert!(live.update(&root, std::slice::from_ref(&first)).is_err());
    let text = read(&second);
    std::fs::write(&second, format!("{text}\nOne more line.\n")).unwrap();
    let result = live.update(&root, std::slice::from_ref(&second));
    assert!(
        result.is_err(),
        "the book still does not build, yet the update passed"
    );
}

/// A `handbook test` run outside serve rewrites the record; the next update shows its marks
/// on every page they change, as a full build would.
#[test]
fn a_record_written_outside_serve_shows_at_the_next_update() {
    let (_book, root, mut live) = live_site();
    let (loaded, _) = handbook::load(&root).unwrap();
    let file = std::path::PathBuf::from("content/questions/first-question.md");
    handbook::snippets::run_files(&loaded, &[file]).expect("the fixture's snippets run");
    let second = root.join("content/questions/second-question.md");
    let text = read(&second);
    std::fs::write(&second, format!("{text}\nOne more line.\n")).unwrap();
    live.update(&root, std::slice::from_ref(&second)).unwrap();
    assert_live_equals_full(&live, &root, "a record written outside serve");
}

/// serve's verifier yields the CPU to the page being edited: its thread (and the cargo it
/// starts) runs at nice 10, while the rest of the server stays at the priority it started with.
#[cfg(target_os = "linux")]
#[test]
fn the_verifier_runs_at_a_lower_priority_than_the_server() {
    let book = good_book();
    let server = start_with(
        Command::new(env!("CARGO_BIN_EXE_handbook")).args(["serve", ".", "--port", "0"]),
        book.path(),
    );
    let pid = server.child.id();
    // The nice value of each thread, by name: field 19 of /proc/PID/task/TID/stat.
    let nice_of = |name: &str| -> Option<i32> {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .ok()?
            .flatten()
            .find_map(|task| {
                let comm = std::fs::read_to_string(task.path().join("comm")).ok()?;
                if comm.trim() != name {
                    return None;
                }
                let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
                let after_name = &stat[stat.rfind(')')? + 2..];
                after_name.split(' ').nth(16)?.parse().ok()
            })
    };
    let mut verifier = None;
    assert!(
        wait_for(|| {
            verifier = nice_of("handbook-verify");
            verifier.is_some()
        }),
        "no verifier thread"
    );
    let ours = nice_of("handbook").expect("the main thread");
    assert_eq!(
        verifier,
        Some((ours + 10).min(19)),
        "the verifier's nice value"
    );
}

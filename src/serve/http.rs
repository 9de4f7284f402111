//! serve's HTTP side: answers from the in-memory site on one thread with an async runtime
//! (tokio, current-thread) and hyper's HTTP/1 server. A slow client, an idle keep-alive
//! connection or a long poll waiting for the next rebuild is a pending task, not a thread, so
//! none of them can hold up another request. Resources are bounded: at most `MAX_CONNECTIONS`
//! at once, headers must arrive within `HEADER_TIMEOUT`, and a connection lives at most
//! `CONNECTION_LIFETIME` plus `CLOSE_GRACE`. Requests whose Host is not this server's are
//! refused (DNS rebinding).

use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;

/// Where serve's own endpoints and files live (never a path of the book: `__` is not kebab-case).
const PREFIX: &str = "/__handbook/";
/// How long a reload poll waits for a new version before answering the current one.
const LONG_POLL: Duration = Duration::from_secs(25);
/// Connections served at once; more wait in the listen queue until one closes.
const MAX_CONNECTIONS: usize = 1024;
/// A request's headers must arrive within this (slowloris), and an idle keep-alive connection
/// is closed after it.
const HEADER_TIMEOUT: Duration = Duration::from_secs(15);
/// After this a connection finishes its current response and closes (a browser reconnects)...
const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);
/// ...and a client that has not read that response by then is dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(30);

/// What serve adds to the book's pages, rendered from the theme for one version of the site.
#[derive(Clone, Default)]
pub struct Chrome {
    /// Inserted before `</body>` of every HTML page: the reload script, the error banner.
    pub inject: Bytes,
    /// Served under `/__handbook/` by name (`livereload.js`, `serve.css`).
    pub files: HashMap<&'static str, Bytes>,
}

/// One version of the served site.
#[derive(Default)]
struct State {
    version: u64,
    files: Arc<HashMap<String, Arc<Vec<u8>>>>,
    chrome: Chrome,
}

/// The served site, shared by the HTTP thread and the rebuilder.
pub struct Site {
    state: RwLock<Arc<State>>,
    version: tokio::sync::watch::Sender<u64>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            state: RwLock::default(),
            version: tokio::sync::watch::Sender::new(0),
        }
    }
}

impl Site {
    fn current(&self) -> Arc<State> {
        self.state.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the site with version `version() + 1`: new `files` (or the last good ones when
    /// `None`) and `chrome`, which `make_chrome` renders for that version. Only the rebuilder
    /// calls this, so versions never race.
    pub fn publish(
        &self,
        files: Option<&HashMap<String, Arc<Vec<u8>>>>,
        make_chrome: impl FnOnce(u64) -> Chrome,
    ) {
        let old = self.current();
        let version = old.version + 1;
        let files = match files {
            Some(f) => Arc::new(f.clone()),
            None => old.files.clone(),
        };
        let state = State {
            version,
            files,
            chrome: make_chrome(version),
        };
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(state);
        self.version.send_replace(version);
    }
}

/// The Host names this server answers to: loopback names, and the address it is bound to.
/// Any other name may be DNS rebinding (a page on evil.example whose name now resolves to
/// 127.0.0.1), so it is refused. An IP literal cannot be rebound.
#[derive(Clone, Copy)]
pub struct Hosts {
    bound: SocketAddr,
}

impl Hosts {
    pub fn new(bound: SocketAddr) -> Hosts {
        Hosts { bound }
    }

    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((ip, "")) => (Some(ip.parse::<Ipv6Addr>().map(IpAddr::V6)), None),
                Some((ip, port)) => match port.strip_prefix(':') {
                    Some(port) => (Some(ip.parse::<Ipv6Addr>().map(IpAddr::V6)), Some(port)),
                    None => return false,
                },
                None => return false,
            },
            None => {
                let (name, port) = match host.split_once(':') {
                    Some((name, port)) => (name, Some(port)),
                    None => (host, None),
                };
                if name.eq_ignore_ascii_case("localhost") {
                    (None, port)
                } else {
                    (Some(name.parse::<Ipv4Addr>().map(IpAddr::V4)), port)
                }
            }
        };
        let port_ok = match port {
            Some(p) => p.bytes().all(|b| b.is_ascii_digit()) && p.parse() == Ok(self.bound.port()),
            // Browsers leave out the default port.
            None => self.bound.port() == 80,
        };
        port_ok
            && match name {
                None => true, // localhost
                Some(Ok(ip)) => {
                    ip.is_loopback() || ip == self.bound.ip() || self.bound.ip().is_unspecified()
                }
                Some(Err(_)) => false,
            }
    }
}

/// Resolves a request path to a file of the site; `None` for anything outside it.
pub fn resolve(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') => return None,
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if p.is_empty() || decoded.ends_with('/') {
        if !p.is_empty() {
            p.push('/');
        }
        p.push_str("index.html");
    }
    Some(p)
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A response body made of shared pieces (a page's bytes around the injected chrome), so no
/// page is copied per request.
pub struct Pieces(VecDeque<Bytes>);

impl Body for Pieces {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.pop_front().map(|b| Ok(Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.iter().map(|b| b.len() as u64).sum())
    }
}

/// A page's bytes, shared with the site (`Bytes` over the `Arc`, no copy).
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn reply(status: StatusCode, ctype: &'static str, pieces: Vec<Bytes>) -> Response<Pieces> {
    let mut response = Response::new(Pieces(pieces.into_iter().collect()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn text(status: StatusCode, message: &'static str) -> Response<Pieces> {
    reply(
        status,
        "text/plain; charset=utf-8",
        vec![Bytes::from_static(message.as_bytes())],
    )
}

/// Answers one request. Async only for the reload poll, which waits for a new version.
pub async fn answer<B>(site: &Site, hosts: Hosts, request: &Request<B>) -> Response<Pieces> {
    // An absolute-form target (`GET http://evil.example/`) names its host in the URI.
    let host = match request.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok()),
    };
    if !host.is_some_and(|h| hosts.allows(h)) {
        return text(
            StatusCode::FORBIDDEN,
            "handbook serve answers only to localhost, 127.0.0.1 and [::1] with its port\n",
        );
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = request.uri().path();
    if let Some(name) = path.strip_prefix(PREFIX) {
        return own(site, name, request.uri().query().unwrap_or("")).await;
    }
    page(&site.current(), path)
}

/// serve's own endpoints: the reload poll and the chrome's files.
async fn own(site: &Site, name: &str, query: &str) -> Response<Pieces> {
    if name == "reload" {
        let seen: Option<u64> = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok());
        let mut rx = site.version.subscribe();
        if let Some(seen) = seen {
            // Ends early when the version moves on (or the rebuilder is gone).
            let _ = tokio::time::timeout(LONG_POLL, rx.wait_for(|v| *v != seen)).await;
        }
        let v = *rx.borrow();
        return reply(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            vec![Bytes::from(v.to_string())],
        );
    }
    match site.current().chrome.files.get(name) {
        Some(bytes) => reply(StatusCode::OK, content_type(name), vec![bytes.clone()]),
        None => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// A file of the book; HTML pages get the chrome before `</body>`.
fn page(state: &State, path: &str) -> Response<Pieces> {
    let files = &state.files;
    let found = resolve(path).and_then(|p| {
        let f = files
            .get(&p)
            .or_else(|| files.get(&format!("{p}/index.html")))?;
        Some((p, f.clone()))
    });
    let (status, path, body) = match found {
        Some((p, f)) => (StatusCode::OK, p, f),
        None => match files.get("404.html") {
            Some(f) => (StatusCode::NOT_FOUND, "404.html".to_string(), f.clone()),
            None => return text(StatusCode::NOT_FOUND, "not found\n"),
        },
    };
    let ctype = content_type(&path);
    let body = Bytes::from_owner(Shared(body));
    if !ctype.starts_with("text/html") {
        return reply(status, ctype, vec![body]);
    }
    let at = body
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(body.len());
    let pieces = vec![
        body.slice(..at),
        state.chrome.inject.clone(),
        body.slice(at..),
    ];
    reply(status, ctype, pieces)
}

/// Serves `site` on `listener` until the process ends. `on_problem` hears about connections
/// that could not be accepted (e.g. out of file descriptors), once per run of such errors.
pub fn run(
    listener: std::net::TcpListener,
    site: Arc<Site>,
    on_problem: &dyn Fn(&str),
) -> std::io::Result<()> {
    let hosts = Hosts::new(listener.local_addr()?);
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        let mut failing = false;
        loop {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return Ok(());
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors (EMFILE) and the like: the connection stays queued;
                    // try again in a moment rather than spin or give up.
                    if !failing {
                        on_problem(&format!("cannot accept a connection: {e}"));
                    }
                    failing = true;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            failing = false;
            tokio::spawn(connection(stream, site.clone(), hosts, slot));
        }
    })
}

/// One connection, holding its slot until it closes.
async fn connection(
    stream: tokio::net::TcpStream,
    site: Arc<Site>,
    hosts: Hosts,
    _slot: tokio::sync::OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let site = site.clone();
        async move { Ok::<_, Infallible>(answer(&site, hosts, &request).await) }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_buf_size(64 * 1024);
    let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    if tokio::time::timeout(CONNECTION_LIFETIME, conn.as_mut())
        .await
        .is_err()
    {
        conn.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(CLOSE_GRACE, conn).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused() {
        assert_eq!(resolve("/"), Some("index.html".into()));
        assert_eq!(
            resolve("/questions/jwks.html?x=1"),
            Some("questions/jwks.html".into())
        );
        assert_eq!(resolve("/../etc/passwd"), None);
        assert_eq!(resolve("/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve("/a/%2E%2E/%2E%2E/x"), None);
        assert_eq!(resolve("/levels/"), Some("levels/index.html".into()));
    }

    #[test]
    fn only_our_own_host_names_are_served() {
        let loopback = Hosts::new("127.0.0.1:3000".parse().unwrap());
        for ok in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LocalHost:3000",
            "[::1]:3000",
        ] {
            assert!(loopback.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "localhost",
            "localhost:3001",
            "localhost.:3000",
            "127.0.0.1",
            "127.0.0.1:3000:3000",
            "[::1]3000",
            "[::1",
            "10.0.0.1:3000",
            "",
            ":3000",
        ] {
            assert!(!loopback.allows(bad), "{bad}");
        }
        let lan = Hosts::new("192.168.1.5:80".parse().unwrap());
        assert!(lan.allows("192.168.1.5") && lan.allows("192.168.1.5:80"));
        assert!(!lan.allows("evil.example") && !lan.allows("192.168.1.6"));
        let any = Hosts::new("0.0.0.0:3000".parse().unwrap());
        assert!(any.allows("192.168.1.6:3000") && !any.allows("evil.example:3000"));
    }
}

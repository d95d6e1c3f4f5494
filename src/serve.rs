//! A read-only SPARQL 1.1 Protocol endpoint over a store: `GET
//! /sparql?query=...`, `POST /sparql` with a form or a
//! `application/sparql-query` body, results by the `Accept` header, and a
//! page at `/` with a query box and the example questions. One thread a
//! connection, at most `MAX_CONNECTIONS` at once (503 beyond); every query
//! under a timeout; updates refused.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use oxigraph::store::Store;

use crate::error::{Error, Result};
use crate::query::{self, ResultsFormat};
use crate::rdf::Syntax;

/// The largest request body accepted, in bytes.
const MAX_BODY: usize = 1 << 20;
/// The longest request line and header line, in bytes (a query in the URL
/// fits: longer ones go in a POST body).
const MAX_LINE: usize = 64 << 10;
/// The most header lines a request may have.
const MAX_HEADERS: usize = 100;
/// The most connections served at once; more are told 503 and closed.
const MAX_CONNECTIONS: usize = 64;

/// Queries evaluated at once: a query holds a core and its memory (up to
/// the results cap) while it runs, so 64 heavy ones at once would take 64
/// times both. Twice the cores, at least 2; the others wait their turn.
static EVALUATORS: Turns = Turns::new();

/// A counting semaphore with a timed wait.
struct Turns {
    taken: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

/// A turn to evaluate, given back when dropped.
struct Turn<'a>(&'a Turns);

impl Turns {
    const fn new() -> Turns {
        Turns {
            taken: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
        }
    }

    fn most() -> usize {
        std::thread::available_parallelism()
            .map_or(2, |n| n.get() * 2)
            .max(2)
    }

    /// Waits up to `wait` for a turn.
    fn acquire(&self, wait: Duration) -> Option<Turn<'_>> {
        let deadline = std::time::Instant::now() + wait;
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        while *taken >= Turns::most() {
            let now = std::time::Instant::now();
            if now >= deadline {
                return None;
            }
            taken = self
                .freed
                .wait_timeout(taken, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *taken += 1;
        Some(Turn(self))
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut taken = self.0.taken.lock().unwrap_or_else(|e| e.into_inner());
        *taken -= 1;
        self.0.freed.notify_one();
    }
}

/// Tells a connection over the cap that the endpoint is busy, on a thread
/// of its own so that the accept loop never waits: the answer is written
/// at once (a fresh socket's buffer takes it), the sending side shut, and
/// the connection kept for a moment (up to [`LINGER`]) so that the
/// client's request can be read and dropped before it is closed: closing
/// a socket with unread bytes resets it, and the client could lose the
/// answer.
fn busy_sender() -> std::sync::mpsc::SyncSender<std::net::TcpStream> {
    let (send, receive) = std::sync::mpsc::sync_channel::<std::net::TcpStream>(4096);
    std::thread::spawn(move || {
        let mut lingering: std::collections::VecDeque<(std::time::Instant, std::net::TcpStream)> =
            std::collections::VecDeque::new();
        let mut sink = [0u8; 8192];
        let drain = |stream: &mut std::net::TcpStream, sink: &mut [u8]| {
            let mut read = 0;
            while read < 65536 {
                match std::io::Read::read(stream, sink) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => read += n,
                }
            }
        };
        loop {
            let wait = lingering
                .front()
                .map_or(Duration::from_secs(3600), |(at, _)| {
                    (*at + LINGER).saturating_duration_since(std::time::Instant::now())
                });
            match receive.recv_timeout(wait) {
                Ok(mut stream) => {
                    let _ = stream.set_nonblocking(true);
                    let _ = stream.write_all(
                        b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\nRetry-After: 1\r\nConnection: close\r\n\r\ntoo many connections\r\n",
                    );
                    let _ = stream.shutdown(std::net::Shutdown::Write);
                    drain(&mut stream, &mut sink);
                    if lingering.len() >= 4096 {
                        lingering.pop_front();
                    }
                    lingering.push_back((std::time::Instant::now(), stream));
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
            let now = std::time::Instant::now();
            while lingering
                .front()
                .is_some_and(|(at, _)| now.duration_since(*at) >= LINGER)
            {
                if let Some((_, mut stream)) = lingering.pop_front() {
                    drain(&mut stream, &mut sink);
                }
            }
        }
    });
    send
}

/// How long a connection told 503 is kept before it is closed.
const LINGER: Duration = Duration::from_millis(200);

struct Request {
    method: String,
    path: String,
    query: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

struct Response {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    /// The methods a 405 names.
    allow: Option<&'static str>,
}

impl Response {
    fn text(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8".into(),
            body: body.into().into_bytes(),
            allow: None,
        }
    }
}

/// Serves until the process is stopped. Prints the address it listens on.
pub fn serve(
    store: Store,
    bind: &str,
    timeout: Duration,
    examples: &Path,
    cors: &[String],
    log: bool,
) -> Result<()> {
    let cors = std::sync::Arc::new(cors.to_vec());
    let listener = TcpListener::bind(bind)
        .map_err(|e| Error::Usage(format!("cannot listen on {bind}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Other(e.to_string()))?;
    let page = std::sync::Arc::new(home_page(examples));
    eprintln!("stratagraph: SPARQL endpoint at http://{addr}/sparql (query page at http://{addr}/), read-only");
    let loopback = addr.ip().is_loopback();
    let active = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let busy = busy_sender();
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                // Out of file descriptors: wait for some to close rather
                // than spin.
                eprintln!("stratagraph: accept: {e}");
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        use std::sync::atomic::Ordering;
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = busy.try_send(stream);
            continue;
        }
        let store = store.clone();
        let page = std::sync::Arc::clone(&page);
        let active = std::sync::Arc::clone(&active);
        let cors = std::sync::Arc::clone(&cors);
        std::thread::spawn(move || {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
            let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
            handle(stream, &store, timeout, &page, loopback, &cors, log);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

/// Whether a `Host` header names this machine: a page of another site that
/// rebinds its name to 127.0.0.1 sends its own name, and is refused.
fn local_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The `Access-Control-Allow-Origin` value for a request's origin: the
/// origin itself when `--cors` names it, `*` when `--cors '*'`, else none
/// (only a configured value is ever echoed).
fn allowed_origin<'a>(origin: Option<&'a str>, cors: &[String]) -> Option<&'a str> {
    let origin = origin?;
    if cors.iter().any(|c| c.eq_ignore_ascii_case(origin)) {
        Some(origin)
    } else if cors.iter().any(|c| c == "*") {
        Some("*")
    } else {
        None
    }
}

fn handle(
    mut stream: TcpStream,
    store: &Store,
    timeout: Duration,
    page: &str,
    loopback: bool,
    cors: &[String],
    log: bool,
) {
    let started = std::time::Instant::now();
    let peer = stream
        .peer_addr()
        .map_or_else(|_| "-".to_string(), |a| a.ip().to_string());
    let mut origin = None;
    let mut line = String::from("-");
    let response = match read_request(&mut stream) {
        Ok(req) => {
            line = format!("{} {}", req.method, req.path);
            let host = req.headers.get("host").map(String::as_str).unwrap_or("");
            origin = allowed_origin(req.headers.get("origin").map(String::as_str), cors)
                .map(str::to_string);
            if loopback && !local_host(host) {
                Response::text(
                    403,
                    format!("Host {host:?} is not this machine: a loopback endpoint answers localhost only"),
                )
            } else if req.method == "OPTIONS" && req.path == "/sparql" && origin.is_some() {
                // A browser's preflight for an allowed origin.
                Response {
                    status: 204,
                    content_type: "text/plain; charset=utf-8".into(),
                    body: Vec::new(),
                    allow: Some("GET, POST"),
                }
            } else {
                route(&req, store, timeout, page)
            }
        }
        Err((status, message)) => Response::text(status, message),
    };
    let reason = match response.status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        411 => "Length Required",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let mut allow = response
        .allow
        .map_or(String::new(), |a| format!("Allow: {a}\r\n"));
    if let Some(origin) = &origin {
        allow.push_str(&format!(
            "Access-Control-Allow-Origin: {origin}\r\nVary: Origin\r\nAccess-Control-Allow-Methods: GET, POST\r\nAccess-Control-Allow-Headers: Content-Type, Accept\r\n"
        ));
    }
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\n{allow}Connection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&response.body);
    let _ = stream.flush();
    if log {
        // One line a request: who, what, the status, the bytes, the time.
        // A closed standard error (the reader gone) is no reason to fail.
        let _ = writeln!(
            std::io::stderr(),
            "{peer} {} {} {} {:.3}s",
            crate::cli::for_terminal(&line),
            response.status,
            response.body.len(),
            started.elapsed().as_secs_f64()
        );
    }
}

/// Reads one line of at most `MAX_LINE` bytes (without its line end);
/// `None` at the end of the stream.
fn read_line(
    reader: &mut impl BufRead,
    too_long: u16,
) -> std::result::Result<Option<String>, (u16, String)> {
    let mut line = Vec::new();
    let n = reader
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(|e| (400, e.to_string()))?;
    if n == 0 {
        return Ok(None);
    }
    if line.len() > MAX_LINE {
        return Err((too_long, format!("a request line over {MAX_LINE} bytes")));
    }
    while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// Reads a request, bounded before the body: the request line and each
/// header to `MAX_LINE` bytes, `MAX_HEADERS` headers, a body of
/// `MAX_BODY` bytes (a larger one is refused unread, 413).
fn read_request(stream: impl Read) -> std::result::Result<Request, (u16, String)> {
    let mut reader = BufReader::new(stream);
    let line = read_line(&mut reader, 414)?.ok_or((400, "empty request".to_string()))?;
    let mut parts = line.split_whitespace();
    let method = parts
        .next()
        .ok_or((400, "empty request".to_string()))?
        .to_string();
    let target = parts
        .next()
        .ok_or((400, "no request target".to_string()))?
        .to_string();
    let mut headers = BTreeMap::new();
    let mut count = 0;
    while let Some(h) = read_line(&mut reader, 431)? {
        if h.is_empty() {
            break;
        }
        count += 1;
        if count > MAX_HEADERS {
            return Err((431, format!("more than {MAX_HEADERS} headers")));
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let length: usize = match headers.get("content-length") {
        None => 0,
        Some(v) => v.parse().map_err(|_| {
            (
                400,
                format!("Content-Length {v:?} is not a number of bytes"),
            )
        })?,
    };
    if length > MAX_BODY {
        return Err((413, format!("request body over {MAX_BODY} bytes")));
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| (400, e.to_string()))?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    Ok(Request {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn route(req: &Request, store: &Store, timeout: Duration, page: &str) -> Response {
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/") => Response {
            status: 200,
            content_type: "text/html; charset=utf-8".into(),
            body: page.as_bytes().to_vec(),
            allow: None,
        },
        ("GET", "/sparql") | ("POST", "/sparql") => sparql(req, store, timeout),
        (_, "/sparql") => Response {
            allow: Some("GET, POST"),
            ..Response::text(405, "use GET or POST")
        },
        (_, "/") => Response {
            allow: Some("GET"),
            ..Response::text(405, "use GET")
        },
        _ => Response::text(404, "not found: the endpoint is /sparql"),
    }
}

/// The SPARQL 1.1 Service Description of the endpoint, as Turtle: the
/// language, the result formats, the default graph as the union of the
/// named graphs.
fn service_description(req: &Request) -> Response {
    let host = req
        .headers
        .get("host")
        .map(String::as_str)
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("localhost");
    let formats = [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "N-Quads",
        "TriG",
        "RDF_XML",
        "JSON-LD",
    ]
    .iter()
    .map(|f| format!("<http://www.w3.org/ns/formats/{f}>"))
    .collect::<Vec<_>>()
    .join(", ");
    let body = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\n\
         <http://{host}/sparql> a sd:Service ;\n\
         \tsd:endpoint <http://{host}/sparql> ;\n\
         \tsd:supportedLanguage sd:SPARQL11Query ;\n\
         \tsd:resultFormat {formats} ;\n\
         \tsd:feature sd:UnionDefaultGraph ;\n\
         \tsd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n"
    );
    Response {
        status: 200,
        content_type: "text/turtle; charset=utf-8".into(),
        body: body.into_bytes(),
        allow: None,
    }
}

fn sparql(req: &Request, store: &Store, timeout: Duration) -> Response {
    let mut params = form(&req.query);
    let content_type = req
        .headers
        .get("content-type")
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if req.method == "POST" {
        match content_type.as_str() {
            "application/sparql-query" => {
                params.push((
                    "query".into(),
                    String::from_utf8_lossy(&req.body).into_owned(),
                ));
            }
            "application/x-www-form-urlencoded" => {
                params.extend(form(&String::from_utf8_lossy(&req.body)))
            }
            "application/sparql-update" => {
                return Response::text(403, "this endpoint is read-only")
            }
            other => return Response::text(400, format!("unsupported content type {other:?}")),
        }
    }
    if params.iter().any(|(k, _)| k == "update") {
        return Response::text(403, "this endpoint is read-only");
    }
    let Some(text) = params
        .iter()
        .find(|(k, _)| k == "query")
        .map(|(_, v)| v.clone())
    else {
        // A GET without a query asks what the service is (SPARQL 1.1
        // Service Description).
        if req.method == "GET" && params.is_empty() {
            return service_description(req);
        }
        return Response::text(400, "missing the query parameter");
    };
    if is_update(&text) {
        return Response::text(403, "this endpoint is read-only: updates are refused");
    }
    let accept = req.headers.get("accept").cloned().unwrap_or_default();
    // Both are negotiated; the query's form decides which one is used.
    let results = negotiate_results(&accept);
    let graph = negotiate_graph(&accept);
    if results.is_none() && graph.is_none() {
        return Response::text(
            406,
            format!("no result format for Accept {accept:?}: results as application/sparql-results+json, +xml, text/csv or text/tab-separated-values; graphs as text/turtle, application/n-triples, application/n-quads, application/trig, application/rdf+xml or application/ld+json"),
        );
    }
    let (results, results_type) =
        results.unwrap_or((ResultsFormat::Json, "application/sparql-results+json"));
    let (syntax, graph_type) = graph.unwrap_or((Syntax::Turtle, "text/turtle; charset=utf-8"));
    // The protocol's dataset: the graphs the request names, if any.
    let dataset = query::Dataset {
        default: params
            .iter()
            .filter(|(k, _)| k == "default-graph-uri")
            .map(|(_, v)| v.clone())
            .collect(),
        named: params
            .iter()
            .filter(|(k, _)| k == "named-graph-uri")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    // Queries evaluated at once are few (see EVALUATORS): a request
    // waits for a turn until its timeout, else is told the endpoint is busy.
    let started = std::time::Instant::now();
    let Some(_turn) = EVALUATORS.acquire(timeout) else {
        return Response::text(503, "the endpoint is busy: try again");
    };
    let left = timeout
        .saturating_sub(started.elapsed())
        .max(Duration::from_millis(1));
    match query::run_on(store, &text, "query", Some(left), results, syntax, &dataset) {
        Ok((body, written)) => Response {
            status: 200,
            content_type: match written {
                query::Written::Triples(_) => graph_type.into(),
                _ => results_type.into(),
            },
            body,
            allow: None,
        },
        Err(Error::Usage(message)) => Response::text(400, message),
        Err(e) => Response::text(503, e.to_string()),
    }
}

/// Whether a request's text is a SPARQL update (its first keyword after
/// the prologue), sent where a query goes.
fn is_update(text: &str) -> bool {
    let mut words = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace);
    while let Some(w) = words.next() {
        let upper = w.to_ascii_uppercase();
        match upper.as_str() {
            // PREFIX p: <iri>, BASE <iri>
            "PREFIX" => {
                words.next();
                words.next();
            }
            "BASE" => {
                words.next();
            }
            _ => {
                return matches!(
                    upper.as_str(),
                    "INSERT"
                        | "DELETE"
                        | "LOAD"
                        | "CLEAR"
                        | "CREATE"
                        | "DROP"
                        | "COPY"
                        | "MOVE"
                        | "ADD"
                        | "WITH"
                )
            }
        }
    }
    false
}

/// The media types of an Accept header with their q-values, best first
/// (stable among equals); those at q=0 are left out.
fn accepted(accept: &str) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|m| {
            let mut parts = m.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!media.is_empty() && q > 0.0).then_some((media, q))
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

/// The results format the client asks for (by q-value), JSON when it does
/// not say or takes anything; `None` when it takes none of ours.
fn negotiate_results(accept: &str) -> Option<(ResultsFormat, &'static str)> {
    let wanted = accepted(accept);
    if wanted.is_empty() {
        return Some((ResultsFormat::Json, "application/sparql-results+json"));
    }
    wanted.iter().find_map(|(media, _)| match media.as_str() {
        "application/sparql-results+json" | "application/json" | "*/*" | "application/*" => {
            Some((ResultsFormat::Json, "application/sparql-results+json"))
        }
        "application/sparql-results+xml" | "application/xml" => {
            Some((ResultsFormat::Xml, "application/sparql-results+xml"))
        }
        "text/csv" => Some((ResultsFormat::Csv, "text/csv; charset=utf-8")),
        "text/tab-separated-values" => Some((
            ResultsFormat::Tsv,
            "text/tab-separated-values; charset=utf-8",
        )),
        "text/*" => Some((ResultsFormat::Csv, "text/csv; charset=utf-8")),
        _ => None,
    })
}

/// The RDF syntax the client asks for (by q-value), Turtle when it does
/// not say or takes anything; `None` when it takes none of ours.
fn negotiate_graph(accept: &str) -> Option<(Syntax, &'static str)> {
    let wanted = accepted(accept);
    if wanted.is_empty() {
        return Some((Syntax::Turtle, "text/turtle; charset=utf-8"));
    }
    wanted.iter().find_map(|(media, _)| match media.as_str() {
        "text/turtle" | "*/*" | "text/*" => Some((Syntax::Turtle, "text/turtle; charset=utf-8")),
        "application/n-triples" => Some((Syntax::NTriples, "application/n-triples")),
        "application/n-quads" => Some((Syntax::NQuads, "application/n-quads")),
        "application/trig" => Some((Syntax::TriG, "application/trig")),
        "application/rdf+xml" => Some((Syntax::RdfXml, "application/rdf+xml")),
        "application/ld+json" => Some((Syntax::JsonLd, "application/ld+json")),
        _ => None,
    })
}

/// Decodes `application/x-www-form-urlencoded` pairs.
fn form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or(())
                {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's script: runs the query with `fetch` (JSON results, or
/// Turtle for CONSTRUCT and DESCRIBE), shows a table with IRIs as links,
/// the row count and the time, errors with their line and column; offers
/// the result in each format as a download; fills the box from the
/// examples; runs `?query=` given in the page's address.
const PAGE_SCRIPT: &str = r#"
const q = document.getElementById('q');
const out = document.getElementById('out');
const info = document.getElementById('info');
const downloads = document.getElementById('downloads');
const esc = s => String(s).replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const isGraph = text => /^(\s|#[^\n]*\n|(PREFIX|BASE)[^\n]*\n)*(CONSTRUCT|DESCRIBE)\b/i.test(text);
const formats = {
  table: [['JSON', 'application/sparql-results+json', 'json'], ['XML', 'application/sparql-results+xml', 'xml'],
          ['CSV', 'text/csv', 'csv'], ['TSV', 'text/tab-separated-values', 'tsv']],
  graph: [['Turtle', 'text/turtle', 'ttl'], ['N-Triples', 'application/n-triples', 'nt'],
          ['N-Quads', 'application/n-quads', 'nq'], ['JSON-LD', 'application/ld+json', 'jsonld']]
};
function term(t) {
  if (!t) return '';
  if (t.type === 'uri') return '<a href="' + esc(t.value) + '">' + esc(t.value) + '</a>';
  return esc(t.value);
}
async function ask(text, accept) {
  return fetch('sparql', {method: 'POST', headers: {'Content-Type': 'application/sparql-query', 'Accept': accept}, body: text});
}
async function run() {
  const text = q.value;
  const graph = isGraph(text);
  const started = performance.now();
  info.textContent = 'running...';
  out.innerHTML = '';
  downloads.innerHTML = '';
  let r, body;
  try {
    r = await ask(text, graph ? 'text/turtle' : 'application/sparql-results+json');
    body = await r.text();
  } catch (e) {
    info.textContent = 'the endpoint cannot be reached: ' + e;
    return;
  }
  const ms = Math.round(performance.now() - started);
  if (!r.ok) {
    info.textContent = 'error ' + r.status + ' (' + ms + ' ms)';
    out.innerHTML = '<pre id="error">' + esc(body) + '</pre>';
    return;
  }
  if (graph) {
    info.textContent = 'graph, ' + ms + ' ms';
    out.innerHTML = '<pre id="turtle">' + esc(body) + '</pre>';
  } else {
    const j = JSON.parse(body);
    if ('boolean' in j) {
      info.textContent = 'answer, ' + ms + ' ms';
      out.innerHTML = '<p id="answer">' + j.boolean + '</p>';
    } else {
      const vars = j.head.vars, rows = j.results.bindings;
      info.textContent = rows.length + (rows.length === 1 ? ' row, ' : ' rows, ') + ms + ' ms';
      out.innerHTML = '<table id="results"><thead><tr>' + vars.map(v => '<th>' + esc(v) + '</th>').join('') +
        '</tr></thead><tbody>' + rows.map(b => '<tr>' + vars.map(v => '<td>' + term(b[v]) + '</td>').join('') + '</tr>').join('') +
        '</tbody></table>';
    }
  }
  downloads.innerHTML = 'Download: ' + formats[graph ? 'graph' : 'table'].map(([name, media, ext]) =>
    '<button type="button" data-media="' + media + '" data-ext="' + ext + '">' + name + '</button>').join(' ');
  downloads.querySelectorAll('button').forEach(b => b.addEventListener('click', async () => {
    const r = await ask(text, b.dataset.media);
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'results.' + b.dataset.ext;
    a.click();
    URL.revokeObjectURL(url);
  }));
}
document.getElementById('form').addEventListener('submit', e => { e.preventDefault(); run(); });
document.querySelectorAll('a[data-q]').forEach(a => a.addEventListener('click', e => {
  e.preventDefault();
  q.value = a.dataset.q;
  run();
}));
const given = new URLSearchParams(location.search).get('query');
if (given) { q.value = given; run(); }
"#;

/// The page at `/`: a query box that shows the results on the page, and
/// the example questions, each a link that runs it.
fn home_page(examples: &Path) -> String {
    let mut items = String::new();
    let mut files: Vec<_> = std::fs::read_dir(examples)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "rq"));
    files.sort();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        // The opening comment, whole: its lines joined.
        let title = text
            .lines()
            .map_while(|l| l.strip_prefix('#'))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ");
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        items.push_str(&format!(
            "<li><a href=\"#\" data-q=\"{}\">{}</a> <small>{}</small></li>\n",
            html_escape(&text),
            html_escape(&title),
            html_escape(&name)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Stratagraph SPARQL</title>\n\
<link rel=\"icon\" href=\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='4' cy='12' r='3' fill='%23fb8072'/%3E%3Ccircle cx='12' cy='4' r='3' fill='%2380b1d3'/%3E%3Cpath d='M4 12L12 4' stroke='%23555'/%3E%3C/svg%3E\">\n\
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}textarea{{width:100%;height:14em;font-family:monospace}}\
table{{border-collapse:collapse;font-size:90%}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left}}#error{{color:#a00}}</style>\n\
</head><body>\n<h1>Stratagraph SPARQL endpoint</h1>\n\
<p>Read-only. Prefixes sg:, rdf:, rdfs:, skos:, prov:, owl:, xsd: are predeclared; the default graph is the union of the named graphs (a set). Any SPARQL client can use <code>/sparql</code>.</p>\n\
<form id=\"form\" action=\"/sparql\" method=\"get\"><textarea name=\"query\" id=\"q\">SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 20</textarea>\n\
<p><button type=\"submit\">Run</button> <span id=\"info\"></span></p></form>\n<div id=\"downloads\"></div>\n<div id=\"out\"></div>\n\
<h2>Example questions</h2>\n<ul>\n{items}</ul>\n<script>{PAGE_SCRIPT}</script>\n</body></html>\n"
    )
}

/// Reads an HTTP request from bytes as the server reads one from a
/// connection, and routes its SPARQL parameters as the server would parse
/// them (no store is queried): for the fuzz target `http_request`. The
/// answer is the status an error gets, if any.
pub fn parse_request_for_fuzzing(bytes: &[u8]) -> std::result::Result<(), u16> {
    let req = read_request(bytes).map_err(|(status, _)| status)?;
    let _ = percent_decode(&req.query);
    for pair in req.query.split('&') {
        let _ = pair
            .split_once('=')
            .map(|(k, v)| (percent_decode(k), percent_decode(v)));
    }
    let _ = accepted(req.headers.get("accept").map_or("", String::as_str));
    let _ = req.headers.get("host").is_some_and(|h| local_host(h));
    let _ = is_update(&String::from_utf8_lossy(&req.body));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode() {
        assert_eq!(
            form("query=SELECT+%3Fs+WHERE+%7B%7D&x=%zz"),
            vec![
                ("query".to_string(), "SELECT ?s WHERE {}".to_string()),
                ("x".to_string(), "%zz".to_string())
            ]
        );
        assert_eq!(percent_decode("%E2%80%99"), "\u{2019}");
        assert_eq!(percent_decode("50%"), "50%");
    }

    #[test]
    fn accept_headers_pick_formats() {
        let results = |a: &str| negotiate_results(a).map(|r| r.0);
        assert_eq!(results("text/csv"), Some(ResultsFormat::Csv));
        assert_eq!(
            results("application/sparql-results+xml;q=0.9"),
            Some(ResultsFormat::Xml)
        );
        assert_eq!(results("*/*"), Some(ResultsFormat::Json));
        // q-values rank the types, whatever their order.
        assert_eq!(
            results("text/csv;q=0.2, application/sparql-results+xml"),
            Some(ResultsFormat::Xml)
        );
        assert_eq!(
            results("text/csv;q=0, */*;q=0.1"),
            Some(ResultsFormat::Json)
        );
        assert_eq!(results("image/png"), None);
        let graph = |a: &str| negotiate_graph(a).map(|g| g.0);
        assert_eq!(graph("application/n-triples"), Some(Syntax::NTriples));
        assert_eq!(graph("application/n-quads"), Some(Syntax::NQuads));
        assert_eq!(
            graph("application/trig;q=0.9, text/turtle;q=0.5"),
            Some(Syntax::TriG)
        );
        assert_eq!(graph(""), Some(Syntax::Turtle));
        assert_eq!(graph("image/png"), None);
    }

    #[test]
    fn updates_sent_as_queries_are_told_apart() {
        assert!(is_update("DROP ALL"));
        assert!(is_update(
            "PREFIX sg: <https://w3id.org/stratagraph/ontology#>\n# c\ninsert data { <a> sg:p <b> }"
        ));
        assert!(!is_update("PREFIX x: <urn:x> SELECT * WHERE { ?s ?p ?o }"));
        assert!(!is_update("ASK { ?s ?p ?o }"));
    }

    #[test]
    fn cors_allows_only_the_origins_named() {
        let cors = vec!["https://yasgui.example".to_string()];
        assert_eq!(
            allowed_origin(Some("https://yasgui.example"), &cors),
            Some("https://yasgui.example")
        );
        assert_eq!(allowed_origin(Some("https://evil.example"), &cors), None);
        assert_eq!(allowed_origin(Some("https://a.example"), &[]), None);
        let any = vec!["*".to_string()];
        assert_eq!(allowed_origin(Some("https://a\rb"), &any), Some("*"));
        assert_eq!(allowed_origin(None, &any), None);
    }

    #[test]
    fn only_this_machine_is_a_local_host() {
        for host in [
            "localhost",
            "localhost:7878",
            "127.0.0.1:80",
            "[::1]:7878",
            "app.localhost",
        ] {
            assert!(local_host(host), "{host}");
        }
        for host in ["evil.example", "evil.example:7878", "", "10.0.0.1"] {
            assert!(!local_host(host), "{host}");
        }
    }
}

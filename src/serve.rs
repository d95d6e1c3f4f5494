//! A read-only SPARQL 1.1 Protocol endpoint over a store: `GET
//! /sparql?query=...`, `POST /sparql` with a form or a
//! `application/sparql-query` body, results by the `Accept` header, and a
//! page at `/` with a query box and the example questions. One thread a
//! connection; every query under a timeout; updates refused.

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
}

impl Response {
    fn text(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8".into(),
            body: body.into().into_bytes(),
        }
    }
}

/// Serves until the process is stopped. Prints the address it listens on.
pub fn serve(store: Store, bind: &str, timeout: Duration, examples: &Path) -> Result<()> {
    let listener = TcpListener::bind(bind)
        .map_err(|e| Error::Usage(format!("cannot listen on {bind}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Other(e.to_string()))?;
    let page = std::sync::Arc::new(home_page(examples));
    eprintln!("stratagraph: SPARQL endpoint at http://{addr}/sparql (query page at http://{addr}/), read-only");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let store = store.clone();
        let page = std::sync::Arc::clone(&page);
        std::thread::spawn(move || {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
            handle(stream, &store, timeout, &page);
        });
    }
    Ok(())
}

fn handle(mut stream: TcpStream, store: &Store, timeout: Duration, page: &str) {
    let response = match read_request(&mut stream) {
        Ok(req) => route(&req, store, timeout, page),
        Err(message) => Response::text(400, message),
    };
    let reason = match response.status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        413 => "Payload Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    };
    let head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\nAccess-Control-Allow-Origin: *\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&response.body);
    let _ = stream.flush();
}

fn read_request(stream: &mut TcpStream) -> std::result::Result<Request, String> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|e| e.to_string())?;
    let mut parts = line.split_whitespace();
    let method = parts.next().ok_or("empty request")?.to_string();
    let target = parts.next().ok_or("no request target")?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_err(|e| e.to_string())? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if length > MAX_BODY {
        return Err(format!("request body over {MAX_BODY} bytes"));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|e| e.to_string())?;
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
        },
        ("GET", "/sparql") | ("POST", "/sparql") => sparql(req, store, timeout),
        (_, "/sparql") | (_, "/") => Response::text(405, "use GET or POST"),
        _ => Response::text(404, "not found: the endpoint is /sparql"),
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
        return Response::text(400, "missing the query parameter");
    };
    let accept = req.headers.get("accept").cloned().unwrap_or_default();
    // Both are negotiated; the query's form decides which one is used.
    let (results, results_type) = negotiate_results(&accept);
    let (syntax, graph_type) = negotiate_graph(&accept);
    match query::run(store, &text, "query", Some(timeout), results, syntax) {
        Ok((body, written)) => Response {
            status: 200,
            content_type: match written {
                query::Written::Triples(_) => graph_type.into(),
                _ => results_type.into(),
            },
            body,
        },
        Err(Error::Usage(message)) => Response::text(400, message),
        Err(e) => Response::text(503, e.to_string()),
    }
}

/// The results format the client asks for, JSON when it does not say.
fn negotiate_results(accept: &str) -> (ResultsFormat, &'static str) {
    for media in accept
        .split(',')
        .map(|m| m.split(';').next().unwrap_or("").trim())
    {
        match media {
            "application/sparql-results+json" | "application/json" => break,
            "application/sparql-results+xml" | "application/xml" => {
                return (ResultsFormat::Xml, "application/sparql-results+xml")
            }
            "text/csv" => return (ResultsFormat::Csv, "text/csv; charset=utf-8"),
            "text/tab-separated-values" => {
                return (
                    ResultsFormat::Tsv,
                    "text/tab-separated-values; charset=utf-8",
                )
            }
            _ => {}
        }
    }
    (ResultsFormat::Json, "application/sparql-results+json")
}

/// The RDF syntax the client asks for, Turtle when it does not say.
fn negotiate_graph(accept: &str) -> (Syntax, &'static str) {
    for media in accept
        .split(',')
        .map(|m| m.split(';').next().unwrap_or("").trim())
    {
        match media {
            "text/turtle" => break,
            "application/n-triples" => return (Syntax::NTriples, "application/n-triples"),
            "application/rdf+xml" => return (Syntax::RdfXml, "application/rdf+xml"),
            "application/ld+json" => return (Syntax::JsonLd, "application/ld+json"),
            _ => {}
        }
    }
    (Syntax::Turtle, "text/turtle; charset=utf-8")
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

/// The page at `/`: a query box and the example questions, each a link
/// that fills the box.
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
        let title = text
            .lines()
            .find_map(|l| l.strip_prefix('#'))
            .map(str::trim)
            .unwrap_or("")
            .to_string();
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
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}textarea{{width:100%;height:14em;font-family:monospace}}</style>\n\
</head><body>\n<h1>Stratagraph SPARQL endpoint</h1>\n\
<p>Read-only. Prefixes sg:, rdf:, rdfs:, skos:, prov:, owl:, xsd: are predeclared; the default graph is the union of the documents' graphs. Any SPARQL client can use <code>/sparql</code>.</p>\n\
<form action=\"/sparql\" method=\"get\"><textarea name=\"query\" id=\"q\">SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 20</textarea>\n\
<p><button type=\"submit\">Run</button></p></form>\n<h2>Example questions</h2>\n<ul>\n{items}</ul>\n\
<script>document.querySelectorAll('a[data-q]').forEach(a=>a.addEventListener('click',e=>{{e.preventDefault();document.getElementById('q').value=a.dataset.q;}}));</script>\n\
</body></html>\n"
    )
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
        assert_eq!(negotiate_results("text/csv").0, ResultsFormat::Csv);
        assert_eq!(
            negotiate_results("application/sparql-results+xml;q=0.9").0,
            ResultsFormat::Xml
        );
        assert_eq!(negotiate_results("*/*").0, ResultsFormat::Json);
        assert_eq!(negotiate_graph("application/n-triples").0, Syntax::NTriples);
        assert_eq!(negotiate_graph("").0, Syntax::Turtle);
    }
}

//! `cargo xtask serve`: a small static HTTP server for `www/` on 127.0.0.1.
//!
//! Only GET and HEAD of files are needed. What matters is the MIME type: browsers refuse to
//! stream-compile wasm that is not served as `application/wasm`, and refuse ES modules served
//! as anything but JavaScript. Every answer allows any origin to read it
//! (`access-control-allow-origin: *`), so a page on another host can load the element: module
//! scripts, their imports and the glue's fetch of the wasm are all CORS requests.

use crate::{build, run, setup, ServeOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

/// Largest request head read before answering 431; a GET for a file needs far less.
const REQUEST_HEAD_BYTES_MAX: usize = 16 * 1024;

pub fn serve(options: &ServeOptions) -> Result<ExitCode, String> {
    // Bind first so a busy port fails in a second, not after a build.
    let address = format!("127.0.0.1:{}", options.port);
    let listener = TcpListener::bind(&address).map_err(|err| {
        format!(
            "cannot listen on {address}: {err} (is another server using port {}? pick one with --port N)",
            options.port
        )
    })?;
    if options.build {
        setup::ensure_build_tools()?;
        build::build_site()?;
    }
    let root = match &options.dir {
        Some(dir) => run::root().join(dir),
        None => run::root().join("www"),
    };
    if !root.is_dir() {
        return Err(format!("cannot serve {}: no such folder", root.display()));
    }
    println!(
        "Serving {} at http://{address}/ (Ctrl-C stops)",
        root.display()
    );
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        std::thread::spawn(move || {
            // A client that hangs up mid-answer is not an error worth reporting.
            let _ = answer(stream, &root);
        });
    }
    Ok(ExitCode::SUCCESS)
}

fn answer(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut head_bytes = request_line.len();
    loop {
        let mut header = String::new();
        let read = reader.read_line(&mut header)?;
        head_bytes += read;
        if read == 0 || header == "\r\n" || header == "\n" {
            break;
        }
        if head_bytes > REQUEST_HEAD_BYTES_MAX {
            return respond(
                &mut stream,
                "431 Request Header Fields Too Large",
                "text/plain",
                b"",
                true,
            );
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let with_body = method != "HEAD";
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"only GET",
            with_body,
        );
    }
    let Some(mut path) = resolve(root, target) else {
        return respond(
            &mut stream,
            "403 Forbidden",
            "text/plain",
            b"forbidden",
            with_body,
        );
    };
    if path.is_dir() {
        path = path.join("index.html");
    }
    match std::fs::read(&path) {
        Ok(body) => respond(&mut stream, "200 OK", mime_type(&path), &body, with_body),
        Err(_) => respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"not found",
            with_body,
        ),
    }
}

/// Maps a request target to a file under `root`, refusing anything that climbs out of it.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    Some(root.join(relative))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn mime_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "ts" | "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    with_body: bool,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\ncache-control: no-store\r\naccess-control-allow-origin: *\r\nconnection: close\r\n\r\n",
        body.len()
    )?;
    if with_body {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_cannot_climb_out_of_the_served_folder() {
        let root = Path::new("/srv/www");
        assert_eq!(resolve(root, "/index.html"), Some(root.join("index.html")));
        assert_eq!(
            resolve(root, "/pkg/a.wasm?v=1"),
            Some(root.join("pkg/a.wasm"))
        );
        assert_eq!(resolve(root, "/../etc/passwd"), None);
        assert_eq!(resolve(root, "/%2e%2e/etc/passwd"), None);
    }

    #[test]
    fn wasm_is_served_as_application_wasm() {
        assert_eq!(
            mime_type(Path::new("pkg/raft_wasm_bg.wasm")),
            "application/wasm"
        );
        assert_eq!(
            mime_type(Path::new("lib/driver.js")),
            "text/javascript; charset=utf-8"
        );
    }
}

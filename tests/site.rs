//! The companion site as a reader sees it: built with mdbook, served from
//! 127.0.0.1, loaded in headless Chromium, and read back from the page the
//! browser made (`--dump-dom`, after the book's scripts ran).
//!
//! Ignored by default, since it takes seconds and needs mdbook 0.5.4 and
//! Chromium: `cargo test --test site -- --ignored`. Where either is
//! missing it says SKIPPED and why, and passes, unless
//! `CH16_UI_REQUIRE_SITE=1` (as `.ci/run` sets it) makes that a failure.
//! `CH16_UI_CHROMIUM` names the browser (default: the first of `chromium`,
//! `chromium-browser`, `google-chrome` that runs). It saves screenshots
//! under `target/ch16-site/`.

use ch16_ui::catalogue::{playground, site};
use ch16_ui::model::suite::Suite;
#[path = "support/libtest.rs"]
mod libtest;
#[path = "support/pages.rs"]
mod pages;

use pages::{entry_of, fixture_code, html_text, unescape, verdict};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const REQUIRE: &str = "CH16_UI_REQUIRE_SITE";

fn main() -> ExitCode {
    let args = match libtest::Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let test = libtest::Test {
        ignored: Some(
            "builds the site and loads it in Chromium: cargo test --test site -- --ignored (needs mdbook 0.5.4 and chromium)",
        ),
        ..libtest::Test::new("site_in_a_browser", || {
            let start = Instant::now();
            let outcome = match check()? {
                Some(skipped) if std::env::var_os(REQUIRE).is_some_and(|v| v == "1") => Err(
                    format!("error: SKIPPED, and {REQUIRE}=1 allows no skip: {skipped}"),
                ),
                Some(skipped) => {
                    println!("SKIPPED: {skipped}");
                    Ok(())
                }
                None => Ok(()),
            };
            println!(
                "(the site in a browser took {:.1}s)",
                start.elapsed().as_secs_f64()
            );
            outcome
        })
    };
    libtest::run(&args, vec![test])
}

/// `Ok(Some(why))` when it skipped.
fn check() -> Result<Option<String>, String> {
    let mdbook = match site::mdbook() {
        Ok(p) => p,
        Err(e) => return Ok(Some(e.to_string().replace('\n', "; "))),
    };
    let Some(chromium) = chromium() else {
        return Ok(Some(
            "no Chromium: none of chromium, chromium-browser, google-chrome runs, and \
             CH16_UI_CHROMIUM names none (Debian: apt-get install chromium)"
                .into(),
        ));
    };
    println!("using {} and {}", mdbook.display(), chromium.display());
    let root = ch16_ui::host::checkout::crate_dir().map_err(|e| e.to_string())?;
    let suite = Suite::load(&root)
        .and_then(Suite::whole)
        .map_err(|e| e.to_string())?;
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).parent();
    let shots = tmp.unwrap_or(Path::new("target")).join("ch16-site");
    let out =
        Scratch(std::env::temp_dir().join(format!("ch16-ui-site-test-{}", std::process::id())));
    site::build(&suite, &out.0, None).map_err(|e| format!("error: building the site: {e}"))?;
    let server = serve(&out.0)?;
    let browser = Browser { program: chromium };

    // The 16.3 page, from the server.
    let page = "ch16-03-shared-state/README.html";
    let dom = browser.dom(&format!("{server}/{page}"))?;
    let (_, f14) = suite
        .by_id("listing-16-14")
        .ok_or("no listing-16-14 in the suite")?;
    let entry = entry_of(&dom, &f14.header.listing)
        .ok_or_else(|| format!("error: {page}: no anchor for listing-16-14"))?;
    let text = html_text(entry);
    for needle in [
        "cannot be sent between threads safely",
        "+use std::sync::{Arc, Mutex};",
        "--> src/main.rs:11:36",
    ] {
        if !text.contains(needle) {
            return Err(format!(
                "error: {page}: listing-16-14's entry does not show `{needle}`:\n{text}"
            ));
        }
    }
    let opened = playground_code(entry)
        .ok_or_else(|| format!("error: {page}: listing-16-14 has no Playground link"))?;
    if opened != fixture_code(f14) {
        return Err(format!(
            "error: {page}: listing-16-14's Playground link opens other code:\n{opened}"
        ));
    }
    if !entry.contains("class=\"play-button") {
        return Err(format!(
            "error: {page}: listing-16-14's code has no play button (mdBook's script did not run?)"
        ));
    }
    let source = entry
        .split("\">source</a>")
        .next()
        .and_then(|h| h.rsplit("href=\"").next());
    let source =
        source.ok_or_else(|| format!("error: {page}: listing-16-14 has no source link"))?;
    let served = get(
        &server,
        &format!("ch16-03-shared-state/{}", unescape(source)),
    )?;
    if !served.ends_with(&f14.source) {
        return Err(format!(
            "error: {page}: listing-16-14's source link `{source}` serves another file"
        ));
    }
    println!(
        "{page}: listing-16-14 shows its error, the fix's diff, a Playground link to its code, a play button, and a source link to its file"
    );

    // Every page is reached from it, and is the page it says.
    let index = "Fearless Concurrency, listing by listing";
    let mut pages = std::collections::BTreeMap::from([("README.html".to_string(), index)]);
    for f in &suite.fixtures {
        let title = ch16_ui::model::chapter::of_dir(&f.dir).map_or("", |s| s.title);
        pages.insert(format!("{}/README.html", f.dir), title);
    }
    // Titles as the browser shows them: code spans' backticks gone.
    let pages: std::collections::BTreeMap<String, String> = pages
        .into_iter()
        .map(|(k, t)| (k, t.replace('`', "")))
        .collect();
    {}
    let linked = links(&dom, page);
    for (target, title) in &pages {
        if !linked.contains(target) {
            return Err(format!(
                "error: {page} links to no `{target}`; it links to {linked:?}"
            ));
        }
        let html = get(&server, target)?;
        // The page's own heading, in `<main>` (the book's title is an h1 too).
        let main = html.split("<main").nth(1).unwrap_or("");
        let h1 = main.split("<h1").nth(1);
        let h1 = h1.and_then(|h| h.split("</h1>").next());
        let h1 = h1.map_or(String::new(), |h| html_text(&format!("<{h}")));
        let h1 = h1.replace('\u{2019}', "'");
        if !h1.contains(title.as_str()) {
            return Err(format!(
                "error: {target}, linked from {page}, has the heading `{h1}`, not `{title}`"
            ));
        }
    }
    let n = pages.len();
    println!("{page} links to all {n} pages, each served with its heading");

    // The same site from file://, with no server.
    let file = out.0.join("index.html");
    let index = browser.dom(&format!("file://{}", file.display()))?;
    for target in pages.keys().filter(|p| p.as_str() != "README.html") {
        if !links(&index, "index.html").contains(target) || !out.0.join(target).is_file() {
            return Err(format!(
                "error: from file://, index.html does not lead to {target}"
            ));
        }
    }
    println!("file://…/index.html leads to every section page");

    std::fs::create_dir_all(&shots).map_err(|e| format!("{}: {e}", shots.display()))?;
    // At 390 px through a frame of that width: a browser window is wider.
    for (name, target, (w, h)) in [
        ("ch16-03-shared-state-top.png", page, (1280, 1600)),
        ("ch16-03-shared-state.png", page, (1280, 6400)),
        ("index-top.png", "README.html", (1280, 1600)),
        ("ch16-03-shared-state-top-390.png", page, (390, 900)),
        ("ch16-03-shared-state-390.png", page, (390, 6400)),
        ("index-top-390.png", "README.html", (390, 900)),
        ("index-390.png", "README.html", (390, 6400)),
    ] {
        let png = shots.join(name);
        let _ = std::fs::remove_file(&png);
        let url = format!("{server}/{FRAMES}/{w}/{h}/{target}");
        let (shot, window) = (
            format!("--screenshot={}", png.display()),
            format!("--window-size={w},{h}"),
        );
        browser.run(&[&shot, &window, "--hide-scrollbars", BUDGET], &url)?;
        let bytes = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        // A blank page is some 10 kB of PNG; these have text and code.
        if bytes < 40_000 {
            return Err(format!(
                "error: the screenshot {} is {bytes} bytes: a blank page?",
                png.display()
            ));
        }
        println!("screenshot: {} ({} kB)", png.display(), bytes / 1000);
    }
    every_page_fits(&browser, &server, pages.keys())?;
    Ok(None)
}

/// Where the test's server serves a page inside frames of a given width,
/// and [`every_page_fits`]'s limits.
const FRAMES: &str = "__frames";
const BUDGET: &str = "--virtual-time-budget=5000";
/// Twelve screens of 900 px at 1280 px, and a phone's width.
const TALLEST: u32 = 12 * 900;
const PHONE: u32 = 390;

/// Every page of the site at 1280 px is at most twelve screens tall, and at
/// 390 px none is wider than the screen (no sideways scrolling: neither the
/// document nor the book's `<main>` is wider; a code block scrolls inside
/// itself). Each page is measured in a frame of that width, by a script of
/// the page the test's server makes.
fn every_page_fits<'p>(
    browser: &Browser,
    server: &str,
    pages: impl Iterator<Item = &'p String> + Clone,
) -> Result<(), String> {
    let list: Vec<&str> = pages.clone().map(String::as_str).collect();
    let mut problems = Vec::new();
    for (width, what) in [(1280, "height"), (PHONE, "width")] {
        let url = format!("{server}/{FRAMES}/{width}/900/{}", list.join(","));
        let dom = browser.run(&["--dump-dom", BUDGET], &url)?;
        for page in &list {
            let key = format!("data-page=\"{page}\" data-size=\"");
            let size = dom.split(&key).nth(1).and_then(|r| r.split('"').next());
            let size = size.and_then(|s| s.split_once('x'));
            let size =
                size.and_then(|(h, w)| Some((h.parse::<u32>().ok()?, w.parse::<u32>().ok()?)));
            let Some((h, w)) = size else {
                problems.push(format!("{page}: not measured at {width} px"));
                continue;
            };
            match what {
                "height" => {
                    println!(
                        "{page}: {h} px tall at 1280 px ({:.1} screens of 900 px)",
                        f64::from(h) / 900.0
                    );
                    if h > TALLEST {
                        problems.push(format!(
                            "{page} is {h} px tall at 1280 px, over twelve screens ({TALLEST} px)"
                        ));
                    }
                }
                _ if w > PHONE => problems.push(format!(
                    "{page} is {w} px wide at {PHONE} px: a reader scrolls sideways"
                )),
                _ => {}
            }
        }
    }
    if problems.is_empty() {
        println!(
            "all {} pages fit: at most {TALLEST} px tall at 1280 px, no wider than {PHONE} px at {PHONE} px",
            list.len()
        );
    }
    verdict(&problems, None)
}

/// The page the server makes for `/__frames/W/H/a.html,b.html`: each page
/// in a frame W px wide and H px tall; once loaded, each frame's document
/// size (`HEIGHTxWIDTH`) is written into the page.
fn frames(rest: &str) -> Option<String> {
    let mut parts = rest.splitn(3, '/');
    let (w, h) = (
        parts.next()?.parse::<u32>().ok()?,
        parts.next()?.parse::<u32>().ok()?,
    );
    let mut body = String::new();
    for page in parts.next()?.split(',') {
        body += &format!(
            "<iframe data-page=\"{page}\" src=\"/{page}\" style=\"display:block;border:0;width:{w}px;height:{h}px\"></iframe>"
        );
    }
    Some(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">{body}\
         <script>window.addEventListener('load', () => setTimeout(() => {{\
           for (const f of document.querySelectorAll('iframe')) {{\
             const d = f.contentDocument.documentElement;\
             const m = f.contentDocument.querySelector('main');\
             const wide = m ? Math.ceil(m.getBoundingClientRect().left + m.scrollWidth) : 0;\
             const p = document.createElement('p');\
             p.setAttribute('data-page', f.dataset.page);\
             p.setAttribute('data-size', d.scrollHeight + 'x' + Math.max(d.scrollWidth, wide));\
             document.body.appendChild(p);\
           }}\
         }}, 500));</script></body></html>"
    ))
}

/// The code the first Playground link in `html` opens.
fn playground_code(html: &str) -> Option<String> {
    let (_, rest) = html.split_once("href=\"https://play.rust-lang.org/")?;
    let href = rest.split('"').next()?;
    playground::code_of(&unescape(&format!("https://play.rust-lang.org/{href}")))
}

/// Every page `dom` (at `page`, relative to the site's root) links to,
/// relative to the site's root, without fragments.
fn links(dom: &str, page: &str) -> Vec<String> {
    let base: Vec<&str> = page.split('/').collect();
    let mut out = Vec::new();
    for part in dom.split("href=\"").skip(1) {
        let href = unescape(part.split('"').next().unwrap_or(""));
        let href = href.split('#').next().unwrap_or("");
        if href.is_empty() || href.contains("://") || !href.ends_with(".html") {
            continue;
        }
        let mut path: Vec<&str> = base[..base.len() - 1].to_vec();
        for seg in href.split('/') {
            match seg {
                ".." => {
                    path.pop();
                }
                "." | "" => {}
                s => path.push(s),
            }
        }
        out.push(path.join("/"));
    }
    out.sort();
    out.dedup();
    out
}

/// The browser, run once per page, each time with a profile of its own.
struct Browser {
    program: PathBuf,
}

impl Browser {
    /// The page at `url` as the browser made it, scripts run.
    fn dom(&self, url: &str) -> Result<String, String> {
        self.run(&["--dump-dom"], url)
    }

    fn run(&self, args: &[&str], url: &str) -> Result<String, String> {
        static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let profile = format!("ch16-ui-chromium-{}-{n}", std::process::id());
        let profile = Scratch(std::env::temp_dir().join(profile));
        // As the machines here need it: no sandbox (root), and nothing that
        // reaches for the network on its own.
        let mut child = Command::new(&self.program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.0.display()))
            .args(args)
            .arg(url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("error: {} cannot be started: {e}", self.program.display()))?;
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut stdout, &mut s);
            s
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "error: {} did not finish {url} within 60 s",
                    self.program.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let out = reader.join().unwrap_or_default();
        if !status.success() {
            return Err(format!(
                "error: {} failed on {url}: {status}",
                self.program.display()
            ));
        }
        Ok(out)
    }
}

fn chromium() -> Option<PathBuf> {
    let named = std::env::var_os("CH16_UI_CHROMIUM").map(PathBuf::from);
    let candidates: Vec<PathBuf> = match named {
        Some(p) => vec![p],
        None => ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .map(PathBuf::from)
            .collect(),
    };
    candidates.into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Serve `dir` on 127.0.0.1 for as long as the test runs; its address.
fn serve(dir: &Path) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("error: no port on 127.0.0.1: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || respond(stream, &dir));
        }
    });
    Ok(format!("http://{addr}"))
}

fn respond(mut stream: TcpStream, dir: &Path) {
    let mut request = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The rest of the request's head.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(page) = path.strip_prefix(&format!("/{FRAMES}/")).and_then(frames) {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            page.len()
        );
        let _ = stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(page.as_bytes()));
        return;
    }
    let file = dir.join(path.trim_start_matches('/'));
    let body = if path.split('/').any(|s| s == "..") {
        None
    } else {
        std::fs::read(&file).ok()
    };
    let _ = match body {
        Some(body) => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                Some("woff2") => "font/woff2",
                Some("json") => "application/json",
                Some("txt") => "text/plain; charset=utf-8",
                _ => "application/octet-stream",
            };
            write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())
                .and_then(|()| stream.write_all(&body))
        }
        None => stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

/// A plain GET from the test's own server.
fn get(server: &str, path: &str) -> Result<String, String> {
    let addr = server.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = String::new();
    std::io::Read::read_to_string(&mut s, &mut response).map_err(|e| e.to_string())?;
    if !response.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "error: GET /{path}: {}",
            response.lines().next().unwrap_or("")
        ));
    }
    Ok(response)
}

/// A directory removed when the test ends, whatever happens.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

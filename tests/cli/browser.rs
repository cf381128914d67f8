//! show's HTML page in a real browser: headless Chromium renders it to PNG
//! and prints it to PDF with the print stylesheet; pdftotext then reads the
//! pages. Skipped, with a message, where no browser is installed.

use crate::sandbox;
use std::path::Path;

use crate::common::{stderr, stdout, Env};

/// The browser to use, if one is installed.
fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            sandbox::command(b, sandbox::empty_home())
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Runs headless Chromium on `page` with one output flag.
fn render(browser: &str, page: &Path, profile: &Path, output: &str) {
    let out = sandbox::command(browser, profile.parent().unwrap())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", profile.display()),
            output,
        ])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The text of page `n` of a PDF.
fn pdf_page(pdf: &Path, n: usize) -> String {
    let out = sandbox::command("pdftotext", sandbox::empty_home())
        .args(["-f", &n.to_string(), "-l", &n.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_printed_page_has_the_summary_first_and_the_appendix_after_a_break() {
    let Some(browser) = browser() else {
        eprintln!("skipped: no chromium installed (apt-get install chromium poppler-utils)");
        return;
    };
    if sandbox::command("pdftotext", sandbox::empty_home())
        .arg("-v")
        .output()
        .is_err()
    {
        eprintln!("skipped: no pdftotext installed (apt-get install poppler-utils)");
        return;
    }
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let out = env.run(&[
        "-C",
        "sample",
        "show",
        "ada-grace",
        "--pending",
        "--format",
        "html",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = env.path("page.html");
    std::fs::write(&page, stdout(&out)).unwrap();
    let profile = env.path("profile");
    let pdf = env.path("page.pdf");
    let png = env.path("page.png");
    render(
        browser,
        &page,
        &profile,
        &format!("--print-to-pdf={}", pdf.display()),
    );
    render(
        browser,
        &page,
        &profile,
        &format!("--screenshot={}", png.display()),
    );
    let image = std::fs::read(&png).unwrap();
    assert_eq!(&image[..8], b"\x89PNG\r\n\x1a\n", "a PNG screenshot");

    let first = pdf_page(&pdf, 1);
    assert!(
        first.contains("Purpose") && first.contains("Success criteria"),
        "{first}"
    );
    assert!(
        !first.contains("Appendix"),
        "the appendix starts a new page: {first}"
    );
    let mut pages = Vec::new();
    for n in 1..=10 {
        let text = pdf_page(&pdf, n);
        if text.trim().is_empty() {
            break;
        }
        pages.push(text);
    }
    let appendix = pages
        .iter()
        .position(|p| p.contains("Appendix"))
        .expect("an appendix page");
    assert!(appendix >= 1, "after page one");
    // The draft mark repeats on every printed page, above the page's text
    // and never over it.
    for (n, text) in pages.iter().enumerate() {
        assert!(text.contains("DRAFT"), "page {}: {text}", n + 1);
        let words = pdf_words(&pdf, n + 1);
        let top = words.iter().map(|w| w.y_min).fold(f64::INFINITY, f64::min);
        let mark: Vec<&Word> = words.iter().filter(|w| w.y_min == top).collect();
        assert_eq!(mark[0].text, "DRAFT", "page {}: {words:?}", n + 1);
        let bottom = mark.iter().map(|w| w.y_max).fold(0.0, f64::max);
        let overlapping: Vec<&Word> = words
            .iter()
            .filter(|w| w.y_min != top && w.y_min < bottom)
            .collect();
        assert!(
            overlapping.is_empty(),
            "page {}: the mark covers {overlapping:?}",
            n + 1
        );
    }
}

/// A word on a PDF page and its box, as `pdftotext -bbox` reports it.
#[derive(Debug)]
struct Word {
    text: String,
    y_min: f64,
    y_max: f64,
}

/// The words of page `n` of a PDF, with their boxes.
fn pdf_words(pdf: &Path, n: usize) -> Vec<Word> {
    let out = sandbox::command("pdftotext", sandbox::empty_home())
        .args(["-f", &n.to_string(), "-l", &n.to_string(), "-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let xhtml = String::from_utf8_lossy(&out.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..start + tag[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    xhtml
        .split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            Word {
                text: rest[..rest.find("</word>").unwrap()].to_owned(),
                y_min: attr(tag, "yMin"),
                y_max: attr(tag, "yMax"),
            }
        })
        .collect()
}

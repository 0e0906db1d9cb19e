//! Reading printed PDFs back with lopdf: the pages, their text (Chinese
//! included, through the font's ToUnicode map), and the embedded font.

use homedesk::print::PrintedPdf;
use lopdf::{Document, Object};

pub fn load(pdf: &PrintedPdf) -> Document {
    Document::load_mem(&pdf.bytes).unwrap_or_else(|e| panic!("not a PDF: {e}"))
}

/// The text of page `n` (from 1), without the line breaks and spaces that
/// extraction puts between runs, so that a wrapped cell reads as one string.
pub fn page_text(doc: &Document, n: u32) -> String {
    let text = doc.extract_text(&[n]).unwrap_or_else(|e| panic!("extract page {n}: {e}"));
    text.split_whitespace().collect()
}

pub fn all_text(doc: &Document) -> String {
    (1..=doc.get_pages().len() as u32).map(|n| page_text(doc, n)).collect()
}

/// The embedded font programs (`/FontFile2` TrueType, `/FontFile3` CFF).
pub fn embedded_font_files(doc: &Document) -> usize {
    doc.objects
        .values()
        .filter_map(|o| match o {
            Object::Dictionary(d) => Some(d),
            _ => None,
        })
        .filter(|d| d.has(b"FontFile2") || d.has(b"FontFile3"))
        .count()
}

/// Every `/BaseFont` name: a subset font is named `ABCDEF+Name`.
pub fn base_fonts(doc: &Document) -> Vec<String> {
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"BaseFont").and_then(Object::as_name).ok())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect()
}

/// The font is embedded and every font named is a subset (`ABCDEF+Name`).
pub fn font_embedded_and_subset(doc: &Document) -> bool {
    let names = base_fonts(doc);
    embedded_font_files(doc) >= 1
        && !names.is_empty()
        && names.iter().all(|name| name.len() > 7 && name.as_bytes()[6] == b'+')
}

/// The drawing operations of page `n` (from 1).
pub fn page_operations(doc: &Document, n: u32) -> Vec<lopdf::content::Operation> {
    let page = doc.get_pages().get(&n).copied().unwrap_or_else(|| panic!("no page {n}"));
    doc.get_and_decode_page_content(page).unwrap_or_else(|e| panic!("decode page {n}: {e}")).operations
}

/// Every stroked path of page `n`: how many points it has and whether it
/// is closed (a tick box is 4 points, closed; its tick 3, open).
pub fn stroked_paths(doc: &Document, n: u32) -> Vec<(usize, bool)> {
    let mut paths = Vec::new();
    let (mut points, mut closed) = (0, false);
    for op in page_operations(doc, n) {
        match op.operator.as_str() {
            "m" => (points, closed) = (1, false),
            "l" => points += 1,
            "h" => closed = true,
            "S" | "s" => paths.push((points, closed || op.operator == "s")),
            _ => {}
        }
    }
    paths
}

/// How many times page `n` sets a dash pattern that is not solid.
pub fn dash_patterns(doc: &Document, n: u32) -> usize {
    page_operations(doc, n)
        .iter()
        .filter(|op| op.operator == "d")
        .filter(|op| op.operands.first().and_then(|a| a.as_array().ok()).is_some_and(|a| !a.is_empty()))
        .count()
}

/// Loads a printed PDF and checks what every print must be: the page count
/// it says, the font embedded and subset, and no glyph missing (`?`).
pub fn read(pdf: &PrintedPdf) -> (Document, Vec<String>) {
    let doc = load(pdf);
    assert_eq!(doc.get_pages().len(), pdf.pages);
    assert!(font_embedded_and_subset(&doc), "fonts: {:?}", base_fonts(&doc));
    let pages: Vec<String> = (1..=pdf.pages as u32).map(|n| page_text(&doc, n)).collect();
    for (n, text) in pages.iter().enumerate() {
        assert!(!text.contains('?'), "page {}: a glyph the font lacks: {text}", n + 1);
    }
    (doc, pages)
}

/// Each of `expected` is somewhere in `text`.
pub fn assert_has(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e} missing from: {text}");
    }
}

/// The PDF, or the test fails with the print error.
pub fn ok<E: std::fmt::Display>(result: Result<PrintedPdf, E>) -> PrintedPdf {
    result.unwrap_or_else(|e| panic!("print: {e}"))
}

/// The document information entry `key` (`Title`, `CreationDate`), as text:
/// UTF-16BE (with its byte-order mark) or plain bytes; empty when missing.
pub fn info(doc: &Document, key: &str) -> String {
    let dict = doc
        .trailer
        .get(b"Info")
        .and_then(|info| match info {
            Object::Reference(id) => doc.get_dictionary(*id),
            other => other.as_dict(),
        })
        .ok();
    let Some(bytes) = dict.and_then(|d| d.get(key.as_bytes()).and_then(Object::as_str).ok()) else {
        return String::new();
    };
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> =
                utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
            String::from_utf16_lossy(&units)
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The six-letter subset tag of the embedded font (`ABCDEF` of `ABCDEF+Name`).
pub fn subset_tags(doc: &Document) -> Vec<String> {
    let mut tags: Vec<String> =
        base_fonts(doc).iter().filter_map(|name| name.get(..6)).map(String::from).collect();
    tags.sort();
    tags.dedup();
    tags
}

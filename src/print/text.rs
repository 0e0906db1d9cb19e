//! Fitting text into a width: line breaking for mixed Chinese and Latin
//! text, and cutting a line short with an ellipsis.
//!
//! Chinese breaks between any two characters, except before closing
//! punctuation (，。、）…) and after opening punctuation (（“…); Latin words,
//! numbers, running numbers and phone numbers stay whole unless they alone
//! are wider than the line, and may break after `-` or `/`.

use super::font::Face;

/// The end of a cut line.
const ELLIPSIS: &str = "…";

/// Characters that never start a line.
fn no_break_before(c: char) -> bool {
    "，。、；：！？）」』】》〉”’％·…,.;:!?)]}%/-".contains(c)
}

/// Characters that never end a line.
fn no_break_after(c: char) -> bool {
    "（「『【《〈“‘([{".contains(c)
}

/// Chinese and other wide scripts: each character may stand alone on a line.
fn is_wide(c: char) -> bool {
    u32::from(c) >= 0x2E80
}

/// Part of a Latin word or number (which is kept whole).
fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !is_wide(c)
}

/// Splits a paragraph into pieces between which a line may break.
pub(crate) fn pieces(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    for c in paragraph.chars() {
        let continues_word = |piece: &String| {
            piece.chars().next_back().is_some_and(|last| is_word_char(last) && !matches!(last, '-' | '/'))
        };
        let joins = !c.is_whitespace()
            && (glue_next
                || no_break_before(c)
                || (is_word_char(c) && out.last().is_some_and(continues_word)));
        match out.last_mut() {
            Some(last) if joins => last.push(c),
            _ => out.push(c.to_string()),
        }
        glue_next = no_break_after(c);
    }
    out
}

/// A line being filled, with its width so far.
struct LineBuf {
    text: String,
    width_mm: f32,
}

impl LineBuf {
    fn new() -> LineBuf {
        LineBuf { text: String::new(), width_mm: 0.0 }
    }

    fn push(&mut self, piece: &str, width_mm: f32) {
        self.text.push_str(piece);
        self.width_mm += width_mm;
    }

    /// Hands the line over (without trailing spaces) and starts afresh.
    fn take(&mut self) -> String {
        let line = self.text.trim_end().to_string();
        *self = LineBuf::new();
        line
    }
}

/// `text` broken into lines no wider than `width_mm`; `\n` breaks a line.
/// Empty text gives no lines.
pub(crate) fn wrap(face: &Face, text: &str, size_pt: f32, width_mm: f32) -> Vec<String> {
    let text = text.trim();
    let mut lines = Vec::new();
    if text.is_empty() {
        return lines;
    }
    for paragraph in text.split('\n') {
        wrap_paragraph(face, paragraph, size_pt, (width_mm, width_mm), &mut lines);
    }
    lines
}

/// One paragraph (no `\n`) broken into lines, the first no wider than
/// `first_mm` (an indented first line), the others no wider than `rest_mm`.
/// Empty text gives one empty line.
pub(crate) fn wrap_indented(
    face: &Face,
    paragraph: &str,
    size_pt: f32,
    first_mm: f32,
    rest_mm: f32,
) -> Vec<String> {
    let mut lines = Vec::new();
    wrap_paragraph(face, paragraph, size_pt, (first_mm, rest_mm), &mut lines);
    lines
}

fn wrap_paragraph(
    face: &Face,
    paragraph: &str,
    size_pt: f32,
    (first_mm, rest_mm): (f32, f32),
    lines: &mut Vec<String>,
) {
    let start = lines.len();
    let width_of = |lines: &Vec<String>| if lines.len() == start { first_mm } else { rest_mm };
    let mut line = LineBuf::new();
    for piece in pieces(paragraph.trim()) {
        let width_mm = width_of(lines);
        let piece_mm = face.width_mm(&piece, size_pt);
        if piece.trim().is_empty() {
            // A space never starts a line; at the end of one it is trimmed.
            if !line.text.is_empty() {
                line.push(&piece, piece_mm);
            }
            continue;
        }
        if line.width_mm + piece_mm <= width_mm {
            line.push(&piece, piece_mm);
            continue;
        }
        if !line.text.is_empty() {
            lines.push(line.take());
        }
        if piece_mm <= width_of(lines) {
            line.push(&piece, piece_mm);
            continue;
        }
        // A word wider than the whole line: break it between characters.
        for c in piece.chars() {
            let c_mm = face.width_mm(c.encode_utf8(&mut [0; 4]), size_pt);
            if line.width_mm + c_mm > width_of(lines) && !line.text.is_empty() {
                lines.push(line.take());
            }
            line.push(c.encode_utf8(&mut [0; 4]), c_mm);
        }
    }
    lines.push(line.take());
}

/// `text` wrapped into as many lines as at `width_mm`, but with the lines as
/// even as possible (`收费金额/` `收费人`, not `收费金额/收费` `人`): for headings.
pub(crate) fn wrap_balanced(face: &Face, text: &str, size_pt: f32, width_mm: f32) -> Vec<String> {
    let lines = wrap(face, text, size_pt, width_mm);
    if lines.len() < 2 {
        return lines;
    }
    // Never narrower than the widest word: `Taken by` is as many lines as
    // `Take` `n by`, but a word is broken only when it alone is too wide.
    let (mut narrow, mut wide) = (widest_word_mm(face, text, size_pt).min(width_mm), width_mm);
    for _ in 0..16 {
        let mid = (narrow + wide) / 2.0;
        if wrap(face, text, size_pt, mid).len() > lines.len() {
            narrow = mid;
        } else {
            wide = mid;
        }
    }
    wrap(face, text, size_pt, wide)
}

/// The smallest type [`word_size_pt`] sets a word in, as a share of the size.
pub(crate) const MIN_WORD_SHARE: f32 = 0.75;

/// The width of the widest piece of `text` that [`wrap`] keeps whole: a
/// Latin word, a number, or one Chinese character.
pub(crate) fn widest_word_mm(face: &Face, text: &str, size_pt: f32) -> f32 {
    pieces(text).iter().map(|piece| face.width_mm(piece.trim(), size_pt)).fold(0.0, f32::max)
}

/// The size at which the widest word of `text` fits `width_mm`: `size_pt`
/// when every word fits, else a little smaller, down to [`MIN_WORD_SHARE`]
/// of it. An English heading such as `Received` in a narrow column is then
/// set smaller instead of broken mid-word; Chinese, which breaks between any
/// two characters, keeps its size. A word that would not fit even at the
/// smallest size keeps `size_pt` and is broken by [`wrap`].
pub(crate) fn word_size_pt(face: &Face, text: &str, size_pt: f32, width_mm: f32) -> f32 {
    size_for_widest(widest_word_mm(face, text, size_pt), size_pt, width_mm)
}

/// The size at which a piece `widest_mm` wide at `size_pt` fits `width_mm`,
/// by the rule of [`word_size_pt`].
pub(crate) fn size_for_widest(widest_mm: f32, size_pt: f32, width_mm: f32) -> f32 {
    // A hair under the exact ratio, so that rounding cannot push the word over.
    let share = width_mm / widest_mm * 0.999;
    if widest_mm > width_mm && share >= MIN_WORD_SHARE { size_pt * share } else { size_pt }
}

/// `text` on one line: as it is if it fits, else cut with `…`.
pub(crate) fn clip(face: &Face, text: &str, size_pt: f32, width_mm: f32) -> String {
    let text = text.trim().replace('\n', " ");
    if face.width_mm(&text, size_pt) <= width_mm {
        return text;
    }
    let room_mm = width_mm - face.width_mm(ELLIPSIS, size_pt);
    let mut out = String::new();
    let mut used_mm = 0.0;
    for c in text.chars() {
        let c_mm = face.width_mm(c.encode_utf8(&mut [0; 4]), size_pt);
        if used_mm + c_mm > room_mm {
            break;
        }
        used_mm += c_mm;
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push_str(ELLIPSIS);
    out
}

/// `text` wrapped into at most `max_lines` lines; what does not fit is cut
/// from the last line with `…`.
pub(crate) fn fit_lines(
    face: &Face,
    text: &str,
    size_pt: f32,
    width_mm: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = wrap(face, text, size_pt, width_mm);
    if lines.len() > max_lines.max(1) {
        let keep = max_lines.max(1);
        let rest = lines.split_off(keep - 1).concat();
        lines.push(clip(face, &format!("{rest}{ELLIPSIS}"), size_pt, width_mm));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::super::font::face;
    use super::*;

    fn width_of(text: &str) -> f32 {
        face().unwrap().width_mm(text, 10.0)
    }

    #[test]
    fn pieces_keep_words_whole_and_punctuation_attached() {
        assert_eq!(pieces("厨房保洁，上门"), ["厨", "房", "保", "洁，", "上", "门"]);
        assert_eq!(pieces("WX-2026-000123"), ["WX-", "2026-", "000123"]);
        assert_eq!(pieces("（急）138****8000"), ["（急）", "138****8000"]);
        assert_eq!(pieces("a b"), ["a", " ", "b"]);
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_character() {
        let face = face().unwrap();
        let text = "厨房水管爆裂，请带 PPR 管件与热熔机上门，住户电话 13912345678 白天无人";
        let width = width_of("厨房水管爆裂请带");
        let lines = wrap(face, text, 10.0, width);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(face.width_mm(line, 10.0) <= width + 1e-3, "{line}");
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        assert!(lines.iter().any(|l| l.contains("13912345678")), "{lines:?}");
    }

    #[test]
    fn an_indented_first_line_is_shorter() {
        let face = face().unwrap();
        let text = "甲乙双方在平等、自愿、协商一致的基础上订立本协议";
        let lines = wrap_indented(face, text, 10.0, width_of("甲乙双方"), width_of("甲乙双方在平等"));
        assert_eq!(lines[0], "甲乙双方");
        assert_eq!(lines[1], "在平等、自愿、");
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken() {
        let face = face().unwrap();
        let lines = wrap(face, "1234567890123", 10.0, width_of("12345"));
        assert_eq!(lines, ["12345", "67890", "123"]);
    }

    #[test]
    fn a_latin_heading_in_a_narrow_cell_breaks_at_a_space() {
        let face = face().unwrap();
        let width = width_of("Collected");
        assert_eq!(wrap(face, "Collected by", 10.0, width), ["Collected", "by"]);
        assert_eq!(wrap(face, "Resident's name", 10.0, width_of("Resident's")), ["Resident's", "name"]);
        assert_eq!(wrap(face, "Cash/card", 10.0, width_of("Cash/c")), ["Cash/", "card"]);
        assert_eq!(word_size_pt(face, "Collected by", 10.0, width), 10.0);
    }

    #[test]
    fn chinese_keeps_its_size_and_breaks_between_characters() {
        let face = face().unwrap();
        let width = width_of("受理");
        assert_eq!(word_size_pt(face, "受理时间", 10.0, width), 10.0);
        assert_eq!(wrap(face, "受理时间", 10.0, width), ["受理", "时间"]);
    }

    #[test]
    fn a_word_a_little_too_wide_is_set_smaller_not_broken() {
        let face = face().unwrap();
        let width = width_of("Receive");
        let size = word_size_pt(face, "Received", 10.0, width);
        assert!((10.0 * MIN_WORD_SHARE..10.0).contains(&size), "{size}");
        assert_eq!(wrap(face, "Received", size, width), ["Received"]);
    }

    #[test]
    fn an_over_long_word_still_fits_by_breaking() {
        let face = face().unwrap();
        let width = width_of("Regi");
        let size = word_size_pt(face, "Registered", 10.0, width);
        assert_eq!(size, 10.0, "shrinking would not save it");
        let lines = wrap(face, "Registered", size, width);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.concat(), "Registered");
        for line in &lines {
            assert!(face.width_mm(line, size) <= width + 1e-3, "{line}");
        }
    }

    #[test]
    fn newlines_break_and_empty_text_has_no_lines() {
        let face = face().unwrap();
        assert_eq!(wrap(face, "孙保洁\n03-02 15:00", 10.0, 100.0), ["孙保洁", "03-02 15:00"]);
        assert!(wrap(face, "  ", 10.0, 100.0).is_empty());
    }

    #[test]
    fn clip_cuts_with_an_ellipsis_only_when_needed() {
        let face = face().unwrap();
        assert_eq!(clip(face, "房号", 10.0, 50.0), "房号");
        let cut = clip(face, "居家维修服务登记表", 10.0, width_of("居家维修"));
        assert!(cut.ends_with('…') && cut.starts_with("居家"), "{cut}");
        assert!(face.width_mm(&cut, 10.0) <= width_of("居家维修") + 1e-3);
    }

    #[test]
    fn balanced_lines_are_even() {
        let face = face().unwrap();
        let width = width_of("受理时");
        assert_eq!(wrap(face, "受理时间", 10.0, width), ["受理时", "间"]);
        assert_eq!(wrap_balanced(face, "受理时间", 10.0, width), ["受理", "时间"]);
        assert_eq!(wrap_balanced(face, "房号", 10.0, width), ["房号"]);
        let width = width_of("Taken by") - 0.1;
        assert_eq!(wrap_balanced(face, "Taken by", 10.0, width), ["Taken", "by"]);
        assert_eq!(
            wrap_balanced(face, "Resident's name", 10.0, width_of("Resident")),
            ["Resident", "'s name"]
        );
    }

    #[test]
    fn fit_lines_caps_the_line_count() {
        let face = face().unwrap();
        let lines = fit_lines(face, &"保洁".repeat(40), 10.0, width_of("保洁保洁"), 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
    }
}

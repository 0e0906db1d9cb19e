//! The one face every PDF uses: the vendored WenQuanYi Micro Hei, parsed once
//! per process and measured from its own advance widths, so that centred and
//! right-aligned text lands where the PDF viewer will draw it.
//!
//! printpdf encodes text glyph by glyph through the face's cmap (no
//! shaping), so the sum of the `hmtx` advances is exactly the drawn width.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use super::PrintError;
use crate::assets::CJK_FONT;

/// What is drawn for a character the face lacks, instead of an empty box.
const MISSING: char = '?';

/// The parsed face and the metrics the layout needs.
#[derive(Debug)]
pub(crate) struct Face {
    parsed: ParsedFont,
    units_per_em: f32,
}

/// The face, parsed on first use (about 10 ms) and kept for the process.
pub(crate) fn face() -> Result<&'static Face, PrintError> {
    static FACE: OnceLock<Option<Face>> = OnceLock::new();
    FACE.get_or_init(Face::parse).as_ref().ok_or(PrintError::Font)
}

impl Face {
    fn parse() -> Option<Face> {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(CJK_FONT, 0, &mut warnings)?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em);
        (units_per_em > 0.0).then_some(Face { parsed, units_per_em })
    }

    pub(crate) fn parsed(&self) -> &ParsedFont {
        &self.parsed
    }

    pub(crate) fn has_glyph(&self, c: char) -> bool {
        self.parsed.lookup_glyph_index(u32::from(c)).is_some_and(|gid| gid != 0)
    }

    /// The advance of `c` in em; a missing glyph measures as its stand-in.
    fn advance_em(&self, c: char) -> f32 {
        let c = if self.has_glyph(c) { c } else { MISSING };
        match self.parsed.lookup_glyph_index(u32::from(c)) {
            Some(gid) => f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em,
            None => 0.5,
        }
    }

    /// The drawn width of `text` at `size_pt`, in millimetres.
    pub(crate) fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let em: f32 = text.chars().map(|c| self.advance_em(c)).sum();
        super::pt_to_mm(em * size_pt)
    }

    /// `text` with every character the face lacks replaced by a stand-in, so
    /// nothing prints as an empty box; control characters are dropped.
    pub(crate) fn printable(&self, text: &str) -> String {
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| if self.has_glyph(c) { c } else { MISSING })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_face_has_cjk_latin_and_the_money_sign() {
        let face = face().unwrap();
        for c in ['房', '号', 'A', '7', '¥', ',', '…', '：'] {
            assert!(face.has_glyph(c), "{c}");
        }
    }

    #[test]
    fn widths_add_up_and_ideographs_are_square() {
        let face = face().unwrap();
        let one = face.width_mm("房", 10.0);
        assert!((one - super::super::pt_to_mm(10.0)).abs() < 0.05, "{one}");
        assert!((face.width_mm("房号", 10.0) - 2.0 * one).abs() < 1e-4);
        assert!(face.width_mm("1", 10.0) < one);
    }

    #[test]
    fn missing_glyphs_become_a_stand_in() {
        let face = face().unwrap();
        assert_eq!(face.printable("a\u{1F600}b\u{7}"), "a?b");
    }
}

//! Marks stamped across part of a page, over what is already printed
//! there: the large 作废 on a voided form (R-SH-6). The mark is drawn in
//! outline, so the form under it can still be read and audited.

use super::Document;
use crate::print::pt_to_mm;

/// The mark's size, as a share of the largest that fits its band.
const MARK_SHARE: f32 = 0.85;
/// Never larger than this, however large the band.
const MARK_MAX_PT: f32 = 140.0;
/// The outline: grey enough that black text under it stands out.
const MARK_GREY: f32 = 0.45;
const MARK_OUTLINE_PT: f32 = 2.0;
/// The angle the mark rises at, from bottom left to top right: the
/// band's diagonal, but never steeper than this.
const MARK_MAX_DEGREES: f32 = 35.0;

impl Document {
    /// Where the next piece goes, in millimetres from the top of the page:
    /// where a form's part starts or ends, to mark it afterwards.
    pub fn cursor_mm(&self) -> f32 {
        self.y_mm
    }

    /// `text` large, in outline, rising across the body from
    /// `top_mm` to `bottom_mm` of the current page, over what is printed
    /// there.
    pub fn mark_across(&mut self, text: &str, (top_mm, bottom_mm): (f32, f32)) {
        let (left, width) = self.body_span_mm();
        let height = bottom_mm - top_mm;
        let em_per_pt = self.face.width_mm(text, 1.0);
        if height <= 0.0 || em_per_pt <= 0.0 {
            return;
        }
        let angle = height.atan2(width).to_degrees().min(MARK_MAX_DEGREES);
        let (cos, sin) = (angle.to_radians().cos(), angle.to_radians().sin());
        // The turned text's box (its width along, one em across) must fit
        // the band both ways.
        let em_mm = pt_to_mm(1.0);
        let across = |w: f32, h: f32| (w * cos + h * sin, w * sin + h * cos);
        let (wide_mm, tall_mm) = across(em_per_pt, em_mm);
        let fits_pt = (width / wide_mm).min(height / tall_mm);
        let size_pt = (fits_pt * MARK_SHARE).min(MARK_MAX_PT);
        let centre = (left + width / 2.0, top_mm + height / 2.0);
        self.page.outlined_text_turned(
            self.face,
            text,
            (size_pt, MARK_OUTLINE_PT),
            centre,
            (angle, MARK_GREY),
        );
    }
}

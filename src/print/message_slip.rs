//! 留言条 with 存根 (R-FU-3): the note staff post on the door when nobody is
//! home at the appointed time, and the stub they hand back to the CS center.
//! Two slips to an A4 sheet, one on each half: the 留言条 on top, a cut line,
//! the 存根 below it; the sheet itself is cut across the middle. An odd count
//! leaves the lower half of the last sheet empty.
//!
//! The slip carries no personal data beyond the room number (R-FU-3): its
//! input has no field for the resident's name or phone, and must not get one.
//!
//! No page header and no 第 N 页: each half is a form of its own, named by
//! its number, and a page number on a resident's door says nothing useful.

use chrono::NaiveDateTime;

use super::document::Half;
use super::grid::{Grid, GridCell};
use super::inline::{Run, template_runs};
use super::when::{date_runs, datetime_blanks, datetime_cell};
use super::{Align, Document, Orientation, PrintError, PrintedPdf, TextStyle};
use crate::domain::Request;
use crate::i18n::{Texts, fill, t};

const TITLE_STYLE: TextStyle = TextStyle::bold(18.0);
const STUB_TITLE_STYLE: TextStyle = TextStyle::bold(14.0);
const NO_STYLE: TextStyle = TextStyle::regular(12.0);
const BODY_STYLE: TextStyle = TextStyle::regular(12.0);
const SMALL_STYLE: TextStyle = TextStyle::regular(8.0);
/// The blanks for a service, a phone, a room number and a name: long
/// enough to write in by hand, and bounded so that a long value cannot push
/// the slip past its half sheet (it is cut with `…`).
const SERVICE_MM: (f32, f32) = (32.0, 60.0);
const PHONE_MM: (f32, f32) = (36.0, 50.0);
const ROOM_MM: (f32, f32) = (45.0, 75.0);
const NAME_MM: (f32, f32) = (32.0, 45.0);
/// The 存根 grid: label and value widths (scaled to the body).
const STUB_LABEL_MM: f32 = 22.0;
const STUB_VALUE_MM: f32 = 68.0;

/// One slip: what the staff member writes on the door, minus the writing.
/// A blank slip for staff to carry has only `no` set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageSlip {
    /// The slip's own serial number, on the slip and its stub.
    pub no: String,
    pub room: String,
    /// When staff came to the door.
    pub visit_at: Option<NaiveDateTime>,
    pub service: String,
    pub staff: String,
}

impl MessageSlip {
    /// The slip for `request`'s visit: its room, appointment and service,
    /// and nothing about who lives there (R-FU-3).
    pub fn for_job(no: impl Into<String>, request: &Request, staff: impl Into<String>) -> MessageSlip {
        MessageSlip {
            no: no.into(),
            room: request.room.clone(),
            visit_at: Some(request.appointment),
            service: request.service.clone(),
            staff: staff.into(),
        }
    }
}

/// Who the slips are from, and when they were printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlipSheet<'a> {
    pub office: &'a str,
    /// The number residents call back (the CS center's).
    pub desk_phone: &'a str,
    pub printed_at: NaiveDateTime,
}

/// The slips, two to a sheet; with none, one blank slip.
pub fn message_slips(sheet: &SlipSheet<'_>, slips: &[MessageSlip]) -> Result<PrintedPdf, PrintError> {
    let t = t();
    let mut doc = Document::bare(Orientation::Portrait, t.form_slip_title, sheet.office, sheet.printed_at)?;
    let blank = [MessageSlip::default()];
    let slips = if slips.is_empty() { &blank[..] } else { slips };
    for (n, pair) in slips.chunks(2).enumerate() {
        if n > 0 {
            doc.new_page();
        }
        doc.enter_half(Half::Upper);
        slip(&mut doc, t, sheet, &pair[0])?;
        if let Some(lower) = pair.get(1) {
            doc.cut_between_halves(t.form_cut_here);
            doc.enter_half(Half::Lower);
            slip(&mut doc, t, sheet, lower)?;
        }
    }
    Ok(doc.finish())
}

/// One half sheet: the note for the door, the cut, the stub.
fn slip(doc: &mut Document, t: &Texts, sheet: &SlipSheet<'_>, slip: &MessageSlip) -> Result<(), PrintError> {
    note(doc, t, sheet, slip);
    doc.cut_line(t.form_cut_here);
    stub(doc, t, sheet, slip)
}

/// `房号：` and the like.
fn label(t: &Texts, word: &str) -> String {
    fill(t.form_label, &[("label", &word)])
}

/// The part posted on the door.
fn note(doc: &mut Document, t: &Texts, sheet: &SlipSheet<'_>, slip: &MessageSlip) {
    let no = fill(t.form_no, &[("no", &slip.no)]);
    doc.spread_line(&[(t.form_slip_title, TITLE_STYLE, Align::Centre), (&no, NO_STYLE, Align::Right)]);
    doc.gap(2.0);
    doc.paragraph(t.form_slip_greeting, BODY_STYLE, Align::Left);
    doc.inline(&sentence(t, sheet, slip), BODY_STYLE, Align::Left);
    doc.gap(2.0);
    let who = vec![
        Run::text(label(t, t.col_room)),
        Run::blank_up_to(&slip.room, ROOM_MM.0, ROOM_MM.1),
        Run::text("　　　　"),
        Run::text(label(t, t.col_staff)),
        Run::blank_up_to(&slip.staff, NAME_MM.0, NAME_MM.1),
    ];
    doc.inline(&who, BODY_STYLE, Align::Left);
    doc.gap(2.0);
    // One line each, cut if need be: the half sheet has no room to spare.
    doc.spread_line(&[(sheet.office, BODY_STYLE, Align::Right)]);
    let phone = format!("{}{}", label(t, t.office_phone), sheet.desk_phone);
    doc.spread_line(&[(&phone, BODY_STYLE, Align::Right)]);
    doc.inline(&date_runs(slip.visit_at.map(|at| at.date())), BODY_STYLE, Align::Right);
}

/// 我们于 ____年__月__日 __:__ 按约定上门为您提供 ______ 服务 … 致电 ______ …
fn sentence(t: &Texts, sheet: &SlipSheet<'_>, slip: &MessageSlip) -> Vec<Run> {
    let mut blanks = datetime_blanks(slip.visit_at);
    blanks.push(("service", Run::blank_up_to(&slip.service, SERVICE_MM.0, SERVICE_MM.1)));
    blanks.push(("phone", Run::blank_up_to(sheet.desk_phone, PHONE_MM.0, PHONE_MM.1)));
    template_runs(t.form_slip_sentence, &blanks)
}

/// The part handed back to the CS center: the same number and visit, and
/// room for who took it back and when.
fn stub(doc: &mut Document, t: &Texts, sheet: &SlipSheet<'_>, slip: &MessageSlip) -> Result<(), PrintError> {
    let no = fill(t.form_no, &[("no", &slip.no)]);
    doc.spread_line(&[
        (t.form_slip_stub_note, SMALL_STYLE, Align::Left),
        (t.form_slip_stub_title, STUB_TITLE_STYLE, Align::Centre),
        (&no, NO_STYLE, Align::Right),
    ]);
    doc.gap(1.5);
    let row = |a: &str, b: GridCell, c: &str, d: GridCell| {
        vec![GridCell::label(a, STUB_LABEL_MM), b, GridCell::label(c, STUB_LABEL_MM), d]
    };
    let text = |value: &str| GridCell::value(value, STUB_VALUE_MM);
    let when = |at| datetime_cell(at, STUB_VALUE_MM);
    let mut grid = Grid::new(vec![
        row(t.col_room, text(&slip.room), t.form_visit_at, when(slip.visit_at)),
        row(t.col_service, text(&slip.service), t.col_staff, text(&slip.staff)),
        row(t.form_returned_at, when(None), t.form_receiver, text("")),
    ]);
    grid.max_lines = 2;
    doc.grid(&grid)?;
    let printed = fill(t.print_printed_at, &[("at", &sheet.printed_at.format("%Y-%m-%d %H:%M"))]);
    doc.gap(1.0);
    doc.paragraph(&printed, SMALL_STYLE, Align::Right);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::font::face;

    #[test]
    fn every_word_of_the_slip_is_in_the_face() {
        let face = face().unwrap();
        let t = t();
        for text in [
            t.form_slip_title,
            t.form_slip_greeting,
            t.form_slip_sentence,
            t.form_slip_stub_title,
            t.form_slip_stub_note,
            t.form_cut_here,
            t.form_visit_at,
            t.form_returned_at,
            t.form_receiver,
            t.form_no,
            t.form_label,
            t.form_date,
            t.form_datetime,
        ] {
            let text = text.replace(['{', '}'], "");
            assert!(text.chars().all(|c| c.is_whitespace() || face.has_glyph(c)), "{text}");
        }
    }
}

//! The 登记 tab: the three registers (家政 / 维修 / 报警) and the refusals,
//! each a virtualised table of every row (newest first) with search as you
//! type, filters and sortable columns; a row's detail with its history; the
//! new-row and refusal forms.
//!
//! The table keeps only the matching ids; visible rows are fetched a page at
//! a time and kept until the data or the filter changes. A search on a
//! server may first answer with its first rows and its count, the rest of
//! the ids following (`row_query`): the table is as long as the count from
//! the start, its rows past the first drawn when their ids are there.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDate;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Sense};
use egui_extras::{Column, TableBuilder};
use serde::{Deserialize, Serialize};

use super::export_job::{ExportOrder, Exporter};
use super::intake_form::{CorrectionForm, FormOutcome, IntakeForm, RefusalForm};
use super::print_job::Printer;
use super::row_query::{Answer, RowQuery};
use super::widgets::{
    choice_combo, clip_cells, close_saved_in, date_filter_ui, full_phones_ui, list_phone,
    nested_central_panel, nested_side_panel, rows_count_text, table_time,
};
use super::{DataStamp, TabCtx};
use crate::domain::{
    Entity, HistoryEntry, PriceItem, Refusal, RegisterKind, Request, RequestId, RequestStatus, RoomNo, Staff,
    StaffId, parse_date,
};
use crate::i18n::{fill, t};
use crate::print::PhoneDisplay;
use crate::store::{Location, RequestQuery, SortColumn, Store};

/// Which list the tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum View {
    #[default]
    Housekeeping,
    Repair,
    Alarm,
    Refusals,
}

impl View {
    fn kind(self) -> Option<RegisterKind> {
        match self {
            View::Housekeeping => Some(RegisterKind::Housekeeping),
            View::Repair => Some(RegisterKind::Repair),
            View::Alarm => Some(RegisterKind::Alarm),
            View::Refusals => None,
        }
    }

    fn of(kind: RegisterKind) -> View {
        match kind {
            RegisterKind::Housekeeping => View::Housekeeping,
            RegisterKind::Repair => View::Repair,
            RegisterKind::Alarm => View::Alarm,
        }
    }
}

/// One register's filters, as typed; remembered between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    pub text: String,
    pub status: Option<RequestStatus>,
    pub from: String,
    pub to: String,
    pub staff: Option<StaffId>,
    pub sort: SortColumn,
    pub ascending: bool,
}

impl Filters {
    /// The query these filters mean; a half-typed date is ignored until valid.
    fn query(&self, kind: RegisterKind) -> RequestQuery {
        // A whole room (`3-2-201` or `3栋2单元201`) finds that household's rows only.
        let (room, text) = match RoomNo::parse(&self.text) {
            Ok(room) => (Some(room.to_string()), String::new()),
            Err(_) => (None, self.text.clone()),
        };
        RequestQuery {
            kind: Some(kind),
            text,
            room,
            status: self.status,
            from: parse_date(&self.from),
            to: parse_date(&self.to),
            staff: self.staff,
            sort: self.sort,
            descending: !self.ascending,
        }
    }

    fn bad_date(&self) -> bool {
        let bad = |s: &str| !s.trim().is_empty() && parse_date(s).is_none();
        bad(&self.from) || bad(&self.to)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RegisterPrefs {
    pub view: Option<View>,
    pub filters: [Filters; 3],
}

const PAGE_ROWS: usize = 64;
const ROW_HEIGHT: f32 = 24.0;

/// The rows matching the current query: ids in order (from the reader
/// thread), pages of rows fetched on demand from the ids.
#[derive(Default)]
struct RowCache {
    query: Option<RequestQuery>,
    stamp: DataStamp,
    worker: Option<RowQuery>,
    ids: Vec<RequestId>,
    /// How many rows match: `ids.len()`, or more while only the first ids
    /// of a search are there.
    total: usize,
    /// `total` is a bound, not a count (`RequestPage::at_most`), until the
    /// whole list comes.
    at_most: bool,
    pages: HashMap<usize, Vec<Request>>,
    error: Option<String>,
    /// A new filter, search or sort was asked for: its answer is shown from
    /// the top (issue 19: the newest rows were left above the visible part).
    new_query: bool,
    /// The answer to a new query arrived: the table scrolls to its top once.
    to_top: bool,
    view: ViewTrack,
}

/// Where the table's view starts, this frame and the last, and whether the
/// clerk is dragging (the scroll bar, mostly).
#[derive(Default)]
struct ViewTrack {
    last_first: Option<usize>,
    this_first: Option<usize>,
    dragging: bool,
    /// This frame's rows are passed through, not fetched.
    passing: bool,
}

/// Pages kept around the view; farther ones are dropped once there are more.
const PAGES_KEPT: usize = 16;

/// How long a frame waits for a query before drawing the previous result.
const QUERY_WAIT: Duration = Duration::from_millis(30);

impl RowCache {
    /// Asks again when the query or the data changed; takes the answer when it is there.
    fn refresh(&mut self, ctx: &egui::Context, location: &Location, query: &RequestQuery, stamp: DataStamp) {
        let worker = self.worker.get_or_insert_with(|| RowQuery::start(location.clone(), ctx.clone()));
        if self.query.as_ref() != Some(query) || self.stamp != stamp {
            // Only the clerk's new question moves the view; another desk's
            // write (a new stamp) leaves the table where the clerk was.
            self.new_query |= self.query.as_ref() != Some(query);
            self.query = Some(query.clone());
            self.stamp = stamp;
            worker.ask(query.clone());
        }
        match worker.poll(QUERY_WAIT) {
            Some(Ok(answer)) => self.take(answer),
            Some(Err(message)) => {
                self.ids.clear();
                self.total = 0;
                self.at_most = false;
                self.pages.clear();
                self.error = Some(message);
            }
            None => {}
        }
    }

    /// Takes an answer: the rows of a new query, or the rest of the ids of
    /// the one whose first rows are shown (the pages already fetched of
    /// those are kept; the view stays where the clerk scrolled it).
    fn take(&mut self, Answer { page, rest }: Answer) {
        if rest && page.ids.starts_with(&self.ids) {
            let known = self.ids.len();
            self.pages.retain(|p, _| (p + 1) * PAGE_ROWS <= known);
        } else {
            self.pages.clear();
            self.to_top = std::mem::take(&mut self.new_query);
        }
        self.total = page.total.max(page.ids.len());
        self.at_most = page.at_most;
        self.ids = page.ids;
        self.error = None;
    }

    fn waiting(&self) -> bool {
        self.worker.as_ref().is_some_and(RowQuery::waiting)
    }

    /// The count as the clerk reads it: a bound is said to be one.
    fn count_text(&self) -> String {
        rows_count_text(self.total, self.at_most)
    }

    /// How long the answer has been waited for; `None` when none is.
    fn waited(&self) -> Option<Duration> {
        self.worker.as_ref().and_then(RowQuery::waited)
    }

    /// Before the table is drawn: `dragging` when the pointer's button is down.
    fn begin_frame(&mut self, dragging: bool) {
        self.view.last_first = self.view.this_first.take().or(self.view.last_first);
        self.view.dragging = dragging;
        self.view.passing = false;
    }

    /// Whether the rows of this frame were passed through unfetched: the
    /// table then asks for another frame, which fetches them if the view
    /// stayed.
    fn passing(&self) -> bool {
        self.view.passing
    }

    /// The row at `index`, its page fetched by `fetch` if need be. A drag
    /// that moved the view more than a page since the last frame is passing
    /// through: its rows are drawn empty and nothing is fetched, so that
    /// dragging the scroll bar from 2026 to 2016 fetches the pages where the
    /// view comes to rest, not every page on the way (issue 23: the rows
    /// came progressively, 1.6 s to reach 2016, each frame waiting for the
    /// pages of a place already left).
    fn row(&mut self, index: usize, fetch: &mut dyn FnMut(&[RequestId]) -> Vec<Request>) -> Option<&Request> {
        if self.view.this_first.is_none() {
            self.view.this_first = Some(index);
            let moved_far = self.view.last_first.is_none_or(|last| last.abs_diff(index) > PAGE_ROWS);
            self.view.passing = self.view.dragging && moved_far;
        }
        let page = index / PAGE_ROWS;
        if !self.pages.contains_key(&page) {
            // Rows whose ids are still to come are drawn empty.
            if self.view.passing || index >= self.ids.len() {
                return None;
            }
            let start = page * PAGE_ROWS;
            let end = (start + PAGE_ROWS).min(self.ids.len());
            let rows = fetch(&self.ids[start..end]);
            self.forget_far_pages(page);
            self.pages.insert(page, rows);
        }
        self.pages.get(&page).and_then(|rows| rows.get(index % PAGE_ROWS))
    }

    /// Keeps the pages near `page` once more than [`PAGES_KEPT`] are held.
    fn forget_far_pages(&mut self, page: usize) {
        if self.pages.len() >= PAGES_KEPT {
            self.pages.retain(|kept, _| kept.abs_diff(page) < PAGES_KEPT / 2);
        }
    }
}

/// How long an answer is waited for before the spinner shows.
const SPINNER_AFTER: Duration = Duration::from_millis(250);

/// A spinner once an answer has been waited for [`SPINNER_AFTER`]; before
/// that, a frame when it is due. Until then no frames are asked for: the
/// reader thread asks for one when its answer is there. (A spinner asks for
/// a frame as soon as one is painted: on a PC with software OpenGL each of
/// those paintings took the CPU from the query and, if the answer came
/// during one, delayed it by up to a painting; issue 23.)
fn spinner_after_a_while(ui: &mut egui::Ui, waited: Option<Duration>) {
    match waited.map(|waited| SPINNER_AFTER.checked_sub(waited)) {
        None => {}
        Some(Some(left)) if !left.is_zero() => ui.ctx().request_repaint_after(left),
        Some(_) => {
            ui.spinner();
        }
    }
}

/// Reference lists the forms and filters need, reloaded when data changes.
#[derive(Default)]
struct Lists {
    stamp: Option<DataStamp>,
    staff: Vec<Staff>,
    staff_ids: Vec<StaffId>,
    staff_names: HashMap<StaffId, String>,
    prices: Vec<PriceItem>,
    refusals: Vec<Refusal>,
}

impl Lists {
    fn refresh(&mut self, store: &Store, stamp: DataStamp) {
        if self.stamp == Some(stamp) {
            return;
        }
        self.stamp = Some(stamp);
        self.staff = store.list_staff().unwrap_or_default();
        self.staff_ids = self.staff.iter().map(|s| s.id).collect();
        self.staff_names = self.staff.iter().map(|s| (s.id, s.name.clone())).collect();
        self.prices = store.list_price_items().unwrap_or_default();
        self.refusals = store.list_refusals(10_000).unwrap_or_default();
    }
}

/// The selected row, with its history, loaded once per selection and change.
struct Detail {
    id: RequestId,
    stamp: DataStamp,
    request: Option<Request>,
    history: Vec<HistoryEntry>,
}

#[derive(Default)]
pub struct RegisterTab {
    view: View,
    filters: [Filters; 3],
    rows: RowCache,
    lists: Lists,
    selected: Option<RequestId>,
    detail: Option<Detail>,
    intake: Option<IntakeForm>,
    refusal: Option<RefusalForm>,
    correction: Option<CorrectionForm>,
    printer: Printer,
    print_request: Option<(RegisterKind, NaiveDate, NaiveDate)>,
    exporter: Exporter,
    export_order: Option<ExportOrder>,
    scroll_to_selected: bool,
    /// Phones in full in the lists (this session only; masked by default).
    full_phones: bool,
}

const NEW_ROW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);

impl RegisterTab {
    pub fn new(prefs: &RegisterPrefs) -> RegisterTab {
        RegisterTab {
            view: prefs.view.unwrap_or_default(),
            filters: prefs.filters.clone(),
            ..RegisterTab::default()
        }
    }

    pub fn prefs(&self) -> RegisterPrefs {
        RegisterPrefs { view: Some(self.view), filters: self.filters.clone() }
    }

    /// Opens the register this desk owns (R-DESK-1/2) unless one was remembered.
    pub fn on_sign_in(&mut self, user: &crate::domain::User) {
        if self.view.kind().is_some_and(|k| k.owner() != user.desk) {
            self.view = match user.desk {
                crate::domain::Desk::CsCenter => View::Housekeeping,
                crate::domain::Desk::ControlCenter => View::Repair,
            };
        }
    }

    /// For the real-window probe: the rows and search text on screen, once
    /// the rows answer the filters as typed and their first page is drawn —
    /// a server's first answer (its first rows and count) too, the whole
    /// list still to come for the scroll bar's far end (what the clerk
    /// reads is on screen then).
    #[cfg(feature = "probe")]
    pub(super) fn shown(&self) -> Option<(usize, String)> {
        let kind = self.view.kind()?;
        let filters = &self.filters[Self::filter_index(kind)];
        let answered = self.rows.query.as_ref() == Some(&filters.query(kind)) && self.rows.waited().is_none();
        let drawn = self.rows.total == 0 || !self.rows.pages.is_empty();
        (answered && drawn).then(|| (self.rows.total, filters.text.clone()))
    }

    /// Closes the form whose save ran in the pass `pass` (its `COMMIT`
    /// went unanswered and proved saved once connected again): whether one
    /// did. The row selected, the other forms and the lists stay.
    pub fn close_form_saved_in(&mut self, pass: u64) -> bool {
        close_saved_in(&mut self.intake, pass)
            | close_saved_in(&mut self.refusal, pass)
            | close_saved_in(&mut self.correction, pass)
    }

    /// Whether a modal form is open (shortcuts then belong to the form).
    fn form_open(&self) -> bool {
        self.intake.is_some() || self.refusal.is_some() || self.correction.is_some()
    }

    fn filter_index(kind: RegisterKind) -> usize {
        match kind {
            RegisterKind::Housekeeping => 0,
            RegisterKind::Repair => 1,
            RegisterKind::Alarm => 2,
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        self.lists.refresh(tab.desk.store(), tab.stamp);
        self.print_ui(ui.ctx(), tab);
        self.view_picker_ui(ui);
        ui.separator();
        match self.view.kind() {
            Some(kind) => self.register_ui(ui, tab, kind),
            None => self.refusals_ui(ui),
        }
        self.forms_ui(ui.ctx(), tab);
    }

    fn view_picker_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        let before = self.view;
        ui.horizontal_wrapped(|ui| {
            for kind in RegisterKind::ALL {
                ui.selectable_value(
                    &mut self.view,
                    View::of(*kind),
                    RichText::new(t.register_title(*kind)).size(15.0),
                );
            }
            ui.selectable_value(&mut self.view, View::Refusals, RichText::new(t.refusals).size(15.0));
        });
        if self.view != before {
            self.selected = None;
        }
    }

    fn register_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>, kind: RegisterKind) {
        let index = Self::filter_index(kind);
        let may_take = kind.owner() == tab.user.desk || kind == RegisterKind::Repair;
        if !self.form_open() && ui.input_mut(|i| i.consume_shortcut(&NEW_ROW)) && may_take {
            self.intake = Some(IntakeForm::new(kind, tab.user.desk, tab.desk.now()));
        }
        self.filters_ui(ui, tab, kind);
        let query = self.filters[index].query(kind);
        self.rows.refresh(ui.ctx(), &tab.desk.location(), &query, tab.stamp);
        // After the answer: the count and the spinner of this very frame
        // (issue 23: drawn before it, they were a frame late, and that frame
        // was one more painting on a PC with software OpenGL).
        self.actions_ui(ui, tab, kind, may_take);
        if self.selected.is_some() {
            nested_side_panel(egui::Panel::right("request_detail")).default_size(340.0).resizable(true).show(
                ui,
                |ui| {
                    self.detail_ui(ui, tab);
                },
            );
        }
        let today = tab.desk.now().date();
        nested_central_panel().show(ui, |ui| self.table_ui(ui, tab.desk.store(), kind, today));
    }

    /// The search box and the filters: the question the table asks.
    fn filters_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>, kind: RegisterKind) {
        let t = t();
        let form_open = self.form_open();
        let (staff, names) = (&self.lists.staff_ids, &self.lists.staff_names);
        let filters = &mut self.filters[Self::filter_index(kind)];
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t.search);
            let search = ui
                .add(
                    egui::TextEdit::singleline(&mut filters.text)
                        .hint_text(t.search_hint)
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
            if !form_open && ui.input_mut(|i| i.consume_shortcut(&FIND)) {
                search.request_focus();
            }
            let label = ui.label(t.filter_status);
            choice_combo(ui, "status_filter", &mut filters.status, RequestStatus::ALL, t.filter_all, |s| {
                t.status(s).to_string()
            })
            .labelled_by(label.id);
            if filters.status.is_some() && super::widgets::close_button(ui, t.clear_filters).clicked() {
                filters.status = None;
            }
            date_filter_ui(ui, t.filter_from, &mut filters.from);
            date_filter_ui(ui, t.filter_to, &mut filters.to);
            let label = ui.label(t.filter_staff);
            choice_combo(ui, "staff_filter", &mut filters.staff, staff, t.filter_all, |id| {
                names.get(&id).cloned().unwrap_or_default()
            })
            .labelled_by(label.id);
            if ui.button(t.clear_filters).clicked() {
                *filters = Filters { sort: filters.sort, ascending: filters.ascending, ..Filters::default() };
            }
            full_phones_ui(ui, tab.user, &mut self.full_phones);
            if filters.bad_date() {
                ui.label(RichText::new(t.bad_date_filter).color(ui.visuals().error_fg_color));
            }
        });
    }

    /// The buttons, the count of the answer and its spinner.
    fn actions_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>, kind: RegisterKind, may_take: bool) {
        let t = t();
        ui.horizontal(|ui| {
            let new_row = ui.add_enabled(may_take, egui::Button::new(RichText::new(t.new_request).strong()));
            let new_row = if may_take {
                new_row
            } else {
                new_row.on_disabled_hover_text(fill(
                    t.desk_cannot_take,
                    &[("desk", &t.desk(tab.user.desk)), ("register", &t.kind(kind))],
                ))
            };
            if new_row.clicked() {
                self.intake = Some(IntakeForm::new(kind, tab.user.desk, tab.desk.now()));
            }
            if ui.button(t.new_refusal).clicked() {
                self.refusal = Some(RefusalForm::new(Some(kind)));
            }
            self.print_button_ui(ui, tab, kind);
            self.export_button_ui(ui, kind);
            ui.label(self.rows.count_text());
            spinner_after_a_while(ui, self.rows.waited());
            if let Some(error) = &self.rows.error {
                ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
            }
        });
    }

    /// Asks for the register of the filter's days (today when none is
    /// typed); it is printed on a worker thread after this frame.
    fn print_button_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>, kind: RegisterKind) {
        let t = t();
        if self.printer.busy() {
            ui.add_enabled(false, egui::Button::new(t.printing));
            ui.spinner();
            return;
        }
        if !ui.button(t.print_register_button).clicked() {
            return;
        }
        let filters = &self.filters[Self::filter_index(kind)];
        let today = tab.desk.now().date();
        let from = parse_date(&filters.from).unwrap_or(today);
        let to = parse_date(&filters.to).unwrap_or(from.max(today));
        self.print_request = Some((kind, from, to));
    }

    /// Asks for the register as the table shows it, with its filters and
    /// sort; it is exported on a worker thread after this frame.
    fn export_button_ui(&mut self, ui: &mut egui::Ui, kind: RegisterKind) {
        if !self.exporter.button_ui(ui) {
            return;
        }
        let filters = &self.filters[Self::filter_index(kind)];
        let label = match (parse_date(&filters.from), parse_date(&filters.to)) {
            (Some(from), Some(to)) if from == to => from.to_string(),
            (Some(from), Some(to)) => format!("{from}_{to}"),
            (Some(from), None) => from.to_string(),
            (None, Some(to)) => to.to_string(),
            (None, None) => t().filter_all.to_string(),
        };
        self.export_order = Some(ExportOrder::Register(kind, filters.query(kind), label));
    }

    /// Starts the print asked for this frame, and hands a finished one on.
    fn print_ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) {
        self.printer.poll(tab);
        self.exporter.poll(tab);
        if let Some(order) = self.export_order.take() {
            self.exporter.export(tab, ctx, order);
        }
        let Some((kind, from, to)) = self.print_request.take() else { return };
        let name = if from == to {
            format!("{}-{from}", kind.prefix())
        } else {
            format!("{}-{from}_{to}", kind.prefix())
        };
        self.printer.start(tab, ctx, &name, move |r| r.print_register(kind, from, to, PhoneDisplay::Masked));
    }

    /// Title, sort key and initial width of each column (widths are then the clerk's).
    fn columns(kind: RegisterKind) -> Vec<(&'static str, Option<SortColumn>, f32)> {
        let t = t();
        let mut columns = vec![
            (t.col_no, Some(SortColumn::No), 118.0),
            // Wide enough for a past year's `2016-03-05 09:12`.
            (t.col_received_at, Some(SortColumn::ReceivedAt), 116.0),
            (t.col_received_by, None, 52.0),
            (t.col_room, Some(SortColumn::Room), 100.0),
            (t.col_resident, Some(SortColumn::Resident), 52.0),
            (t.col_phone, None, 94.0),
            (t.col_service, Some(SortColumn::Service), 100.0),
        ];
        match kind {
            RegisterKind::Repair => columns.push((t.col_urgency, None, 56.0)),
            RegisterKind::Alarm => columns.push((t.col_alarm_work, None, 48.0)),
            RegisterKind::Housekeeping => {}
        }
        columns.extend([
            (t.col_appointment, Some(SortColumn::Appointment), 116.0),
            (t.col_staff, Some(SortColumn::Staff), 56.0),
            (t.col_price, Some(SortColumn::Price), 72.0),
            (t.col_status, Some(SortColumn::Status), 52.0),
            (t.col_details, None, 200.0),
        ]);
        // English titles and statuses run longer than the Chinese these
        // widths were set for (issue 22): wide enough for them to read whole.
        let latin_px = |text: &str| text.chars().filter(char::is_ascii).count() as f32 * 7.0;
        let status_px = RequestStatus::ALL.iter().map(|s| latin_px(t.status(*s))).fold(0.0, f32::max);
        columns
            .into_iter()
            .map(|(title, sort, width): (&'static str, Option<SortColumn>, f32)| {
                let cells = if title == t.col_status { status_px } else { 0.0 };
                (title, sort, width.max(latin_px(title) + 14.0).max(cells))
            })
            .collect()
    }

    fn cells(kind: RegisterKind, r: &Request, full_phones: bool, today: NaiveDate) -> Vec<String> {
        let t = t();
        let mut cells = vec![
            r.no.to_string(),
            table_time(r.received_at, today),
            r.received_by.clone(),
            r.room.clone(),
            r.resident_name.clone(),
            list_phone(&r.phone, full_phones),
            r.service.clone(),
        ];
        match kind {
            RegisterKind::Repair => cells.push(r.urgency.map(|u| t.urgency(u)).unwrap_or("").into()),
            RegisterKind::Alarm => cells.push(r.alarm_work.map(|a| t.alarm_work(a)).unwrap_or("").into()),
            RegisterKind::Housekeeping => {}
        }
        cells.extend([
            table_time(r.appointment, today),
            r.assigned_staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default(),
            r.price.map(|p| p.to_string()).unwrap_or_default(),
            t.status(r.status).to_string(),
            r.details.clone(),
        ]);
        cells
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, store: &Store, kind: RegisterKind, today: NaiveDate) {
        let t = t();
        let columns = Self::columns(kind);
        let filters = &mut self.filters[Self::filter_index(kind)];
        let dragging = ui.input(|i| i.pointer.primary_down());
        let mut table = TableBuilder::new(ui)
            .id_salt(("register_table", kind.code()))
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        // Set widths, not fitted to the rows: on a large register the first
        // frame comes before the rows do, and fitted columns then stayed as
        // narrow as their titles (`JZ-20…`).
        // The cells are not clipped: their labels are truncated to the
        // column's width anyway, and a clip rectangle of each cell's own made
        // each of a frame's ~400 cells a mesh and a draw call of its own. On
        // software OpenGL (llvmpipe) that halved the painting of a register
        // frame (23 → 11 ms) and its CPU (27 → 17 ms a frame); a column is
        // then no narrower than its title (issue 23, docs/PERFORMANCE.md).
        for (i, (_, _, width)) in columns.iter().enumerate() {
            let column = if i + 1 == columns.len() {
                Column::remainder()
            } else {
                Column::initial(*width).at_least(48.0)
            };
            table = table.column(column.clip(clip_cells()));
        }
        // A new row shows once the reader thread has the ids that include it.
        if self.scroll_to_selected && !self.rows.waiting() {
            if let Some(pos) = self.selected.and_then(|id| self.rows.ids.iter().position(|i| *i == id)) {
                table = table.scroll_to_row(pos, Some(egui::Align::Center));
            }
            self.scroll_to_selected = false;
        } else if std::mem::take(&mut self.rows.to_top) {
            table = table.vertical_scroll_offset(0.0);
        }
        let rows = &mut self.rows;
        rows.begin_frame(dragging);
        let mut fetch = |ids: &[RequestId]| store.get_requests(ids).unwrap_or_default();
        let selected = &mut self.selected;
        let full_phones = self.full_phones;
        table
            .header(26.0, |mut header| {
                for (title, sort, _) in &columns {
                    header.col(|ui| {
                        let Some(sort) = sort else {
                            ui.strong(*title);
                            return;
                        };
                        let arrow = match (filters.sort == *sort, filters.ascending) {
                            (true, true) => " ▲",
                            (true, false) => " ▼",
                            _ => "",
                        };
                        if ui
                            .add(
                                egui::Button::new(RichText::new(format!("{title}{arrow}")).strong())
                                    .frame(false),
                            )
                            .clicked()
                        {
                            filters.ascending = filters.sort == *sort && !filters.ascending;
                            filters.sort = *sort;
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.total, |mut row| {
                    let Some(request) = rows.row(row.index(), &mut fetch).cloned() else {
                        return;
                    };
                    row.set_selected(*selected == Some(request.id));
                    for (cell, (_, sort, _)) in
                        Self::cells(kind, &request, full_phones, today).into_iter().zip(&columns)
                    {
                        row.col(|ui| {
                            // Money reads right-aligned, as on the paper ledger.
                            if *sort == Some(SortColumn::Price) {
                                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                                    ui.add(egui::Label::new(cell).selectable(false));
                                });
                            } else {
                                ui.add(egui::Label::new(cell).truncate().selectable(false));
                            }
                        });
                    }
                    if row.response().clicked() {
                        *selected = Some(request.id);
                    }
                });
            });
        if self.rows.passing() {
            ui.ctx().request_repaint();
        }
        if self.rows.total == 0 && self.rows.error.is_none() && !self.rows.waiting() {
            ui.label(RichText::new(t.no_rows).weak());
        }
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>) {
        let t = t();
        let Some(id) = self.selected else { return };
        let stale = self.detail.as_ref().is_none_or(|d| d.id != id || d.stamp != tab.stamp);
        if stale {
            let store = tab.desk.store();
            let request = store.get_request(id).ok();
            self.detail = Some(Detail {
                id,
                stamp: tab.stamp,
                request,
                history: store.history_of(Entity::Request, id).unwrap_or_default(),
            });
        }
        let Some(detail) = &self.detail else { return };
        ui.horizontal(|ui| {
            ui.heading(t.detail_title);
            if super::widgets::close_button(ui, t.close).clicked() {
                self.selected = None;
            }
        });
        let Some(request) = &detail.request else { return };
        let closed = matches!(request.status, RequestStatus::Settled | RequestStatus::Cancelled);
        if ui
            .add_enabled(!closed, egui::Button::new(t.correct))
            .on_disabled_hover_text(t.err_row_closed)
            .clicked()
        {
            self.correction = Some(CorrectionForm::new(request));
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            request_fields_ui(ui, request);
            ui.separator();
            ui.heading(t.history_title);
            history_ui(ui, &detail.history);
        });
    }

    fn refusals_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        let full_phones = self.full_phones;
        ui.horizontal(|ui| {
            if ui.button(t.new_refusal).clicked() {
                self.refusal = Some(RefusalForm::new(None));
            }
            ui.label(fill(t.rows_count, &[("n", &self.lists.refusals.len())]));
        });
        let refusals = &self.lists.refusals;
        let headers = [
            t.col_received_at,
            t.col_desk,
            t.col_received_by,
            t.col_room,
            t.col_resident,
            t.col_phone,
            t.field_asked_for,
            t.col_reason,
        ];
        let mut table = TableBuilder::new(ui).id_salt("refusals_table").striped(true).resizable(true);
        for i in 0..headers.len() {
            table = table.column(
                if i + 1 == headers.len() { Column::remainder() } else { Column::auto().at_least(60.0) }
                    .clip(clip_cells()),
            );
        }
        table
            .header(26.0, |mut header| {
                for title in headers {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, refusals.len(), |mut row| {
                    let r = &refusals[row.index()];
                    let cells = [
                        r.at.format("%Y-%m-%d %H:%M").to_string(),
                        t.desk(r.desk).to_string(),
                        r.by.clone(),
                        r.room.clone(),
                        r.resident_name.clone(),
                        list_phone(&r.phone, full_phones),
                        r.asked_for.clone(),
                        r.reason.clone(),
                    ];
                    for cell in cells {
                        row.col(|ui| {
                            ui.add(egui::Label::new(cell).truncate());
                        });
                    }
                });
            });
    }

    fn forms_ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) {
        if let Some(form) = &mut self.intake {
            match form.ui(ctx, tab, &self.lists.prices, &self.lists.staff) {
                FormOutcome::Open => {}
                FormOutcome::Cancelled => self.intake = None,
                FormOutcome::Saved { id, kind } => {
                    self.intake = None;
                    self.view = View::of(kind);
                    self.selected = Some(id);
                    self.scroll_to_selected = true;
                }
            }
        }
        if let Some(form) = &mut self.refusal
            && form.ui(ctx, tab).is_some()
        {
            self.refusal = None;
        }
        if let Some(form) = &mut self.correction
            && form.ui(ctx, tab).is_some()
        {
            self.correction = None;
        }
    }
}

/// The row's fields as a two-column grid.
fn request_fields_ui(ui: &mut egui::Ui, r: &Request) {
    let t = t();
    let mut rows: Vec<(&str, String)> = vec![
        (t.col_no, r.no.to_string()),
        (t.col_received_at, r.received_at.format("%Y-%m-%d %H:%M").to_string()),
        (t.col_received_by, format!("{}（{}）", r.received_by, t.desk(r.desk))),
        (t.col_room, r.room.clone()),
        (t.col_resident, r.resident_name.clone()),
        (t.col_phone, r.phone.clone()),
        (t.col_service, r.service.clone()),
        (t.col_details, r.details.clone()),
        (t.col_appointment, r.appointment.format("%Y-%m-%d %H:%M").to_string()),
        (t.col_staff, r.assigned_staff.as_ref().map(|(_, n)| n.clone()).unwrap_or_default()),
        (
            t.col_price,
            r.price.map(|p| format!("{p}（{}）", crate::i18n::amount_words(p))).unwrap_or_default(),
        ),
        (t.field_price_agreed, if r.price_agreed { t.yes } else { t.no }.to_string()),
        (t.col_status, t.status(r.status).to_string()),
    ];
    if let Some(u) = r.urgency {
        rows.push((t.col_urgency, t.urgency(u).into()));
    }
    if let Some(a) = r.alarm_work {
        rows.push((t.col_alarm_work, t.alarm_work(a).into()));
    }
    if !r.slack_reason.is_empty() {
        rows.push((t.field_slack_reason, r.slack_reason.clone()));
    }
    if let Some(review) = &r.review {
        rows.push((t.field_review_conclusion, format!("{}：{}", review.reviewer, review.conclusion)));
    }
    if let Some((by, at)) = &r.signed_off {
        rows.push((t.col_signed_off, format!("{by} {}", at.format("%Y-%m-%d %H:%M"))));
    }
    if let Some((amount, by)) = &r.collected {
        rows.push((t.col_collected, format!("{amount} / {by}")));
    }
    if let Some(at) = r.settled_at {
        rows.push((t.col_settled, at.format("%Y-%m-%d %H:%M").to_string()));
    }
    if let Some(told) = &r.relay_told {
        rows.push((t.field_relay_told, fill(t.relayed_to, &[("name", told)])));
    }
    if let Some(other) = r.relay_link {
        rows.push((t.col_notes, crate::print::relay_link_text(t, r, other)));
    }
    if r.no.kind == RegisterKind::Repair {
        rows.push((t.col_follow_up, r.follow_up.clone().unwrap_or_default()));
    }
    if !r.notes.is_empty() {
        rows.push((t.col_notes, r.notes.clone()));
    }
    egui::Grid::new("request_fields").num_columns(2).striped(true).show(ui, |ui| {
        for (label, value) in rows {
            ui.label(RichText::new(label).weak());
            ui.add(egui::Label::new(value).wrap());
            ui.end_row();
        }
    });
}

/// A record's change history, oldest first (R-FU-6).
pub fn history_ui(ui: &mut egui::Ui, history: &[HistoryEntry]) {
    let t = t();
    for entry in history {
        let action = t.history_action(entry.action);
        ui.label(
            RichText::new(format!(
                "{} · {} · {}",
                entry.at.format("%Y-%m-%d %H:%M:%S"),
                entry.user_name,
                action
            ))
            .strong(),
        );
        if let Some(reason) = &entry.reason {
            ui.label(fill(t.history_reason, &[("reason", reason)]));
        }
        for change in entry.changes.iter().filter(|c| !(c.old.is_empty() && c.new.is_empty())) {
            let field = t.history_field(&change.field);
            let old = t.history_value(&change.field, &change.old);
            let new = t.history_value(&change.field, &change.new);
            let text = if old.is_empty() {
                format!("{field}：{new}")
            } else {
                format!("{field}：{old} → {new}")
            };
            ui.add(egui::Label::new(RichText::new(text).small()).wrap());
        }
        ui.add_space(4.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::RequestPage;

    /// A cache over `n` rows whose fetches are recorded as the first index
    /// of each page asked for (the rows themselves do not matter here).
    fn cache(n: i64) -> RowCache {
        RowCache { ids: (1..=n).collect(), total: n as usize, ..RowCache::default() }
    }

    /// Draws one frame of the rows `visible`, as the table does; returns
    /// the pages fetched, by their first row.
    fn frame(cache: &mut RowCache, visible: std::ops::Range<usize>, dragging: bool) -> Vec<usize> {
        let mut asked = Vec::new();
        let ids = cache.ids.clone();
        cache.begin_frame(dragging);
        for index in visible {
            let mut fetch = |slice: &[RequestId]| {
                let first = ids.iter().position(|id| Some(id) == slice.first()).unwrap_or(usize::MAX);
                asked.push(first);
                Vec::new()
            };
            let _ = cache.row(index, &mut fetch);
        }
        asked
    }

    /// Issue 23: dragging the scroll bar from the newest rows to the oldest
    /// fetched the pages of every place the view passed. Now only the
    /// pages where it comes to rest.
    #[test]
    fn dragging_to_the_end_fetches_only_the_pages_shown_there() {
        let mut rows = cache(20_000);
        assert_eq!(frame(&mut rows, 0..30, false), [0], "the first page on opening");
        // The drag: each frame the view is thousands of rows farther.
        for first in [2_000, 6_000, 11_000, 15_000, 19_970] {
            assert_eq!(frame(&mut rows, first..first + 30, true), Vec::<usize>::new(), "passing {first}");
            assert!(rows.passing(), "another frame is asked for");
        }
        // The view rests at the end (the button still down, or let go).
        assert_eq!(frame(&mut rows, 19_970..20_000, true), [19_968], "only the last page");
        assert_eq!(frame(&mut rows, 19_970..20_000, false), Vec::<usize>::new(), "kept, not fetched again");
        // A jump without dragging (the End key) fetches the visible pages directly.
        let mut rows = cache(20_000);
        assert_eq!(frame(&mut rows, 0..30, false), [0]);
        assert_eq!(frame(&mut rows, 19_950..19_980, false), [19_904, 19_968]);
        // Scrolling on by a few rows while the button is down fetches as it goes.
        assert_eq!(frame(&mut rows, 19_900..19_930, true), [19_840]);
    }

    /// Issue 21: a search on a server answers with its first rows and its
    /// count, then the rest of its ids. The table is as long as the count
    /// from the first answer; the rows whose ids are still to come are
    /// drawn empty, not fetched; the rest keeps the pages already read and
    /// leaves the view where the clerk scrolled it.
    #[test]
    fn the_first_rows_and_the_count_then_the_rest() {
        let mut rows = RowCache { new_query: true, ..RowCache::default() };
        rows.take(Answer {
            page: RequestPage { ids: (1..=100).collect(), total: 10_000, at_most: false },
            rest: false,
        });
        assert_eq!(rows.total, 10_000, "the count is there with the first rows");
        assert!(std::mem::take(&mut rows.to_top), "a new query's answer shows from the top");
        assert_eq!(frame(&mut rows, 0..30, false), [0]);
        assert_eq!(frame(&mut rows, 5_000..5_030, false), Vec::<usize>::new(), "ids still to come");
        assert!(rows.row(5_000, &mut |_| unreachable!("nothing to fetch")).is_none());
        assert_eq!(frame(&mut rows, 60..90, false), [64], "a page partly known: its known rows");
        rows.take(Answer { page: RequestPage::whole((1..=10_000).collect()), rest: true });
        assert!(!rows.to_top, "the rest does not move the view");
        assert!(
            rows.pages.contains_key(&0) && !rows.pages.contains_key(&1),
            "whole pages kept, the partial one not"
        );
        assert_eq!(frame(&mut rows, 5_000..5_030, false), [4_992], "the rest's rows are fetched");
        // The next question's answer replaces them all.
        rows.take(Answer { page: RequestPage::whole(vec![7]), rest: false });
        assert_eq!((rows.total, rows.pages.len()), (1, 0));
    }

    /// Issue 21 item 5: a phrase's first answer on a server may carry the
    /// bound of its count (the rows holding its rarest three characters);
    /// the clerk reads it as "at most", and the count once the whole list
    /// comes. The table is as long as the bound meanwhile, the rows past
    /// the first page drawn empty.
    #[test]
    fn r_in_4_a_phrase_s_bound_is_shown_as_at_most_until_its_whole_list_counts_it() {
        let mut rows = RowCache { new_query: true, ..RowCache::default() };
        rows.take(Answer {
            page: RequestPage { ids: (1..=128).collect(), total: 900, at_most: true },
            rest: false,
        });
        assert_eq!(rows.count_text(), fill(t().rows_count_at_most, &[("n", &900)]));
        assert_ne!(rows.count_text(), fill(t().rows_count, &[("n", &900)]), "a bound is not a count");
        assert!(rows.row(600, &mut |_| unreachable!("nothing to fetch")).is_none());
        rows.take(Answer { page: RequestPage::whole((1..=700).collect()), rest: true });
        assert_eq!((rows.total, rows.count_text()), (700, fill(t().rows_count, &[("n", &700)])));
    }

    #[test]
    fn pages_far_from_the_view_are_dropped() {
        let mut rows = cache(100_000);
        for page in 0..200 {
            let first = page * PAGE_ROWS;
            frame(&mut rows, first..first + 30, false);
        }
        assert!(rows.pages.len() <= PAGES_KEPT, "{} pages kept", rows.pages.len());
        assert!(rows.pages.contains_key(&199), "the page on screen is kept");
    }
}

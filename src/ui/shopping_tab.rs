//! The 代客购物 tab: the shopping log (R-SH-1..6) as a searchable,
//! filterable table with the period's totals; a new entry; each entry's
//! steps (bought, delivered, settled, could not buy, void) in one small
//! form with refusals next to the field; the 飞单 list with its
//! investigations; the form with its 财务联 and the log printed.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::export_job::{ExportOrder, Exporter};
use super::print_job::{PrintOrder, Printer};
use super::reader_job::{Answer, ReaderJob};
use super::row_query::FIRST_ROWS;
use super::widgets::{
    FormAction, FormState, Saving, cell_ui, choice_combo, close_saved_in, date_filter_ui, headings_ui,
    money_cell_ui, nested_central_panel, nested_side_panel, rows_count_text, table_day, table_time, text_row,
};
use super::{DataStamp, TabCtx};
use crate::app::{AppError, Followup, HomeDesk, ShoppingTotals};
use crate::domain::{
    Money, Purchase, ShoppingDraft, ShoppingEntry, ShoppingField, ShoppingId, ShoppingState, ShoppingStep,
    parse_date, parse_date_time, shopping_no_text,
};
use crate::i18n::{fill, t};
use crate::store::{RequestPage, ShoppingQuery};

const ROW_HEIGHT: f32 = 24.0;
/// Entries read at once from the ids, and pages kept around the view.
const PAGE_ROWS: usize = 64;
const PAGES_KEPT: usize = 16;
/// How long a frame waits for the reader thread before drawing the last answer.
const QUERY_WAIT: Duration = Duration::from_millis(30);

/// The reader thread's question: the filters, and the days whose totals
/// are to be summed again (`None`: the totals shown stand — they do not
/// change with the text, and summing ten years' entries at each keystroke
/// took 4–20 ms on a server).
type LogQuestion = (ShoppingQuery, Option<(NaiveDate, NaiveDate)>);

/// Its answer: the ids found (all, or the first with their count) and the
/// totals asked for.
type LogAnswer = (RequestPage, Option<ShoppingTotals>);

type LogReader = ReaderJob<LogQuestion, LogAnswer>;

/// The log's matching ids, newest number first, and the pages of entries
/// read from them as the table shows them (issue 23: the whole log of ten
/// years was 35 MB, read on the UI thread). While only the first ids of a
/// search are there (a common text on a server, issue 21), `total` is more
/// than them — or a bound (`at_most`) — until the whole list comes.
#[derive(Default)]
struct LogRows {
    ids: Vec<ShoppingId>,
    total: usize,
    at_most: bool,
    pages: HashMap<usize, Vec<ShoppingEntry>>,
}

impl LogRows {
    /// Takes the ids of an answer: a new search's, or the whole list of
    /// the one whose first ids are shown (`rest`), whose pages read of
    /// those stay. Whether the table starts again from the top.
    fn take(&mut self, page: RequestPage, rest: bool) -> bool {
        let known = self.ids.len();
        let goes_on = rest && page.ids.starts_with(&self.ids);
        if goes_on {
            self.pages.retain(|p, _| (p + 1) * PAGE_ROWS <= known);
        } else {
            self.pages.clear();
        }
        self.total = page.total.max(page.ids.len());
        self.at_most = page.at_most;
        self.ids = page.ids;
        !goes_on
    }

    /// The entry at `index`, its page read by `fetch` if need be; none
    /// past the ids read yet.
    fn row(
        &mut self,
        index: usize,
        fetch: &mut dyn FnMut(&[ShoppingId]) -> Vec<ShoppingEntry>,
    ) -> Option<&ShoppingEntry> {
        let page = index / PAGE_ROWS;
        if !self.pages.contains_key(&page) {
            let start = page * PAGE_ROWS;
            let end = (start + PAGE_ROWS).min(self.ids.len());
            let rows = match self.ids.get(start..end) {
                Some(ids) if !ids.is_empty() => fetch(ids),
                _ => return None,
            };
            if self.pages.len() >= PAGES_KEPT {
                self.pages.retain(|kept, _| kept.abs_diff(page) < PAGES_KEPT / 2);
            }
            self.pages.insert(page, rows);
        }
        self.pages.get(&page).and_then(|rows| rows.get(index % PAGE_ROWS))
    }
}

/// The reader thread's first part: the first ids of a search and its
/// count, where the store tells them sooner than the whole list; the whole
/// is to come unless these are all.
fn first_of_log(
    reader: &HomeDesk,
    (query, days): &LogQuestion,
) -> crate::app::Result<Option<(LogAnswer, bool)>> {
    let Some(page) = reader.shopping_first_ids(query, FIRST_ROWS)? else {
        return Ok(None);
    };
    if !page.is_whole() {
        return Ok(Some(((page, None), true)));
    }
    let totals = days.map(|(from, to)| reader.shopping_totals(from, to)).transpose()?;
    Ok(Some(((page, totals), false)))
}

/// The reader thread's whole answer: the ids of `query` and the totals asked for.
fn read_log(reader: &HomeDesk, (query, days): LogQuestion) -> crate::app::Result<LogAnswer> {
    let ids = reader.shopping_ids(&query)?;
    let totals = days.map(|(from, to)| reader.shopping_totals(from, to)).transpose()?;
    Ok((RequestPage::whole(ids), totals))
}

/// The two views of the tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum View {
    #[default]
    Log,
    Followups,
}

/// Which step a step form takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StepKind {
    Buy,
    Deliver,
    Settle,
    NotBought,
    Void,
}

impl StepKind {
    fn offered(state: ShoppingState) -> &'static [StepKind] {
        match state {
            ShoppingState::Recorded => &[StepKind::Buy, StepKind::NotBought, StepKind::Void],
            ShoppingState::Bought => &[StepKind::Deliver],
            ShoppingState::Delivered => &[StepKind::Settle],
            _ => &[],
        }
    }

    fn title(self) -> &'static str {
        let t = t();
        match self {
            StepKind::Buy => t.shop_step_buy,
            StepKind::Deliver => t.shop_step_deliver,
            StepKind::Settle => t.shop_step_settle,
            StepKind::NotBought => t.shop_step_not_bought,
            StepKind::Void => t.shop_step_void,
        }
    }
}

/// Text typed into a step form.
#[derive(Default)]
struct StepText {
    buyer: String,
    invoice: String,
    actual: String,
    date: String,
    signed: bool,
    reason: String,
    told_at: String,
}

impl StepText {
    /// Something beyond the prefilled date and amount was typed.
    fn typed_anything(&self) -> bool {
        self.signed
            || [&self.buyer, &self.invoice, &self.reason, &self.told_at].iter().any(|s| !s.trim().is_empty())
    }
}

/// Something beyond the prefilled deadline was typed.
fn typed_anything(d: &ShoppingDraft) -> bool {
    [&d.room, &d.resident_name, &d.item, &d.brand, &d.kind, &d.quantity, &d.unit, &d.spec, &d.unit_price]
        .iter()
        .any(|s| !s.trim().is_empty())
}

/// A modal form: a new entry, a step, or an investigation's finding.
enum Form {
    New(ShoppingDraft, FormState<ShoppingField>),
    Step(ShoppingId, StepKind, StepText, FormState<ShoppingField>),
    Investigate(Box<Followup>, String, FormState<ShoppingField>),
}

impl Saving for Form {
    fn saved_in(&self, pass: u64) -> bool {
        match self {
            Form::New(_, state) | Form::Step(_, _, _, state) | Form::Investigate(_, _, state) => {
                state.saved_in(pass)
            }
        }
    }
}

#[derive(Default)]
pub struct ShoppingTab {
    view: View,
    text: String,
    state: Option<ShoppingState>,
    from: String,
    to: String,
    buyer: String,
    rows: LogRows,
    totals: ShoppingTotals,
    /// The days and data the totals shown were summed for, and those last asked.
    totals_of: Option<((NaiveDate, NaiveDate), DataStamp)>,
    totals_asked: Option<((NaiveDate, NaiveDate), DataStamp)>,
    key: Option<(ShoppingQuery, DataStamp)>,
    /// The ids and totals are read on a reader thread of the tab's own.
    reader: Option<LogReader>,
    /// A new filter was asked for: its answer is shown from the top (issue 19).
    new_query: bool,
    /// The answer to a new filter arrived: the list starts at the top once.
    to_top: bool,
    /// The selected entry as last read, for the detail pane.
    detail: Option<ShoppingEntry>,
    followups: Vec<Followup>,
    followups_stamp: Option<DataStamp>,
    show_investigated: bool,
    error: Option<String>,
    selected: Option<ShoppingId>,
    form: Option<Form>,
    printer: Printer,
    print_order: Option<PrintOrder>,
    exporter: Exporter,
    export_order: Option<ExportOrder>,
}

/// A refusal next to its field, and every message under the form.
fn show_refusal(state: &mut FormState<ShoppingField>, e: &AppError) {
    let t = t();
    state.clear();
    match e {
        AppError::Shopping(errors) => {
            for error in errors {
                state.fields.entry(error.field).or_insert_with(|| t.shopping_error(&error.error));
            }
            let all: Vec<String> = errors
                .iter()
                .map(|e| format!("{}：{}", t.shopping_field(e.field), t.shopping_error(&e.error)))
                .collect();
            state.message = Some(Err(all.join("；")));
        }
        other => state.message = Some(Err(t.app_error(other))),
    }
}

impl ShoppingTab {
    /// Closes the form whose save ran in the pass `pass` (its `COMMIT`
    /// went unanswered and proved saved once connected again): whether one
    /// did. The selection and the lists stay.
    pub fn close_form_saved_in(&mut self, pass: u64) -> bool {
        close_saved_in(&mut self.form, pass)
    }

    /// Opens the 飞单 list (from the 待办 list).
    pub fn open_followups(&mut self) {
        self.view = View::Followups;
    }

    fn query(&self) -> ShoppingQuery {
        ShoppingQuery {
            text: self.text.clone(),
            state: self.state,
            from: parse_date(&self.from),
            to: parse_date(&self.to),
            buyer: self.buyer.clone(),
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        self.printer.poll(tab);
        self.exporter.poll(tab);
        self.refresh(tab, ui.ctx());
        if self.reader.as_ref().is_some_and(LogReader::waiting) {
            ui.ctx().request_repaint();
        }
        self.toolbar_ui(ui, tab);
        ui.separator();
        match self.view {
            View::Log => {
                if self.selected.is_some() {
                    nested_side_panel(egui::Panel::right("shopping_detail"))
                        .default_size(380.0)
                        .resizable(true)
                        .show(ui, |ui| {
                            self.detail_ui(ui, tab);
                        });
                }
                let today = tab.desk.now().date();
                nested_central_panel().show(ui, |ui| self.table_ui(ui, tab, today));
            }
            View::Followups => self.followups_ui(ui, tab.desk.now().date()),
        }
        self.form_ui(ui.ctx(), tab);
        if let Some(order) = self.print_order.take() {
            self.printer.print(tab, ui.ctx(), order);
        }
        if let Some(order) = self.export_order.take() {
            self.exporter.export(tab, ui.ctx(), order);
        }
    }

    /// Asks the reader thread again when a filter or the data changed, and
    /// takes its answer once it is there.
    fn refresh(&mut self, tab: &TabCtx<'_>, ctx: &egui::Context) {
        let query = self.query();
        let key = Some((query.clone(), tab.stamp));
        if self.key != key {
            // Only the clerk's new filter moves the list; another desk's
            // write leaves it where the clerk was.
            self.new_query |= self.key.as_ref().is_none_or(|(old, _)| *old != query);
            self.key = key;
            self.detail = None;
            if self.reader.is_none() {
                match tab.desk.reader() {
                    Ok(reader) => {
                        self.reader = Some(ReaderJob::start(
                            reader,
                            ctx.clone(),
                            |reader, question| first_of_log(reader, question).map_err(|e| t().app_error(&e)),
                            |reader, question| read_log(reader, question).map_err(|e| t().app_error(&e)),
                        ))
                    }
                    Err(e) => self.error = Some(t().app_error(&e)),
                }
            }
            // The totals are asked for until an answer brings those of these days and data.
            let today = tab.desk.now().date();
            let days = (query.from.unwrap_or(NaiveDate::MIN), query.to.unwrap_or(today));
            let totals_key = (days, tab.stamp);
            let days = (self.totals_of != Some(totals_key)).then_some(days);
            if let Some(reader) = &mut self.reader {
                self.totals_asked = Some(totals_key);
                reader.ask((query, days));
            }
        }
        match self.reader.as_mut().and_then(|reader| reader.poll(QUERY_WAIT)) {
            Some(Ok(Answer { answer: (page, totals), rest })) => {
                if self.rows.take(page, rest) {
                    self.to_top |= std::mem::take(&mut self.new_query);
                }
                if let Some(totals) = totals {
                    self.totals = totals;
                    self.totals_of = self.totals_asked;
                }
                self.error = None;
            }
            Some(Err(message)) => {
                self.rows = LogRows::default();
                self.error = Some(message);
            }
            None => {}
        }
        if let Some(id) = self.selected
            && self.detail.as_ref().is_none_or(|e| e.id != id)
        {
            match tab.desk.shopping_entry(id) {
                Ok(entry) => self.detail = Some(entry),
                // Not asked again every frame: the pane closes with the reason.
                Err(e) => {
                    self.selected = None;
                    self.error = Some(t().app_error(&e));
                }
            }
        }
        if self.followups_stamp != Some(tab.stamp) {
            self.followups_stamp = Some(tab.stamp);
            match tab.desk.shopping_followups(false) {
                Ok(list) => self.followups = list,
                // An audit view never shows "nothing to investigate" when it could not look.
                Err(e) => self.error = Some(t().app_error(&e)),
            }
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>) {
        let t = t();
        let open = self.followups.iter().filter(|f| f.investigation.is_none()).count();
        ui.horizontal_wrapped(|ui| {
            ui.selectable_value(&mut self.view, View::Log, RichText::new(t.shop_view_log).size(15.0));
            let label = fill(t.shop_view_followups, &[("n", &open)]);
            let label = if open > 0 {
                RichText::new(label).color(ui.visuals().warn_fg_color)
            } else {
                RichText::new(label)
            };
            ui.selectable_value(&mut self.view, View::Followups, label.size(15.0));
        });
        if self.view == View::Followups {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t.search);
            ui.add(
                egui::TextEdit::singleline(&mut self.text).hint_text(t.shop_search_hint).desired_width(220.0),
            )
            .labelled_by(label.id);
            let label = ui.label(t.filter_status);
            choice_combo(ui, "shopping_state", &mut self.state, ShoppingState::ALL, t.filter_all, |s| {
                t.shopping_state(s).to_string()
            })
            .labelled_by(label.id);
            for (label, value) in [(t.filter_from, &mut self.from), (t.filter_to, &mut self.to)] {
                date_filter_ui(ui, label, value);
            }
            let label = ui.label(t.shop_filter_buyer);
            ui.add(egui::TextEdit::singleline(&mut self.buyer).desired_width(80.0)).labelled_by(label.id);
            // What the search found (the totals below are the period's), last
            // in the row: 最多 N 条 turning to 共 N 条 moves no field.
            if !self.text.trim().is_empty() && !self.rows.ids.is_empty() {
                ui.label(rows_count_text(self.rows.total, self.rows.at_most));
            }
        });
        ui.horizontal(|ui| {
            if ui.button(RichText::new(t.shop_new).strong()).clicked() {
                let today = tab.desk.now().date();
                let draft = ShoppingDraft {
                    deadline: (today + chrono::Duration::days(2)).to_string(),
                    ..ShoppingDraft::default()
                };
                self.form = Some(Form::New(draft, FormState::default()));
            }
            if self.printer.busy() {
                ui.spinner();
            } else if ui.button(t.shop_print_log).clicked() {
                let today = tab.desk.now().date();
                let from = parse_date(&self.from).unwrap_or(today);
                let to = parse_date(&self.to).unwrap_or(from.max(today));
                self.print_order = Some(PrintOrder::ShoppingLog(from, to));
            }
            if self.exporter.button_ui(ui) {
                let today = tab.desk.now().date();
                let from = parse_date(&self.from).unwrap_or(today);
                let to = parse_date(&self.to).unwrap_or(from.max(today));
                self.export_order = Some(ExportOrder::ShoppingLog(from, to));
            }
            ui.label(fill(
                t.shop_totals,
                &[
                    ("n", &self.totals.entries),
                    ("expected", &self.totals.expected),
                    ("actual", &self.totals.actual),
                ],
            ));
            if let Some(error) = &self.error {
                ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
            }
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>, today: chrono::NaiveDate) {
        let t = t();
        if self.rows.ids.is_empty() {
            if self.reader.as_ref().is_some_and(LogReader::waiting) {
                ui.spinner();
            } else {
                ui.label(RichText::new(t.shop_none).weak());
            }
            return;
        }
        let mut clicked = None;
        let (rows, selected) = (&mut self.rows, self.selected);
        let mut fetch = |ids: &[ShoppingId]| tab.desk.shopping_page(ids).unwrap_or_default();
        let mut table = TableBuilder::new(ui);
        if std::mem::take(&mut self.to_top) {
            table = table.vertical_scroll_offset(0.0);
        }
        table
            .id_salt("shopping_table")
            .striped(true)
            // Money cells are centred in the row: so are its texts (they stood apart).
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::initial(70.0))
            .column(Column::initial(116.0))
            .column(Column::initial(120.0))
            .column(Column::initial(70.0))
            .column(Column::initial(170.0))
            .column(Column::initial(90.0))
            .column(Column::initial(110.0))
            .column(Column::initial(90.0))
            .column(Column::initial(70.0))
            .column(Column::remainder().at_least(70.0))
            .header(ROW_HEIGHT, |header| {
                headings_ui(
                    header,
                    &[
                        t.col_no,
                        t.shop_col_taken,
                        t.shop_field_room,
                        t.shop_field_resident,
                        t.shop_field_item,
                        t.shop_col_expected,
                        t.shop_field_actual,
                        t.shop_field_deadline,
                        t.shop_field_buyer,
                        t.col_status,
                    ],
                )
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.total, |mut row| {
                    let Some(e) = rows.row(row.index(), &mut fetch) else { return };
                    row.set_selected(selected == Some(e.id));
                    for text in [
                        shopping_no_text(e.no),
                        table_time(e.taken_at, today),
                        e.room.clone(),
                        e.resident_name.clone(),
                        format!("{} {} ×{}{}", e.brand, e.item, e.quantity, e.unit),
                    ] {
                        row.col(|ui| {
                            cell_ui(ui, text);
                        });
                    }
                    row.col(|ui| money_cell_ui(ui, e.expected_total.to_string()));
                    row.col(|ui| {
                        money_cell_ui(
                            ui,
                            e.purchase.as_ref().map(|p| p.actual.to_string()).unwrap_or_default(),
                        )
                    });
                    for text in [
                        table_day(e.deadline, today),
                        e.purchase.as_ref().map(|p| p.buyer.clone()).unwrap_or_default(),
                        t.shopping_state(e.state).to_string(),
                    ] {
                        row.col(|ui| {
                            cell_ui(ui, text);
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(e.id);
                    }
                });
            });
        if clicked.is_some() {
            self.selected = clicked;
        }
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, tab: &TabCtx<'_>) {
        let t = t();
        let Some(e) = self.detail.clone().filter(|e| Some(e.id) == self.selected) else {
            ui.label(RichText::new(t.shop_none).weak());
            return;
        };
        ui.horizontal(|ui| {
            ui.heading(format!("{}{}", t.shop_no_prefix, shopping_no_text(e.no)));
            ui.label(RichText::new(t.shopping_state(e.state)).strong());
            if super::widgets::close_button(ui, t.close).clicked() {
                self.selected = None;
            }
        });
        egui::Grid::new("shopping_detail_grid").num_columns(2).spacing([10.0, 4.0]).show(ui, |ui| {
            for (label, value) in entry_facts(&e, tab.desk.now().date()) {
                ui.label(RichText::new(label).weak());
                ui.add(egui::Label::new(value).wrap());
                ui.end_row();
            }
        });
        if let Some(concern) = crate::domain::concern_of(&e, tab.desk.now().date()) {
            ui.label(RichText::new(t.concern(concern)).color(ui.visuals().warn_fg_color));
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            for kind in StepKind::offered(e.state) {
                if ui.button(format!("{}…", kind.title())).clicked() {
                    let text = StepText {
                        date: tab.desk.now().date().to_string(),
                        actual: e.expected_total.to_plain(),
                        ..StepText::default()
                    };
                    self.form = Some(Form::Step(e.id, *kind, text, FormState::default()));
                }
            }
            if ui.button(t.shop_print_form).clicked() {
                self.print_order = Some(PrintOrder::ShoppingForms(vec![e.no]));
            }
        });
    }

    fn followups_ui(&mut self, ui: &mut egui::Ui, today: NaiveDate) {
        let t = t();
        ui.checkbox(&mut self.show_investigated, t.shop_show_investigated);
        let rows: Vec<Followup> = self
            .followups
            .iter()
            .filter(|f| self.show_investigated || f.investigation.is_none())
            .cloned()
            .collect();
        if rows.is_empty() {
            ui.label(RichText::new(t.shop_no_followups).weak());
            return;
        }
        let mut investigate = None;
        TableBuilder::new(ui)
            .id_salt("shopping_followups")
            .striped(true)
            .column(Column::initial(80.0))
            .column(Column::initial(150.0))
            .column(Column::initial(240.0))
            .column(Column::remainder().at_least(200.0))
            .header(ROW_HEIGHT, |header| {
                headings_ui(header, &[t.col_no, t.shop_col_concern, t.shop_col_entry, t.shop_field_finding])
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                    let f = &rows[row.index()];
                    row.col(|ui| {
                        cell_ui(ui, shopping_no_text(f.no));
                    });
                    row.col(|ui| {
                        cell_ui(ui, RichText::new(t.concern(f.concern)).color(ui.visuals().warn_fg_color));
                    });
                    row.col(|ui| {
                        let entry =
                            f.entry.as_ref().map(|e| format!("{} {} {}", e.room, e.resident_name, e.item));
                        cell_ui(ui, entry.unwrap_or_default());
                    });
                    row.col(|ui| match &f.investigation {
                        Some(i) => {
                            cell_ui(ui, format!("{}（{} {}）", i.finding, i.by, table_time(i.at, today)));
                        }
                        None => {
                            if ui.small_button(t.shop_investigate).clicked() {
                                investigate = Some(f.clone());
                            }
                        }
                    });
                });
            });
        if let Some(f) = investigate {
            self.form = Some(Form::Investigate(Box::new(f), String::new(), FormState::default()));
        }
    }

    fn form_ui(&mut self, ctx: &egui::Context, tab: &mut TabCtx<'_>) {
        let Some(form) = &mut self.form else { return };
        let t = t();
        let popup_was_open = egui::Popup::is_any_open(ctx);
        let mut done: Option<Result<String, ()>> = None;
        let title = match form {
            Form::New(..) => t.shop_new.to_string(),
            Form::Step(_, kind, ..) => kind.title().to_string(),
            Form::Investigate(f, ..) => fill(
                t.shop_investigate_title,
                &[("no", &shopping_no_text(f.no)), ("concern", &t.concern(f.concern))],
            ),
        };
        egui::Modal::new(egui::Id::unique("shopping_form")).show(ctx, |ui| {
            ui.set_width(620.0);
            ui.heading(title);
            let (state, dirty) = match form {
                Form::New(draft, state) => {
                    egui::Grid::new("shopping_new")
                        .num_columns(3)
                        .spacing([12.0, 8.0])
                        .show(ui, |ui| new_fields_ui(ui, draft, state));
                    ui.label(RichText::new(t.shop_threshold_hint).weak());
                    (state, typed_anything(draft))
                }
                Form::Step(_, kind, text, state) => {
                    egui::Grid::new("shopping_step")
                        .num_columns(3)
                        .spacing([12.0, 8.0])
                        .show(ui, |ui| step_fields_ui(ui, *kind, text, state));
                    (state, text.typed_anything())
                }
                Form::Investigate(_, finding, state) => {
                    egui::Grid::new("shopping_finding").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
                        text_row(ui, t.shop_field_finding, finding, state.get(ShoppingField::Finding));
                    });
                    (state, !finding.is_empty())
                }
            };
            ui.separator();
            match state.footer_ui(ui, popup_was_open, dirty) {
                Some(FormAction::Save) => done = Some(Ok(String::new())),
                Some(FormAction::Discard) => done = Some(Err(())),
                None => {}
            }
        });
        match done {
            Some(Ok(_)) => self.save(tab),
            Some(Err(())) => self.form = None,
            None => {}
        }
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) {
        let t = t();
        let Some(form) = &mut self.form else { return };
        let now = tab.desk.now();
        let result: Result<(String, Option<ShoppingId>), AppError> = match form {
            Form::New(draft, _) => tab
                .desk
                .record_shopping(tab.user, draft)
                .map(|e| (fill(t.shop_recorded, &[("no", &shopping_no_text(e.no))]), Some(e.id))),
            Form::Step(id, kind, text, state) => match step_of(*kind, text, now) {
                Ok(step) => tab.desk.shopping_step(tab.user, *id, &step).map(|e| {
                    (
                        fill(
                            t.shop_step_done,
                            &[("no", &shopping_no_text(e.no)), ("state", &t.shopping_state(e.state))],
                        ),
                        Some(e.id),
                    )
                }),
                Err((field, message)) => {
                    state.clear();
                    state.fields.insert(field, message);
                    return;
                }
            },
            Form::Investigate(f, finding, _) => tab
                .desk
                .investigate(tab.user, f.no, f.concern, finding)
                .map(|_| (t.shop_investigated.to_string(), None)),
        };
        match result {
            Ok((message, id)) => {
                self.form = None;
                if id.is_some() {
                    self.selected = id;
                }
                tab.after_write(message);
            }
            Err(e) => match form {
                Form::New(_, state) | Form::Step(_, _, _, state) | Form::Investigate(_, _, state) => {
                    show_refusal(state, &e)
                }
            },
        }
    }
}

fn new_fields_ui(ui: &mut egui::Ui, draft: &mut ShoppingDraft, state: &FormState<ShoppingField>) {
    use ShoppingField as F;
    let t = t();
    for (label, value, field) in [
        (t.shop_field_room, &mut draft.room, Some(F::Room)),
        (t.shop_field_resident, &mut draft.resident_name, Some(F::ResidentName)),
        (t.shop_field_item, &mut draft.item, Some(F::Item)),
        (t.shop_field_brand, &mut draft.brand, Some(F::Brand)),
        (t.shop_field_kind, &mut draft.kind, Some(F::Kind)),
        (t.shop_field_spec, &mut draft.spec, Some(F::Spec)),
        (t.shop_field_quantity, &mut draft.quantity, Some(F::Quantity)),
        (t.shop_field_unit, &mut draft.unit, Some(F::Unit)),
        (t.shop_field_price, &mut draft.unit_price, Some(F::UnitPrice)),
        (t.shop_field_deadline, &mut draft.deadline, Some(F::Deadline)),
    ] {
        text_row(ui, label, value, field.and_then(|f| state.get(f)));
    }
}

fn step_fields_ui(ui: &mut egui::Ui, kind: StepKind, text: &mut StepText, state: &FormState<ShoppingField>) {
    use ShoppingField as F;
    let t = t();
    match kind {
        StepKind::Buy => {
            text_row(ui, t.shop_field_buyer, &mut text.buyer, state.get(F::Buyer));
            text_row(ui, t.shop_field_invoice, &mut text.invoice, state.get(F::Invoice));
            text_row(ui, t.shop_field_actual, &mut text.actual, state.get(F::Actual));
            text_row(ui, t.shop_field_date, &mut text.date, state.get(F::Date));
        }
        StepKind::Deliver => {
            text_row(ui, t.shop_field_date, &mut text.date, state.get(F::Date));
            ui.label("");
            ui.checkbox(&mut text.signed, t.shop_field_signed);
            super::widgets::error_cell(ui, state.get(F::Signed));
            ui.end_row();
        }
        StepKind::Settle => {
            ui.label(RichText::new(t.shop_settle_hint).weak());
            ui.end_row();
        }
        StepKind::NotBought => {
            text_row(ui, t.shop_field_reason, &mut text.reason, state.get(F::Reason));
            text_row(ui, t.shop_field_told, &mut text.told_at, state.get(F::ToldAt));
        }
        StepKind::Void => {
            text_row(ui, t.shop_field_reason, &mut text.reason, state.get(F::Reason));
        }
    }
}

/// The step typed, or the field that cannot be read.
fn step_of(
    kind: StepKind,
    text: &StepText,
    now: NaiveDateTime,
) -> Result<ShoppingStep, (ShoppingField, String)> {
    let t = t();
    let date = || parse_date(&text.date).ok_or((ShoppingField::Date, t.err_shop_date.to_string()));
    Ok(match kind {
        StepKind::Buy => ShoppingStep::Buy(Purchase {
            buyer: text.buyer.clone(),
            invoice_no: text.invoice.clone(),
            actual: Money::parse(&text.actual)
                .map_err(|e| (ShoppingField::Actual, t.money_error(&e).to_string()))?,
            bought_on: date()?,
        }),
        StepKind::Deliver => ShoppingStep::Deliver { on: date()?, resident_signed: text.signed },
        StepKind::Settle => ShoppingStep::Settle,
        StepKind::NotBought => {
            let told_at = match text.told_at.trim() {
                "" => None,
                typed => Some(
                    parse_date_time(typed, now.date())
                        .ok_or((ShoppingField::ToldAt, t.err_date_time.to_string()))?,
                ),
            };
            ShoppingStep::NotBought { reason: text.reason.clone(), told_at }
        }
        StepKind::Void => ShoppingStep::Void { reason: text.reason.clone() },
    })
}

/// Everything the entry records, in the order of the paper form.
/// Times of day say their year when it is not this one (issue 23).
fn entry_facts(e: &ShoppingEntry, today: NaiveDate) -> Vec<(&'static str, String)> {
    let t = t();
    let mut facts = vec![
        (t.shop_field_room, e.room.clone()),
        (t.shop_field_resident, e.resident_name.clone()),
        (t.shop_field_item, format!("{}（{}，{}，{}）", e.item, e.brand, e.kind, e.spec)),
        (t.shop_field_quantity, format!("{} {}", e.quantity, e.unit)),
        (t.shop_field_price, e.unit_price.to_string()),
        (t.shop_col_expected, e.expected_total.to_string()),
        (t.shop_field_deadline, e.deadline.to_string()),
        (t.shop_col_taken, format!("{} {}", e.taken_by, e.taken_at.format("%Y-%m-%d %H:%M"))),
    ];
    if let Some(p) = &e.purchase {
        facts.push((t.shop_field_buyer, format!("{} {}", p.buyer, p.bought_on)));
        facts.push((t.shop_field_invoice, p.invoice_no.clone()));
        facts.push((t.shop_field_actual, p.actual.to_string()));
    }
    if let Some(on) = e.delivered_on {
        facts.push((t.shop_field_signed, on.to_string()));
    }
    if let Some((reason, at)) = &e.not_bought {
        facts.push((
            t.shop_field_reason,
            format!("{reason}（{} {}）", t.shop_field_told, table_time(*at, today)),
        ));
    }
    if let Some((reason, by, at)) = &e.void {
        facts.push((t.shop_state_void, format!("{reason}（{by} {}）", table_time(*at, today))));
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_offers_only_its_next_steps() {
        assert_eq!(StepKind::offered(ShoppingState::Recorded).len(), 3);
        assert_eq!(StepKind::offered(ShoppingState::Bought), &[StepKind::Deliver]);
        assert!(StepKind::offered(ShoppingState::Void).is_empty());
    }

    /// Issue 21 item 5: a search's first ids are shown with its count (a
    /// bound said to be one) and rows past them wait, reading nothing; its
    /// whole list then keeps the pages read and the place, and counts.
    #[test]
    fn r_sh_1_a_search_s_first_ids_show_its_bound_until_its_whole_list_counts_it() {
        let mut rows = LogRows::default();
        let first = RequestPage { ids: (1..=128).collect(), total: 900, at_most: true };
        assert!(rows.take(first, false), "a new search starts at the top");
        assert_eq!(rows_count_text(rows.total, rows.at_most), fill(t().rows_count_at_most, &[("n", &900)]));
        let mut fetched = 0;
        let mut fetch = |ids: &[ShoppingId]| {
            fetched += 1;
            ids.iter().map(|&id| ShoppingEntry { id, ..entry() }).collect()
        };
        assert_eq!(rows.row(3, &mut fetch).map(|e| e.id), Some(4));
        assert!(rows.row(600, &mut fetch).is_none(), "past the first ids: nothing to read yet");
        assert_eq!(fetched, 1);
        assert!(!rows.take(RequestPage::whole((1..=700).collect()), true), "the rest keeps the place");
        assert_eq!((rows.total, rows.at_most), (700, false));
        assert_eq!(rows.row(3, &mut |_| unreachable!("the page read stays")).map(|e| e.id), Some(4));
        assert!(rows.take(RequestPage::whole(vec![9]), false), "another search starts at the top");
    }

    fn entry() -> ShoppingEntry {
        ShoppingEntry {
            id: 0,
            no: 1,
            state: ShoppingState::Recorded,
            room: String::new(),
            resident_name: String::new(),
            item: String::new(),
            brand: String::new(),
            kind: String::new(),
            quantity: 1,
            unit: String::new(),
            spec: String::new(),
            unit_price: Money::ZERO,
            expected_total: Money::ZERO,
            deadline: NaiveDate::MIN,
            taken_by: String::new(),
            taken_at: NaiveDateTime::MIN,
            purchase: None,
            delivered_on: None,
            settled_at: None,
            not_bought: None,
            void: None,
        }
    }
}

//! The 变更记录 tab (R-FU-6): every change in the office, newest first,
//! narrowed by who made it, the kind of record, the kind of change, the
//! days and a text; each with its old and new values and reason; exported
//! to Excel as filtered. Nothing here changes the history. Shown to a
//! business supervisor or above (the app refuses the others too).
//!
//! The rows are read on a worker thread from a [`HomeDesk::reader`] when
//! the filter or the data change, and stay on screen meanwhile, with a
//! spinner; a read the next keystroke supersedes is cancelled. Each change
//! names its record and the ids in its values as they were when it was
//! made (issue 23). On a server a common text's newest changes come first,
//! counted or bounded (最多 N 条（正在计数）), and the whole list after, on
//! the same worker (issue 21).

use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::NaiveDate;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::export_job::{ExportOrder, Exporter};
use super::widgets::{cell_ui, clip_cells, date_filter_ui, headings_ui};
use super::{DataStamp, TabCtx};
use crate::app::AppError;
use crate::app::HomeDesk;
use crate::domain::{Action, Entity, HistoryRow, User};
use crate::i18n::{Texts, fill, t};
use crate::store::{HISTORY_COUNT_CAP, HistoryQuery, QueryCanceller, StoreError};

const ROW_HEIGHT: f32 = 22.0;

/// What a worker hands back: the rows, how many match (at most that many:
/// `true`, while the whole list is read), who has made changes.
type Found = Result<(Vec<HistoryRow>, usize, Vec<String>, bool), String>;

/// A worker's answer, and whether it is its last (the whole list).
type Part = (Found, bool);

/// A read under way: what it asks, on which data, where its answer comes,
/// and how to stop it when the next keystroke makes it moot.
struct Job {
    query: HistoryQuery,
    stamp: DataStamp,
    done: Receiver<Part>,
    canceller: QueryCanceller,
}

#[derive(Default)]
pub struct HistoryTab {
    user: Option<String>,
    entity: Option<Entity>,
    action: Option<Action>,
    from: String,
    to: String,
    text: String,
    job: Option<Job>,
    shown: Option<(HistoryQuery, DataStamp, Found)>,
    /// The rows of a new filter arrived: the table starts at its top once.
    to_top: bool,
    exporter: Exporter,
}

impl HistoryTab {
    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        self.exporter.poll(tab);
        let query = self.query();
        self.poll();
        self.start_if_stale(&query, tab, ui.ctx());
        let users = match &self.shown {
            Some((_, _, Ok((_, _, users, _)))) => users.clone(),
            _ => Vec::new(),
        };
        let export = self.filters_ui(ui, &users, t);
        if export {
            self.exporter.export(tab, ui.ctx(), ExportOrder::History(query.clone(), tab.user.clone()));
        }
        ui.horizontal(|ui| {
            ui.label(RichText::new(t.hs_read_only).weak().small());
            // A slower read says so; typing on cancels it (`start_if_stale`).
            if self.job.is_some() {
                ui.spinner();
                ui.label(RichText::new(t.hs_searching).weak().small());
            }
        });
        ui.separator();
        match &self.shown {
            Some((_, _, Ok((rows, total, _, at_most)))) => {
                count_ui(ui, rows.len(), *total, *at_most, t);
                table_ui(ui, rows, std::mem::take(&mut self.to_top), t);
            }
            Some((_, _, Err(message))) => {
                ui.label(RichText::new(message).color(ui.visuals().error_fg_color));
            }
            None => {
                ui.spinner();
            }
        }
    }

    fn query(&self) -> HistoryQuery {
        let day = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        HistoryQuery {
            user: self.user.clone(),
            entity: self.entity,
            action: self.action,
            from: day(&self.from),
            to: day(&self.to),
            text: self.text.trim().to_string(),
        }
    }

    /// The filters and 导出 Excel…; `true` when the export was asked for.
    fn filters_ui(&mut self, ui: &mut egui::Ui, users: &[String], t: &Texts) -> bool {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t.search);
            ui.add(
                egui::TextEdit::singleline(&mut self.text).hint_text(t.hs_search_hint).desired_width(200.0),
            )
            .labelled_by(label.id);
            let label = ui.label(t.hs_filter_user);
            egui::ComboBox::from_id_salt("hs_user")
                .selected_text(self.user.clone().unwrap_or_else(|| t.filter_all.to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.user, None, t.filter_all);
                    for name in users {
                        ui.selectable_value(&mut self.user, Some(name.clone()), name);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(t.hs_filter_entity);
            egui::ComboBox::from_id_salt("hs_entity")
                .selected_text(self.entity.map_or(t.filter_all, |e| t.entity(e)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.entity, None, t.filter_all);
                    for e in Entity::ALL {
                        ui.selectable_value(&mut self.entity, Some(*e), t.entity(*e));
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(t.hs_filter_action);
            egui::ComboBox::from_id_salt("hs_action")
                .selected_text(self.action.map_or(t.filter_all, |a| t.history_action(a)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.action, None, t.filter_all);
                    for a in Action::ALL {
                        ui.selectable_value(&mut self.action, Some(*a), t.history_action(*a));
                    }
                })
                .response
                .labelled_by(label.id);
            for (title, value) in [(t.hs_from, &mut self.from), (t.hs_to, &mut self.to)] {
                date_filter_ui(ui, title, value);
            }
            if ui.button(t.clear_filters).clicked() {
                (self.user, self.entity, self.action) = (None, None, None);
                (self.from, self.to, self.text) = (String::new(), String::new(), String::new());
            }
            ui.separator();
            self.exporter.button_ui(ui)
        })
        .inner
    }

    fn poll(&mut self) {
        let Some(job) = &self.job else { return };
        let (found, last) = match job.done.try_recv() {
            Ok(part) => part,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => (Err(t().st_failed.to_string()), true),
        };
        // A first part is shown while the worker reads on: the job stays.
        let (query, stamp) = (job.query.clone(), job.stamp);
        if last {
            self.job = None;
        }
        // A new filter's rows start at the top (issue 19); new data under
        // the same filter, or the whole list after its first part, leaves
        // the list where it was.
        self.to_top = self.shown.as_ref().is_none_or(|(shown, _, _)| *shown != query);
        self.shown = Some((query, stamp, found));
    }

    /// Reads again when the filter or the data changed, unless that read is
    /// under way; a read of an older filter is cancelled, so that each
    /// keystroke does not leave a search running for nobody.
    fn start_if_stale(&mut self, query: &HistoryQuery, tab: &TabCtx<'_>, ctx: &egui::Context) {
        let same = |q: &HistoryQuery, s: &DataStamp| q == query && *s == tab.stamp;
        let shown = self.shown.as_ref().is_some_and(|(q, s, _)| same(q, s));
        let running = self.job.as_ref().is_some_and(|job| same(&job.query, &job.stamp));
        if shown || running {
            return;
        }
        if let Some(old) = self.job.take() {
            old.canceller.cancel();
        }
        match tab.desk.reader() {
            Ok(reader) => {
                let canceller = reader.store().canceller();
                let done = spawn(reader, tab.user.clone(), query.clone(), ctx.clone());
                self.job = Some(Job { query: query.clone(), stamp: tab.stamp, done, canceller });
            }
            Err(e) => self.shown = Some((query.clone(), tab.stamp, Err(t().app_error(&e)))),
        }
    }
}

fn spawn(reader: HomeDesk, user: User, query: HistoryQuery, ctx: egui::Context) -> Receiver<Part> {
    let (tx, done) = mpsc::channel();
    crate::i18n::spawn(move || {
        let users = match reader.history_users(&user) {
            Ok(users) => users,
            Err(e) => {
                let _ = tx.send((Err(t().app_error(&e)), true));
                ctx.request_repaint();
                return;
            }
        };
        // A common text's newest changes first (a server's walk), when they
        // come sooner. A first part that fails is moot, as the whole list
        // says its own error; one cancelled (typed on) ends the read, whose
        // whole list nobody waits for (0.5–1.4 s of the server's time on
        // ten years).
        match reader.first_history(&user, &query) {
            Ok(Some((rows, total, at_most))) => {
                if tx.send((Ok((rows, total, users.clone(), at_most)), false)).is_err() {
                    return;
                }
                ctx.request_repaint();
            }
            Err(AppError::Store(StoreError::Cancelled)) => return,
            Ok(None) | Err(_) => {}
        }
        let found = reader
            .history(&user, &query)
            .map(|(rows, total)| (rows, total, users, false))
            .map_err(|e| t().app_error(&e));
        let _ = tx.send((found, true));
        ctx.request_repaint();
    });
    done
}

fn count_ui(ui: &mut egui::Ui, shown: usize, total: usize, at_most: bool, t: &Texts) {
    ui.label(count_text(shown, total, at_most, t));
}

/// What the count line says of `shown` rows of `total` found (at most
/// `total`: while the whole list is read). The rows listed are `shown`:
/// a first part lists fewer than the page, until the page replaces it.
fn count_text(shown: usize, total: usize, at_most: bool, t: &Texts) -> String {
    if at_most {
        fill(t.rows_count_at_most, &[("n", &total)])
    } else if total > HISTORY_COUNT_CAP {
        fill(t.hs_count_over, &[("n", &HISTORY_COUNT_CAP), ("shown", &shown)])
    } else if total > shown {
        fill(t.hs_count_capped, &[("n", &total), ("shown", &shown)])
    } else {
        fill(t.hs_count, &[("n", &total)])
    }
}

/// The changes of a row in one line: `状态：草稿 → 待审批；…`.
fn changes_text(row: &HistoryRow, t: &Texts) -> String {
    row.entry
        .changes
        .iter()
        .filter(|c| !(c.old.is_empty() && c.new.is_empty()))
        .map(|c| {
            let (field, old, new) = (
                t.history_field(&c.field),
                t.history_value(&c.field, row.value_of(&c.field, &c.old)),
                t.history_value(&c.field, row.value_of(&c.field, &c.new)),
            );
            if old.is_empty() { format!("{field}：{new}") } else { format!("{field}：{old} → {new}") }
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// The widths of the short columns (who, kind of record, record, action)
/// fitted to the rows listed, so that a longer word of another language
/// ("Changed", "End-of-day check") is whole; measured once per list, not
/// per frame (a list is up to 1 000 rows).
fn short_column_widths(ui: &egui::Ui, rows: &[HistoryRow], t: &Texts) -> [f32; 4] {
    let key = (rows.len(), rows.first().map(|r| r.id), rows.last().map(|r| r.id), t.hs_col_action);
    let id = egui::Id::unique("history_short_columns").with(key);
    if let Some(widths) = ui.data(|d| d.get_temp::<[f32; 4]>(id)) {
        return widths;
    }
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|row| {
            let e = &row.entry;
            let record = if row.record.is_empty() { e.entity_id.to_string() } else { row.record.clone() };
            [
                e.user_name.clone(),
                t.entity(e.entity).to_string(),
                record,
                t.history_action(e.action).to_string(),
            ]
        })
        .collect();
    let titles = [t.hs_col_user, t.hs_col_entity, t.hs_col_record, t.hs_col_action];
    let fitted = super::widgets::fitted_widths(ui, &titles, cells.iter().map(|c| c.as_slice()));
    let widths = [fitted[0], fitted[1], fitted[2], fitted[3]];
    ui.data_mut(|d| d.insert_temp(id, widths));
    widths
}

fn table_ui(ui: &mut egui::Ui, rows: &[HistoryRow], to_top: bool, t: &Texts) {
    let headings = [
        t.hs_col_at,
        t.hs_col_user,
        t.hs_col_entity,
        t.hs_col_record,
        t.hs_col_action,
        t.hs_col_changes,
        t.hs_col_reason,
    ];
    let [user, entity, record, action] = short_column_widths(ui, rows, t);
    let mut table = TableBuilder::new(ui);
    if to_top {
        table = table.vertical_scroll_offset(0.0);
    }
    table
        .id_salt("history_rows")
        .striped(true)
        .column(Column::auto().at_least(130.0))
        .column(Column::auto().at_least(user))
        .column(Column::auto().at_least(entity))
        .column(Column::auto().at_least(record))
        .column(Column::auto().at_least(action))
        .column(Column::remainder().at_least(160.0).clip(clip_cells()))
        .column(Column::auto().at_least(120.0).clip(clip_cells()))
        .header(ROW_HEIGHT, |header| headings_ui(header, &headings))
        .body(|body| {
            body.rows(ROW_HEIGHT, rows.len(), |mut table_row| {
                let row = &rows[table_row.index()];
                let e = &row.entry;
                let record = if row.record.is_empty() { e.entity_id.to_string() } else { row.record.clone() };
                let changes = changes_text(row, t);
                let cells = [
                    e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    e.user_name.clone(),
                    t.entity(e.entity).to_string(),
                    record,
                    t.history_action(e.action).to_string(),
                    changes.clone(),
                    e.reason.clone().unwrap_or_default(),
                ];
                for (i, cell) in cells.into_iter().enumerate() {
                    table_row.col(|ui| {
                        let response = cell_ui(ui, cell);
                        // The changes may run long: the whole line on hover.
                        if i == 5 && !changes.is_empty() {
                            response.on_hover_text(&changes);
                        }
                    });
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::HISTORY_SHOWN;

    /// R-FU-6 on a server (issue 21): a common text's newest changes come
    /// first with a bound of what it finds, said as a bound until the
    /// whole list counts it.
    #[test]
    fn r_fu_6_a_first_part_s_bound_is_said_as_at_most_until_the_whole_list_counts_it() {
        let t = t();
        assert_eq!(count_text(100, 900, true, t), fill(t.rows_count_at_most, &[("n", &900)]));
        assert_eq!(count_text(700, 700, false, t), fill(t.hs_count, &[("n", &700)]));
        assert_eq!(
            count_text(HISTORY_SHOWN, 29_370, false, t),
            fill(t.hs_count_capped, &[("n", &29_370), ("shown", &HISTORY_SHOWN)])
        );
        // A first part of an exact count lists 100 until the page comes: it says 100.
        assert_eq!(
            count_text(100, 29_370, false, t),
            fill(t.hs_count_capped, &[("n", &29_370), ("shown", &100)])
        );
    }

    /// R-FU-6 on a server (issue 21): the first part is shown while the
    /// worker reads on (its job kept, so the same filter is not asked
    /// again); the whole list then takes its place where the clerk left
    /// the table, and the job ends.
    #[test]
    fn r_fu_6_a_first_part_is_shown_while_the_whole_list_is_read_then_replaced_in_place() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let desk =
            crate::app::HomeDesk::open(&dir.path().join("east.db")).unwrap_or_else(|e| panic!("{e:?}"));
        let (parts, done) = mpsc::channel();
        let query = HistoryQuery { text: "漏水".into(), ..HistoryQuery::default() };
        let mut tab = HistoryTab::default();
        let canceller = desk.store().canceller();
        tab.job = Some(Job { query: query.clone(), stamp: DataStamp::default(), done, canceller });
        let part = |n: usize, at_most: bool| -> Found { Ok((Vec::new(), n, vec!["wangjl".into()], at_most)) };
        parts.send((part(900, true), false)).unwrap_or_else(|e| panic!("{e}"));
        tab.poll();
        assert!(tab.job.is_some(), "the worker reads on");
        assert!(std::mem::take(&mut tab.to_top), "a new filter's rows start at the top");
        assert!(matches!(&tab.shown, Some((q, _, Ok((_, 900, _, true)))) if *q == query));
        parts.send((part(700, false), true)).unwrap_or_else(|e| panic!("{e}"));
        tab.poll();
        assert!(tab.job.is_none(), "the whole list ends the job");
        assert!(!tab.to_top, "the whole list keeps the table where it was");
        assert!(matches!(&tab.shown, Some((_, _, Ok((_, 700, _, false))))));
    }
}

//! The rows behind a figure of the 统计 tab: a clicked figure opens a
//! window listing the register rows it counts (`domain::stats::rows_behind`),
//! so a clerk or manager can check any number against the registers.

use chrono::NaiveDateTime;
use egui_extras::{Column, TableBuilder};

use super::widgets::{cell_ui, clip_cells, headings_ui, table_time};
use crate::domain::stats::{Drill, RequestFact, rows_behind};
use crate::i18n::{fill, t};

const ROW_HEIGHT: f32 = 20.0;

/// One figure's rows, shown until the window is closed.
#[derive(Debug, Clone)]
pub struct DrillView {
    title: String,
    rows: Vec<RequestFact>,
    /// Today, for the times' year (shown only when it is another year's).
    today: chrono::NaiveDate,
}

impl DrillView {
    /// The rows of `rows` behind `drill`; `what` names the figure.
    pub fn new(what: &str, drill: &Drill, rows: &[RequestFact], now: NaiveDateTime) -> DrillView {
        let rows: Vec<RequestFact> = rows_behind(drill, rows, now).into_iter().cloned().collect();
        let title = fill(t().st_drill_title, &[("what", &what), ("n", &rows.len())]);
        DrillView { title, rows, today: now.date() }
    }

    /// Draws the window; `false` once the clerk closed it.
    pub fn ui(&self, ctx: &egui::Context) -> bool {
        let mut open = true;
        egui::Window::new(&self.title)
            .id(egui::Id::unique("st_drill"))
            .open(&mut open)
            .default_size([820.0, 420.0])
            .collapsible(false)
            .show(ctx, |ui| self.table_ui(ui));
        open
    }

    fn table_ui(&self, ui: &mut egui::Ui) {
        let t = t();
        let headings = [
            t.col_no,
            t.col_received_at,
            t.col_room,
            t.col_service,
            t.col_status,
            t.col_staff,
            t.form_finished_at,
        ];
        TableBuilder::new(ui)
            .id_salt("st_drill_rows")
            .striped(true)
            .column(Column::auto().at_least(130.0))
            .column(Column::auto().at_least(110.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(120.0).clip(clip_cells()))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::remainder().at_least(110.0))
            .header(ROW_HEIGHT, |header| headings_ui(header, &headings))
            .body(|body| {
                body.rows(ROW_HEIGHT, self.rows.len(), |mut row| {
                    let r = &self.rows[row.index()];
                    let staff = r.staff.as_ref().map_or("", |(_, name)| name.as_str());
                    let finished = r.finished_at.map(|at| table_time(at, self.today)).unwrap_or_default();
                    let cells = [
                        r.no.to_string(),
                        table_time(r.received_at, self.today),
                        r.room.clone(),
                        r.service.clone(),
                        t.status(r.status).to_string(),
                        staff.to_string(),
                        finished,
                    ];
                    for cell in cells {
                        row.col(|ui| {
                            cell_ui(ui, cell);
                        });
                    }
                });
            });
    }
}

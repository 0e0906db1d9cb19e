//! The 统计 tab's charts (egui_plot), two by two: requests per month by
//! register and fees collected per month over the twelve months up to the
//! period's last, the revisits' satisfaction per month, and how long the
//! period's finished rows took. Draws only: every value comes from
//! `domain::stats` (a [`TrendMonth`] or [`CompletionFigures`]).

use egui_plot::{Bar, BarChart, GridMark, Legend, Line, Plot, Points, uniform_grid_spacer};

use crate::domain::RegisterKind;
use crate::domain::stats::{CompletionFigures, TrendMonth};
use crate::i18n::figures::key_name;
use crate::i18n::{Texts, fill, t};

const CHART_HEIGHT: f32 = 200.0;

/// The label under an x value that is a whole index; nothing between.
fn index_label(labels: &[String], mark: GridMark) -> String {
    let index = mark.value.round();
    if (mark.value - index).abs() > f64::EPSILON || index < 0.0 {
        return String::new();
    }
    labels.get(index as usize).cloned().unwrap_or_default()
}

/// A chart's frame: fixed in place (the scroll wheel scrolls the tab), the
/// x axis labelled by `labels`.
fn plot<'a>(id: &str, labels: &'a [String]) -> Plot<'a> {
    Plot::new(id)
        .height(CHART_HEIGHT)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .x_axis_formatter(move |mark, _| index_label(labels, mark))
        // One mark per month (or bucket): the labels are whole indexes.
        .x_grid_spacer(uniform_grid_spacer(|_| [1.0, 2.0, 4.0]))
}

/// A chart of counts or amounts: from 0 up, and 0…1 while all are 0
/// (issue 19: a new office's empty completion chart read −2…2).
fn count_plot<'a>(id: &str, labels: &'a [String]) -> Plot<'a> {
    plot(id, labels).include_y(0.0).include_y(1.0)
}

/// `YYYY-MM` as an axis label: `11月`, with the year on the first month
/// and on January (`26年1月`).
fn month_label(month: &str, first: bool) -> String {
    let (year, number) = month.split_once('-').unwrap_or((month, ""));
    let number = number.trim_start_matches('0');
    if first || number == "1" {
        let short_year = year.get(2..).unwrap_or(year);
        return fill(t().st_axis_month_year, &[("year", &short_year), ("month", &number)]);
    }
    fill(t().st_axis_month, &[("month", &number)])
}

/// The four charts of the period.
pub fn charts_ui(ui: &mut egui::Ui, trend: &[TrendMonth], completion: &CompletionFigures) {
    let t = t();
    let months: Vec<String> = trend.iter().enumerate().map(|(i, p)| month_label(&p.month, i == 0)).collect();
    ui.columns(2, |columns| {
        requests_chart(&mut columns[0], trend, &months, t);
        fees_chart(&mut columns[1], trend, &months, t);
    });
    ui.columns(2, |columns| {
        satisfaction_chart(&mut columns[0], trend, &months, t);
        completion_chart(&mut columns[1], completion, t);
    });
}

fn requests_chart(ui: &mut egui::Ui, trend: &[TrendMonth], months: &[String], t: &Texts) {
    ui.label(t.st_chart_requests);
    count_plot("st_chart_requests", months).show(ui, |plot| {
        for kind in RegisterKind::ALL {
            let count =
                |p: &TrendMonth| p.requests.iter().find(|x| x.key == kind.code()).map_or(0, |x| x.count);
            let points: Vec<[f64; 2]> =
                trend.iter().enumerate().map(|(x, p)| [x as f64, f64::from(count(p))]).collect();
            plot.line(Line::new(t.kind(*kind), points));
        }
    });
}

fn fees_chart(ui: &mut egui::Ui, trend: &[TrendMonth], months: &[String], t: &Texts) {
    ui.label(t.st_chart_fees);
    // Money is fen everywhere; yuan as f64 only to draw the bars.
    let bars: Vec<Bar> =
        trend.iter().enumerate().map(|(x, p)| Bar::new(x as f64, p.collected_fen as f64 / 100.0)).collect();
    count_plot("st_chart_fees", months)
        .show(ui, |plot| plot.bar_chart(BarChart::new(t.st_col_collected, bars)));
}

/// Months without revisit answers are left out, not drawn as 0 %.
fn satisfaction_chart(ui: &mut egui::Ui, trend: &[TrendMonth], months: &[String], t: &Texts) {
    ui.label(t.st_chart_satisfaction);
    let points: Vec<[f64; 2]> = trend
        .iter()
        .enumerate()
        .filter_map(|(x, p)| p.satisfied_per_mille.map(|pm| [x as f64, f64::from(pm) / 10.0]))
        .collect();
    // Shares move within a few points: the axis fits them, up to 100 %.
    plot("st_chart_satisfaction", months).include_y(100.0).show(ui, |plot| {
        plot.line(Line::new(t.st_col_rate, points.clone()));
        plot.points(Points::new(t.st_col_rate, points).radius(3.0));
    });
}

fn completion_chart(ui: &mut egui::Ui, completion: &CompletionFigures, t: &Texts) {
    ui.label(t.st_chart_completion);
    let labels: Vec<String> = completion.distribution.iter().map(|b| key_name(&b.key, t)).collect();
    let bars: Vec<Bar> = completion
        .distribution
        .iter()
        .enumerate()
        .map(|(x, b)| Bar::new(x as f64, f64::from(b.count)))
        .collect();
    count_plot("st_chart_completion", &labels)
        .show(ui, |plot| plot.bar_chart(BarChart::new(t.st_finished, bars)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_read_short_with_the_year_where_it_turns() {
        assert_eq!(month_label("2025-11", true), "25年11月");
        assert_eq!(month_label("2025-12", false), "12月");
        assert_eq!(month_label("2026-01", false), "26年1月");
    }
}

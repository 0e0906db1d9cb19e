//! Excel export use cases: gather a table's rows with the same code that
//! prints them, hand them to `export`, and return the workbook's bytes (or
//! write them to a file). Reads only; nothing is written to the database.

use std::path::Path;

use chrono::NaiveDate;

use super::print::{plan_period_text, register_period, revisit_lines};
use super::{AppError, HomeDesk, Result};
use crate::domain::{PlanKind, RegisterKind, RevisitPlan};
use crate::export::{
    ExportedXlsx, RegisterExport, figures_workbook, register_table, revisit_table, shopping_log_table,
};
use crate::print::PhoneDisplay;
use crate::store::RequestQuery;

impl HomeDesk {
    /// The register `kind` received on `from ..= to`, in running-number
    /// order: the rows of the printed register sheet.
    pub fn export_register(
        &self,
        kind: RegisterKind,
        from: NaiveDate,
        to: NaiveDate,
        phones: PhoneDisplay,
    ) -> Result<ExportedXlsx> {
        self.export_register_matching(kind, register_period(kind, from, to), phones)
    }

    /// The rows of register `kind` that `filter` finds, in its order: what
    /// the register tab shows with its filters. The title's period is the
    /// filter's, open at either end when it is.
    pub fn export_register_matching(
        &self,
        kind: RegisterKind,
        filter: RequestQuery,
        phones: PhoneDisplay,
    ) -> Result<ExportedXlsx> {
        let query = RequestQuery { kind: Some(kind), ..filter };
        let rows = self.requests_matching(&query)?;
        let office = self.office_name()?;
        let export = RegisterExport { office: &office, kind, from: query.from, to: query.to, phones };
        Ok(register_table(&export, &rows)?)
    }

    /// The shopping log of the entries taken on `from ..= to`: the rows of
    /// the printed 代客购物登记簿.
    pub fn export_shopping_log(&self, from: NaiveDate, to: NaiveDate) -> Result<ExportedXlsx> {
        let (rows, _) = self.shopping_log_rows(from, to)?;
        Ok(shopping_log_table(&self.office_name()?, from, to, &rows)?)
    }

    /// The figures of the days `[from, to)` and the twelve months up to
    /// the last: the 统计 tab's tables, a sheet per kind (R-RV-4).
    pub fn export_figures(&self, from: NaiveDate, to: NaiveDate) -> Result<ExportedXlsx> {
        let figures = self.figures(from, to)?;
        let trend = self.trend(to.pred_opt().unwrap_or(from))?;
        Ok(figures_workbook(&self.office_name()?, &figures, &trend)?)
    }

    /// A saved revisit plan with its answers so far: the rows of the printed
    /// record, phones masked as on it.
    pub fn export_revisits(&self, plan: &RevisitPlan) -> Result<ExportedXlsx> {
        let t = crate::i18n::t();
        let what = match plan.kind {
            PlanKind::Monthly => t.rv_title_monthly,
            PlanKind::Quarterly => t.rv_title_quarterly,
        };
        let office = self.office_name()?;
        let lines = revisit_lines(plan);
        Ok(revisit_table(&office, what, &plan_period_text(plan), PhoneDisplay::Masked, &lines)?)
    }
}

/// Writes a workbook to `path`, making its folder if need be.
pub fn save_xlsx(path: &Path, xlsx: &ExportedXlsx) -> Result<()> {
    let write = || -> std::io::Result<()> {
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(path, &xlsx.bytes)
    };
    write().map_err(|e| AppError::File { path: path.to_path_buf(), cause: e.to_string() })
}

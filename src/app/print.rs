//! Printing use cases: read what a form needs through the store, hand the
//! domain values to `print`, and return the PDF. Reads only; nothing is
//! written, so no transaction is opened.

use chrono::NaiveDate;

use super::{HomeDesk, Result};
use crate::domain::{RegisterKind, Request};
use crate::print::{PhoneDisplay, PrintedPdf, RegisterSheet, SheetPurpose, register_sheet};
use crate::store::{RequestQuery, SortColumn};

/// Rows fetched per query: bounds the SQL `IN (…)` list.
const FETCH_CHUNK: usize = 500;

impl HomeDesk {
    /// The register `kind` for the days `from ..= to` (received on those
    /// days), in running-number order, as an A4 landscape PDF.
    pub fn print_register(
        &self,
        kind: RegisterKind,
        from: NaiveDate,
        to: NaiveDate,
        phones: PhoneDisplay,
    ) -> Result<PrintedPdf> {
        let office = self.store.office()?.map(|o| o.name).unwrap_or_default();
        let rows = self.register_rows(kind, from, to)?;
        let sheet = RegisterSheet {
            office: &office,
            kind,
            from,
            to,
            phones,
            printed_at: self.now(),
            purpose: SheetPurpose::Register,
        };
        Ok(register_sheet(&sheet, &rows)?)
    }

    fn register_rows(&self, kind: RegisterKind, from: NaiveDate, to: NaiveDate) -> Result<Vec<Request>> {
        let query = RequestQuery {
            kind: Some(kind),
            from: Some(from),
            to: Some(to),
            sort: SortColumn::No,
            descending: false,
            ..RequestQuery::default()
        };
        let ids = self.store.query_request_ids(&query)?;
        let mut rows = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(FETCH_CHUNK) {
            rows.extend(self.store.get_requests(chunk)?);
        }
        Ok(rows)
    }
}

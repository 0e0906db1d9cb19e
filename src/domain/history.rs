//! The change history (R-FU-6): who changed which record, when, what (old and
//! new values) and why. Rows are only ever appended.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::people::coded_enum;

coded_enum! {
    /// The kinds of record whose changes are kept.
    Entity {
        Request = "request",
        Refusal = "refusal",
        Household = "household",
        Resident = "resident",
        Staff = "staff",
        PriceItem = "price_item",
        Office = "office",
        StepReason = "step_reason",
        Slip = "slip",
        DayReview = "day_review",
        RepairHandover = "repair_handover",
        CashReceipt = "cash_receipt",
        Agreement = "agreement",
        Amendment = "amendment",
        Shopping = "shopping",
        Investigation = "investigation",
        RevisitPlan = "revisit_plan",
        Revisit = "revisit",
        Complaint = "complaint",
        MonthlyReport = "monthly_report",
        SignIn = "sign_in",
    }
}

coded_enum! {
    Action {
        Create = "create",
        Update = "update",
        SetPassword = "set_password",
        SignInFailed = "sign_in_failed",
    }
}

/// One field's old and new value, as shown to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// One history row as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: NaiveDateTime,
    pub user_name: String,
    pub entity: Entity,
    pub entity_id: i64,
    pub action: Action,
    pub changes: Vec<Change>,
    pub reason: Option<String>,
}

/// One history row with the label of the record it changed (the 变更记录 view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub id: i64,
    pub entry: HistoryEntry,
    /// `JZ-2026-000012`, `XY-2026-0003`, `No. 000123`, a name, a room, a
    /// month, as it was when the change was made; empty when the record
    /// has no such label.
    pub record: String,
    /// What the ids in the changes pointed to when the change was made.
    pub refs: Vec<FieldRef>,
}

/// The name or number an id-valued field held when the change was made:
/// the agreement `XY-2026-0025` for the agreement field's `25`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "(String, String, String)", into = "(String, String, String)")]
pub struct FieldRef {
    pub field: String,
    pub id: String,
    pub label: String,
}

impl From<(String, String, String)> for FieldRef {
    fn from((field, id, label): (String, String, String)) -> FieldRef {
        FieldRef { field, id, label }
    }
}

impl From<FieldRef> for (String, String, String) {
    fn from(r: FieldRef) -> Self {
        (r.field, r.id, r.label)
    }
}

impl HistoryRow {
    /// `value` of `field` as a person reads it: the label the id stood for,
    /// or the value itself.
    pub fn value_of<'a>(&'a self, field: &str, value: &'a str) -> &'a str {
        self.refs
            .iter()
            .find(|r| r.field == field && r.id == value && !r.label.is_empty())
            .map_or(value, |r| r.label.as_str())
    }
}

/// The fields that differ between two snapshots of a record, by field name.
pub fn diff(old: &[(&str, String)], new: &[(&str, String)]) -> Vec<Change> {
    new.iter()
        .filter_map(|(field, new_value)| {
            let old_value = old.iter().find(|(f, _)| f == field).map(|(_, v)| v.as_str()).unwrap_or("");
            (old_value != new_value).then(|| Change {
                field: (*field).to_string(),
                old: old_value.to_string(),
                new: new_value.clone(),
            })
        })
        .collect()
}

/// A new record: every field appears with an empty old value.
pub fn created(fields: &[(&str, String)]) -> Vec<Change> {
    diff(&[], fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r_fu_6_diff_keeps_only_changed_fields_with_old_and_new() {
        let old = [("room", "3栋201".to_string()), ("phone", "1".to_string())];
        let new = [("room", "3栋201".to_string()), ("phone", "2".to_string())];
        let changes = diff(&old, &new);
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].old.as_str(), changes[0].new.as_str()), ("1", "2"));
    }
}

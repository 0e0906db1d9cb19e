//! The role HomeDesk connects as on a server (issue 21): it reads and writes
//! the office's rows and nothing more. The tables belong to another role
//! (the one that ran the migrations), so HomeDesk's role cannot drop or
//! disable a trigger, alter a table or truncate one (`TRUNCATE` skips the
//! row triggers that refuse deletion). It gets no right at all to change
//! or delete the history, and may delete rows of one table only: an
//! agreement's staff list, which is replaced when its terms change.

use super::PgConn;
use crate::store::sql::{Sql, SqlError, Value};

/// The history and what is built from it: read and appended, never changed.
pub const APPEND_ONLY: &[&str] = &["history", "history_labels", "history_search"];

/// Kept by the owner's triggers alone (`SECURITY DEFINER`): read, never
/// written by the desks. The search trusts these counts (a key counted
/// nought answers "none" at once), so a desk may not set them; nor the
/// shopping log's keys, which one character's search trusts without a
/// check of the entry's text (migration 29).
pub const KEPT_BY_TRIGGERS: &[&str] = &["history_term_counts", "shopping_term_counts", "shopping_term_ids"];

/// The only table whose rows HomeDesk deletes.
pub const DELETABLE: &[&str] = &["agreement_staff"];

/// Gives `role` exactly HomeDesk's rights on the current schema. Run by the
/// owner after every migration (a new table has no grants); running it
/// again changes nothing.
pub fn grant_app_role(conn: &PgConn, role: &str) -> Result<(), SqlError> {
    let role = quote_name(role);
    let mut sql = format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role};
         GRANT USAGE ON SCHEMA public TO {role};
         GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role};
         GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role};
         REVOKE INSERT, UPDATE ON homedesk_schema FROM {role};"
    );
    for table in APPEND_ONLY {
        sql.push_str(&format!("REVOKE UPDATE ON {table} FROM {role};"));
    }
    for table in KEPT_BY_TRIGGERS {
        // Not there on a schema older than its migration (IT's owner grants
        // before a desk of the newer version upgrades it).
        let exists = conn.query("SELECT to_regclass(?1)::text", &[(*table).into()])?[0][0] != Value::Null;
        if exists {
            sql.push_str(&format!("REVOKE INSERT, UPDATE ON {table} FROM {role};"));
        }
    }
    for table in DELETABLE {
        sql.push_str(&format!("GRANT DELETE ON {table} TO {role};"));
    }
    conn.batch(&sql)
}

/// `name` as a quoted SQL identifier.
fn quote_name(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

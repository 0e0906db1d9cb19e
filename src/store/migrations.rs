//! Numbered, append-only schema migrations tracked in `PRAGMA user_version`.
//!
//! Current schema (after the last migration):
//! - `office` (one row), `staff` (also the users: login + argon2 hash),
//!   `households` + `residents`, `price_items` (常规服务项目表);
//! - `requests` (all three registers, `kind` tells which; running number is
//!   `(kind, year, seq)`), `running_numbers` (the last issued seq per register
//!   and year, R-IN-4), `refusals` (R-IN-1);
//! - `history` (R-FU-6), appended by every write.
//! - `requests.follow_up`: a repair row's follow-up check (R-IN-4, R-EX-4).
//! - `job_steps`: one row per step of a job after intake (dispatch, hand-off,
//!   reschedule, not home, done, collection, sign-off, settlement).
//! - follow-up and money (5): `requests.arrived_at/finished_at`,
//!   `job_steps.asked_by/told_resident`, `step_reasons`, `message_slips`,
//!   `day_reviews`, `repair_handovers`, `cash_receipts`.
//! - shopping log (7): `shopping_entries` (never deleted, number never
//!   changed — triggers), `shopping_investigations`.
//! - revisits (8): `revisit_plans`, `plan_households`, `revisits`, `complaints`.
//! - figures (9): `complaints_at`, complaints by the time they were made.
//! - monthly reports (10): `monthly_reports` (R-RV-4; never deleted, locked
//!   once approved — triggers).
//! - figures (11): `job_steps_request_kind`, a row's steps of one kind.
//! - change history (12): `history_at`, `history_user_at`, `history_entity_at`.
//! - backups (13): `office.backups_kept`, how many daily backups to keep.
//! - speed (14): two indexes repeating the start of others dropped.
//! - search (15): `requests_search`, the registers' FTS5 index of
//!   two-character terms (`store/search.rs`), kept by triggers.
//! - speed (16): `agreements_room`; `job_steps_request` dropped (its
//!   `job_steps_request_kind` answers the same lookups).
//! - tamper evidence (17): `history.seal` (the record as the write left
//!   it) and `history.hash` (the chain), `store/chain.rs`; triggers refuse
//!   changing or deleting history and deleting business rows. A later
//!   migration that adds a column with a non-NULL default to a sealed table
//!   (`chain::SEALED`) changes its rows' seals and must seal them again
//!   (`chain::reseal_newest` as its step in `RUST_STEPS`).
//! - agreements (18): `agreement_signed_terms`, the terms as signed (never
//!   changed — triggers); `requests_relay_of`, a relayed repair's note.
//! - readable history (19): `history_labels` (each change's record and
//!   id-valued fields named as they were, from the view
//!   `history_labels_due`), `history_ref_fields` (which fields hold ids),
//!   `history_search` (FTS5 over them, `store/search.rs`), kept by a trigger.
//! - sign-in (20): `sign_in_failures` (login as typed, time, PC), each with
//!   its history row; read for the wait after five failures.
//! - agreements (21): `agreements.area_m2` and `agreement_signed_terms.area_m2`,
//!   the whole ㎡ served by an item priced by the ㎡ (R-FEE-4).
//! - languages (22): `office.language` and `office.yuan_word`, the office's
//!   print and export language (issue 22).
//! - history search (26): `history_grams`, each change's ASCII grams.
//! - readable history (27): `history_labels_due` names a failed sign-in
//!   by its login.
//! - agreements (6): `agreements`, `agreement_staff`, `agreement_amendments`,
//!   `requests.agreement_id` (one row per agreement and visit time).
//!
//! Never edit a migration that has shipped: add a new one.

use rusqlite::Connection;

use super::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    // 1: people, places and prices; the change history.
    r#"
    CREATE TABLE office (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        new_window_days INTEGER NOT NULL DEFAULT 30 CHECK (new_window_days BETWEEN 1 AND 365)
    );
    CREATE TABLE staff (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        grp TEXT NOT NULL,
        rank TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        first_job_on TEXT,
        phone TEXT NOT NULL DEFAULT '',
        login TEXT UNIQUE,
        password_hash TEXT
    );
    CREATE TABLE households (
        id INTEGER PRIMARY KEY,
        room TEXT NOT NULL UNIQUE,
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE residents (
        id INTEGER PRIMARY KEY,
        household_id INTEGER NOT NULL REFERENCES households(id),
        name TEXT NOT NULL,
        phone TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX residents_household ON residents(household_id);
    CREATE TABLE price_items (
        id INTEGER PRIMARY KEY,
        category TEXT NOT NULL,
        name TEXT NOT NULL,
        unit TEXT NOT NULL,
        price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
        added_on TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        UNIQUE (category, name)
    );
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES staff(id),
        user_name TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        changes TEXT NOT NULL,
        reason TEXT
    );
    CREATE INDEX history_entity ON history(entity, entity_id);
    "#,
    // 2: the three registers, their running numbers, and refusals.
    r#"
    CREATE TABLE running_numbers (
        kind TEXT NOT NULL,
        year INTEGER NOT NULL,
        last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
        PRIMARY KEY (kind, year)
    );
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        received_by_id INTEGER NOT NULL REFERENCES staff(id),
        received_by TEXT NOT NULL,
        desk TEXT NOT NULL,
        household_id INTEGER REFERENCES households(id),
        room TEXT NOT NULL,
        resident_name TEXT NOT NULL,
        phone TEXT NOT NULL,
        price_item_id INTEGER REFERENCES price_items(id),
        service TEXT NOT NULL,
        details TEXT NOT NULL,
        appointment TEXT NOT NULL,
        slack_reason TEXT NOT NULL DEFAULT '',
        price_fen INTEGER CHECK (price_fen IS NULL OR price_fen >= 0),
        price_agreed INTEGER NOT NULL DEFAULT 0,
        review_by TEXT,
        review_at TEXT,
        review_conclusion TEXT,
        urgency TEXT,
        alarm_work TEXT,
        assigned_staff_id INTEGER REFERENCES staff(id),
        status TEXT NOT NULL,
        signed_off_by TEXT,
        signed_off_at TEXT,
        collected_fen INTEGER CHECK (collected_fen IS NULL OR collected_fen >= 0),
        collected_by TEXT,
        settled_at TEXT,
        notes TEXT NOT NULL DEFAULT '',
        relay_told TEXT,
        relay_of INTEGER REFERENCES requests(id),
        UNIQUE (kind, year, seq)
    );
    CREATE INDEX requests_kind_received ON requests(kind, received_at);
    CREATE INDEX requests_kind_status ON requests(kind, status);
    CREATE INDEX requests_room ON requests(room, received_at);
    CREATE INDEX requests_assigned ON requests(assigned_staff_id);
    CREATE TABLE refusals (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        by_id INTEGER NOT NULL REFERENCES staff(id),
        by_name TEXT NOT NULL,
        desk TEXT NOT NULL,
        kind TEXT,
        room TEXT NOT NULL DEFAULT '',
        resident_name TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        asked_for TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE INDEX refusals_at ON refusals(at);
    "#,
    // 3: the repair register's follow-up check (R-IN-4, R-EX-4), which
    // migration 2 missed; filled when repair staff confirm the repair holds.
    r#"
    ALTER TABLE requests ADD COLUMN follow_up TEXT;
    "#,
    // 4: every step of a job after intake, one row each (issue 4): who
    // handed it to whom, reschedules, nobody-home slips, the service record,
    // collection, sign-off and settlement, with the status before and after.
    r#"
    CREATE TABLE job_steps (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES requests(id),
        at TEXT NOT NULL,
        by_id INTEGER REFERENCES staff(id),
        by_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        staff_id INTEGER REFERENCES staff(id),
        round_at TEXT,
        reason TEXT,
        apologised INTEGER,
        old_time TEXT,
        new_time TEXT,
        staff_told_at TEXT,
        slip_no TEXT,
        arrived_at TEXT,
        finished_at TEXT,
        work_done TEXT,
        opinion TEXT,
        comment TEXT,
        amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen >= 0),
        from_status TEXT NOT NULL,
        to_status TEXT NOT NULL
    );
    CREATE INDEX job_steps_request ON job_steps(request_id, id);
    CREATE INDEX job_steps_staff ON job_steps(staff_id, at);
    "#,
    // 5: follow-up and money (issue 4): arrival and finish on the row for the
    // repair clock (R-SLA-1/2), who asked for a new time (R-FU-1/2), hazards
    // (R-SLA-3), the office's reason list, message slips and their stubs
    // (R-FU-3), the day-end review (R-FU-4), the morning repair handover
    // (R-FU-5) and finance's cash receipts (R-FEE-2).
    r#"
    ALTER TABLE requests ADD COLUMN arrived_at TEXT;
    ALTER TABLE requests ADD COLUMN finished_at TEXT;
    UPDATE requests SET
        arrived_at = (SELECT j.arrived_at FROM job_steps j
                      WHERE j.request_id = requests.id AND j.kind = 'done' ORDER BY j.id LIMIT 1),
        finished_at = (SELECT j.finished_at FROM job_steps j
                       WHERE j.request_id = requests.id AND j.kind = 'done' ORDER BY j.id DESC LIMIT 1);
    ALTER TABLE job_steps ADD COLUMN asked_by TEXT;
    ALTER TABLE job_steps ADD COLUMN told_resident INTEGER;
    ALTER TABLE job_steps ADD COLUMN copier_id INTEGER REFERENCES staff(id);
    CREATE INDEX job_steps_kind_at ON job_steps(kind, at);
    CREATE INDEX requests_kind_status_appointment ON requests(kind, status, appointment);
    CREATE INDEX requests_kind_appointment ON requests(kind, appointment);
    CREATE INDEX requests_status_appointment ON requests(status, appointment);
    CREATE TABLE step_reasons (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('reschedule', 'cancel')),
        text TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        UNIQUE (kind, text)
    );
    INSERT INTO step_reasons (kind, text) VALUES
        ('reschedule', '员工临时有事'), ('reschedule', '前一单超时'), ('reschedule', '材料未到'),
        ('reschedule', '住户要求改期'), ('reschedule', '天气原因'),
        ('cancel', '住户不需要了'), ('cancel', '住户已自行解决'), ('cancel', '价格未谈妥'),
        ('cancel', '重复登记');
    CREATE TABLE message_slips (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL CHECK (seq > 0),
        issued_at TEXT NOT NULL,
        issued_by TEXT NOT NULL,
        request_id INTEGER REFERENCES requests(id),
        room TEXT NOT NULL DEFAULT '',
        visit_at TEXT,
        service TEXT NOT NULL DEFAULT '',
        staff_name TEXT NOT NULL DEFAULT '',
        posted_at TEXT,
        stub_returned_at TEXT,
        stub_received_by TEXT,
        UNIQUE (year, seq)
    );
    CREATE INDEX message_slips_request ON message_slips(request_id);
    CREATE INDEX message_slips_issued ON message_slips(issued_at);
    CREATE TABLE day_reviews (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        desk TEXT NOT NULL,
        request_id INTEGER NOT NULL REFERENCES requests(id),
        reason TEXT NOT NULL,
        expected_at TEXT,
        handling TEXT NOT NULL,
        by_name TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (day, request_id)
    );
    CREATE TABLE repair_handovers (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL UNIQUE,
        rows INTEGER NOT NULL,
        handed_by TEXT NOT NULL,
        handed_at TEXT NOT NULL,
        received_by TEXT NOT NULL
    );
    CREATE TABLE cash_receipts (
        id INTEGER PRIMARY KEY,
        staff_id INTEGER NOT NULL REFERENCES staff(id),
        day TEXT NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        received_by TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE INDEX cash_receipts_day ON cash_receipts(day, staff_id);
    "#,
    // 6: long-term service agreements (issue 5, R-AG-1..3): the agreement's
    // current terms, its named staff, its amendments, and the register rows
    // it puts on the board (R-DSP-4), one per agreement and scheduled slot
    // (the slot stays when the visit is rescheduled; a visit an amendment or
    // a termination supersedes gives its slot up).
    r#"
    CREATE TABLE agreements (
        id INTEGER PRIMARY KEY,
        year INTEGER,
        seq INTEGER CHECK (seq IS NULL OR seq > 0),
        status TEXT NOT NULL,
        room TEXT NOT NULL,
        resident_name TEXT NOT NULL,
        phone TEXT NOT NULL,
        price_item_id INTEGER REFERENCES price_items(id),
        service TEXT NOT NULL,
        details TEXT NOT NULL,
        persons_served TEXT NOT NULL DEFAULT '',
        requirements TEXT NOT NULL DEFAULT '',
        schedule TEXT NOT NULL,
        term_start TEXT NOT NULL,
        term_end TEXT NOT NULL,
        price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
        basis TEXT NOT NULL,
        payment_terms TEXT NOT NULL,
        review_by TEXT,
        review_conclusion TEXT,
        confirmed_by TEXT,
        confirmed_at TEXT,
        signed_by TEXT,
        signed_on TEXT,
        renewal_of INTEGER REFERENCES agreements(id),
        terminated_reason TEXT,
        notice_on TEXT,
        stop_on TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        UNIQUE (year, seq)
    );
    CREATE INDEX agreements_status ON agreements(status, term_end);
    CREATE TABLE agreement_staff (
        agreement_id INTEGER NOT NULL REFERENCES agreements(id),
        staff_id INTEGER NOT NULL REFERENCES staff(id),
        position INTEGER NOT NULL,
        PRIMARY KEY (agreement_id, staff_id)
    );
    CREATE TABLE agreement_amendments (
        id INTEGER PRIMARY KEY,
        agreement_id INTEGER NOT NULL REFERENCES agreements(id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        by_name TEXT NOT NULL,
        reason TEXT NOT NULL,
        effective_on TEXT NOT NULL,
        changes TEXT NOT NULL,
        UNIQUE (agreement_id, seq)
    );
    ALTER TABLE requests ADD COLUMN agreement_id INTEGER REFERENCES agreements(id);
    ALTER TABLE requests ADD COLUMN agreement_slot TEXT;
    CREATE UNIQUE INDEX requests_agreement_slot ON requests(agreement_id, agreement_slot)
        WHERE agreement_slot IS NOT NULL;
    "#,
    // 7: the shopping log (issue 6, R-SH-1..6): one row per serial number,
    // which is issued in the inserting statement and never changes; rows
    // are never deleted (the triggers refuse it even to a hand-typed
    // statement); the findings of 飞单 investigations.
    r#"
    CREATE TABLE shopping_entries (
        id INTEGER PRIMARY KEY,
        no INTEGER NOT NULL UNIQUE CHECK (no > 0),
        state TEXT NOT NULL,
        room TEXT NOT NULL,
        resident_name TEXT NOT NULL,
        item TEXT NOT NULL,
        brand TEXT NOT NULL,
        kind TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        unit TEXT NOT NULL DEFAULT '',
        spec TEXT NOT NULL,
        unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
        expected_total_fen INTEGER NOT NULL CHECK (expected_total_fen >= 0),
        deadline TEXT NOT NULL,
        taken_by_id INTEGER REFERENCES staff(id),
        taken_by TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        buyer TEXT,
        invoice_no TEXT,
        actual_fen INTEGER CHECK (actual_fen IS NULL OR actual_fen >= 0),
        bought_on TEXT,
        delivered_on TEXT,
        settled_at TEXT,
        not_bought_reason TEXT,
        told_at TEXT,
        void_reason TEXT,
        void_by TEXT,
        void_at TEXT
    );
    CREATE INDEX shopping_taken ON shopping_entries(taken_at);
    CREATE INDEX shopping_state ON shopping_entries(state, deadline);
    CREATE TRIGGER shopping_entries_kept BEFORE DELETE ON shopping_entries
        BEGIN SELECT RAISE(ABORT, 'shopping log entries are never deleted'); END;
    CREATE TRIGGER shopping_numbers_kept BEFORE UPDATE OF no, id ON shopping_entries
        BEGIN SELECT RAISE(ABORT, 'a shopping log number never changes'); END;
    -- INSERT OR REPLACE would delete the old row without the delete trigger.
    CREATE TRIGGER shopping_entries_not_replaced BEFORE INSERT ON shopping_entries
        WHEN EXISTS (SELECT 1 FROM shopping_entries WHERE no = NEW.no OR id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'a shopping log number is issued once'); END;
    CREATE TABLE shopping_investigations (
        id INTEGER PRIMARY KEY,
        no INTEGER NOT NULL CHECK (no > 0),
        concern TEXT NOT NULL,
        finding TEXT NOT NULL,
        by_name TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX shopping_investigations_no ON shopping_investigations(no, concern);
    CREATE TRIGGER shopping_investigations_kept BEFORE DELETE ON shopping_investigations
        BEGIN SELECT RAISE(ABORT, 'findings are never deleted'); END;
    "#,
    // 8: revisits (issue 7, R-RV-1..5): the month's (or the quarter's) plan
    // with its seed, its households and why each is there (a redrawn plan
    // keeps the old households, marked superseded), the revisits, and the
    // complaints against staff and jobs (R-RV-2D, R-FU-6).
    r#"
    CREATE TABLE revisit_plans (
        id INTEGER PRIMARY KEY,
        period TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('monthly', 'quarterly')),
        seed INTEGER NOT NULL,
        households_served INTEGER NOT NULL,
        sample_size INTEGER NOT NULL,
        drawn_at TEXT NOT NULL,
        drawn_by TEXT NOT NULL,
        UNIQUE (period, kind)
    );
    CREATE TABLE plan_households (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES revisit_plans(id),
        room TEXT NOT NULL,
        reasons TEXT NOT NULL,
        request_id INTEGER REFERENCES requests(id),
        superseded INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX plan_households_plan ON plan_households(plan_id, superseded);
    CREATE TABLE revisits (
        id INTEGER PRIMARY KEY,
        plan_household_id INTEGER NOT NULL REFERENCES plan_households(id),
        at TEXT NOT NULL,
        by_name TEXT NOT NULL,
        method TEXT NOT NULL,
        reached INTEGER NOT NULL,
        timeliness TEXT,
        skill TEXT,
        attitude TEXT,
        comments TEXT NOT NULL DEFAULT '',
        needs TEXT NOT NULL DEFAULT '',
        attempts TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX revisits_household ON revisits(plan_household_id);
    CREATE TABLE complaints (
        id INTEGER PRIMARY KEY,
        request_id INTEGER REFERENCES requests(id),
        staff_id INTEGER REFERENCES staff(id),
        revisit_id INTEGER REFERENCES revisits(id),
        at TEXT NOT NULL,
        by_name TEXT NOT NULL,
        what TEXT NOT NULL,
        severity TEXT NOT NULL,
        handling TEXT NOT NULL DEFAULT '',
        closed_by TEXT,
        closed_at TEXT
    );
    CREATE INDEX complaints_request ON complaints(request_id);
    CREATE INDEX complaints_staff ON complaints(staff_id, at);
    CREATE INDEX requests_finished ON requests(finished_at);
    CREATE INDEX requests_staff_finished ON requests(assigned_staff_id, finished_at);
    "#,
    // 9: the period's figures (issue 8, R-RV-4) read complaints by the time
    // they were made; the only date column those figures read unindexed.
    r#"
    CREATE INDEX complaints_at ON complaints(at);
    "#,
    // 10: the monthly 居家服务情况统计分析报告 (R-RV-4), one per month, its
    // figures frozen as JSON when generated. Never deleted; approved is final.
    r#"
    CREATE TABLE monthly_reports (
        id INTEGER PRIMARY KEY,
        month TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
        content TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        analysis TEXT NOT NULL DEFAULT '',
        suggestions TEXT NOT NULL DEFAULT '',
        prepared_by_id INTEGER REFERENCES staff(id),
        prepared_by TEXT NOT NULL,
        prepared_at TEXT NOT NULL,
        submitted_at TEXT,
        decided_by TEXT,
        decided_at TEXT,
        comment TEXT NOT NULL DEFAULT ''
    );
    CREATE TRIGGER monthly_reports_kept BEFORE DELETE ON monthly_reports
    BEGIN SELECT RAISE(ABORT, 'monthly reports are never deleted'); END;
    CREATE TRIGGER monthly_reports_locked BEFORE UPDATE ON monthly_reports WHEN OLD.status = 'approved'
    BEGIN SELECT RAISE(ABORT, 'an approved monthly report is locked'); END;
    "#,
    // 11: a row's steps of one kind (its reschedules, its not-home visits)
    // counted per row by the figures: without it the planner walked every
    // step of that kind for each row (3.4 s for a year of rows, now 12 ms).
    r#"
    CREATE INDEX job_steps_request_kind ON job_steps(request_id, kind);
    "#,
    // 12: the 变更记录 view (R-FU-6) reads the history newest first, by
    // person or kind of record.
    r#"
    CREATE INDEX history_at ON history(at);
    CREATE INDEX history_user_at ON history(user_name, at);
    CREATE INDEX history_entity_at ON history(entity, at);
    "#,
    // 13: how many automatic daily backups the office keeps (issue 9).
    r#"
    ALTER TABLE office ADD COLUMN backups_kept INTEGER NOT NULL DEFAULT 14
        CHECK (backups_kept BETWEEN 1 AND 365);
    "#,
    // 14 (issue 10): two indexes that only repeated the start of others —
    // `(kind, status)` of `(kind, status, appointment)`, `(assigned_staff_id)`
    // of `(assigned_staff_id, finished_at)` — cost every write of a row and
    // answered nothing the longer ones do not.
    r#"
    DROP INDEX requests_kind_status;
    DROP INDEX requests_assigned;
    "#,
    // 15 (issue 10): the registers' search index (`store/search.rs`): each
    // row's running number, room, resident, phone, service, details and
    // notes cut into two-character terms, and its register, kept in step by
    // triggers.
    r#"
    CREATE VIRTUAL TABLE requests_search USING fts5(
        terms, kind, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
    );
    INSERT INTO requests_search (rowid, kind, terms)
        SELECT id, kind, search_terms(
            CASE kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' WHEN 'alarm' THEN 'BJ' END
                || '-' || year || '-' || printf('%06d', seq),
            room, resident_name, phone, service, details, notes)
        FROM requests;
    CREATE TRIGGER requests_search_new AFTER INSERT ON requests
    BEGIN
        INSERT INTO requests_search (rowid, kind, terms) VALUES (new.id, new.kind, search_terms(
            CASE new.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' WHEN 'alarm' THEN 'BJ' END
                || '-' || new.year || '-' || printf('%06d', new.seq),
            new.room, new.resident_name, new.phone, new.service, new.details, new.notes));
    END;
    CREATE TRIGGER requests_search_changed
        AFTER UPDATE OF kind, year, seq, room, resident_name, phone, service, details, notes ON requests
    BEGIN
        DELETE FROM requests_search WHERE rowid = old.id;
        INSERT INTO requests_search (rowid, kind, terms) VALUES (new.id, new.kind, search_terms(
            CASE new.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' WHEN 'alarm' THEN 'BJ' END
                || '-' || new.year || '-' || printf('%06d', new.seq),
            new.room, new.resident_name, new.phone, new.service, new.details, new.notes));
    END;
    "#,
    // 16 (issue 10): a revisit asks whether its household's room has an
    // agreement, which read every agreement of four statuses each time; and
    // `job_steps_request` repeated `job_steps_request_kind` (a row's steps
    // are a handful, sorted by id after the lookup) at the cost of a
    // million-row index to keep.
    r#"
    CREATE INDEX agreements_room ON agreements(room);
    DROP INDEX job_steps_request;
    "#,
    // 17 (issue 20): tamper evidence (`store/chain.rs`). Each history row
    // gets `seal`, the digest of its record as the write left it, and
    // `hash`, its link in the chain; the Rust step `seal_and_link_existing`
    // fills both for the rows already there, then `PROTECTION_17` makes the
    // history unchangeable and every business row undeletable.
    r#"
    ALTER TABLE history ADD COLUMN seal BLOB;
    ALTER TABLE history ADD COLUMN hash BLOB;
    "#,
    // 18 (issue 18): the terms an agreement was signed on, kept apart from
    // its current terms (which amendments change) and never changed:
    // `print agreement` prints them. For agreements signed before, each
    // amended term is taken back to its wording before its first amendment
    // (the amendment's old value; the staff as their names, the price as
    // printed `¥1,280.00`). And a relayed repair finds its relay note (R-DESK-3).
    r#"
    CREATE TABLE agreement_signed_terms (
        agreement_id INTEGER PRIMARY KEY REFERENCES agreements(id),
        room TEXT NOT NULL,
        resident_name TEXT NOT NULL,
        phone TEXT NOT NULL,
        service TEXT NOT NULL,
        details TEXT NOT NULL,
        persons_served TEXT NOT NULL,
        requirements TEXT NOT NULL,
        staff TEXT NOT NULL,
        schedule TEXT NOT NULL,
        term_start TEXT NOT NULL,
        term_end TEXT NOT NULL,
        price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
        basis TEXT NOT NULL,
        payment_terms TEXT NOT NULL
    );
    CREATE TRIGGER agreement_signed_terms_kept BEFORE UPDATE ON agreement_signed_terms
    BEGIN
        SELECT RAISE(ABORT, 'the terms as signed are kept');
    END;
    CREATE TRIGGER agreement_signed_terms_not_deleted BEFORE DELETE ON agreement_signed_terms
    BEGIN
        SELECT RAISE(ABORT, 'the terms as signed are kept');
    END;
    CREATE TEMP TABLE first_old AS
        SELECT m.agreement_id AS agreement_id, json_extract(c.value, '$[0]') AS field,
               json_extract(c.value, '$[1]') AS old, m.seq AS seq
        FROM agreement_amendments m, json_each(m.changes) c;
    DELETE FROM first_old WHERE seq > (SELECT min(f.seq) FROM first_old f
        WHERE f.agreement_id = first_old.agreement_id AND f.field = first_old.field);
    INSERT INTO agreement_signed_terms
    SELECT a.id,
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'room'), a.room),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'resident_name'),
                 a.resident_name),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'phone'), a.phone),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'service'), a.service),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'details'), a.details),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'persons_served'),
                 a.persons_served),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'requirements'),
                 a.requirements),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'staff'),
                 (SELECT coalesce(group_concat(s.name, '、' ORDER BY x.position), '')
                  FROM agreement_staff x JOIN staff s ON s.id = x.staff_id WHERE x.agreement_id = a.id)),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'schedule'), a.schedule),
        a.term_start,
        a.term_end,
        coalesce((SELECT CAST(replace(replace(replace(old, '¥', ''), ',', ''), '.', '') AS INTEGER)
                  FROM first_old WHERE agreement_id = a.id AND field = 'price'), a.price_fen),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'basis'), a.basis),
        coalesce((SELECT old FROM first_old WHERE agreement_id = a.id AND field = 'payment_terms'),
                 a.payment_terms)
    FROM agreements a WHERE a.signed_on IS NOT NULL;
    DROP TABLE first_old;
    CREATE INDEX requests_relay_of ON requests(relay_of) WHERE relay_of IS NOT NULL;
    "#,
    // 19 (issue 23): history an auditor can read and search
    // (`store/history.rs`). `history_labels` holds each history row's
    // record as a clerk names it, the names or numbers its id-valued
    // fields point to and the number of the record it belongs to (a
    // slip's job), found by a search but not shown, written with the row (so as they were then) from the
    // view `history_labels_due`; rows already there are labelled here from
    // the records as they stand. `history_search` is the FTS5 index of
    // two-character terms (`store/search.rs`) over the labels, the values,
    // the reason and who, filled by a trigger, each change under its id
    // negated (newest first is the index's ascending order, which skips
    // where backwards reads whole lists). Labels are a reading aid
    // outside the chain (the ids they stand for are in it): they are
    // refused change and deletion like the history itself.
    r#"
    CREATE TABLE history_ref_fields (
        entity TEXT NOT NULL,
        field TEXT NOT NULL,
        target TEXT NOT NULL,
        PRIMARY KEY (entity, field)
    ) WITHOUT ROWID;
    INSERT INTO history_ref_fields (entity, field, target) VALUES
        ('request', 'agreement', 'agreement'),
        ('amendment', 'agreement', 'agreement'),
        ('slip', 'request', 'request'),
        ('day_review', 'request', 'request'),
        ('cash_receipt', 'staff', 'staff'),
        ('revisit', 'household', 'plan_household');
    CREATE TABLE history_labels (
        history_id INTEGER PRIMARY KEY,
        record TEXT NOT NULL,
        refs TEXT NOT NULL DEFAULT '[]',
        about TEXT NOT NULL DEFAULT ''
    );
    CREATE VIEW history_labels_due (history_id, record, refs, about) AS
    SELECT h.id,
        coalesce(CASE h.entity
            WHEN 'request' THEN (SELECT CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                    WHEN 'alarm' THEN 'BJ' END || '-' || r.year || '-' || printf('%06d', r.seq)
                FROM requests r WHERE r.id = h.entity_id)
            WHEN 'refusal' THEN (SELECT trim(x.room || ' ' || x.resident_name) FROM refusals x WHERE x.id = h.entity_id)
            WHEN 'household' THEN (SELECT x.room FROM households x WHERE x.id = h.entity_id)
            WHEN 'resident' THEN (SELECT trim(x.name || ' ' || y.room) FROM residents x
                JOIN households y ON y.id = x.household_id WHERE x.id = h.entity_id)
            WHEN 'staff' THEN (SELECT x.name FROM staff x WHERE x.id = h.entity_id)
            WHEN 'price_item' THEN (SELECT x.name FROM price_items x WHERE x.id = h.entity_id)
            WHEN 'office' THEN (SELECT x.name FROM office x WHERE x.id = h.entity_id)
            WHEN 'step_reason' THEN (SELECT x.text FROM step_reasons x WHERE x.id = h.entity_id)
            WHEN 'slip' THEN (SELECT 'LY-' || x.year || '-' || printf('%06d', x.seq) FROM message_slips x
                WHERE x.id = h.entity_id)
            WHEN 'day_review' THEN (SELECT CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                    WHEN 'alarm' THEN 'BJ' END || '-' || r.year || '-' || printf('%06d', r.seq) || ' ' || x.day
                FROM day_reviews x JOIN requests r ON r.id = x.request_id WHERE x.id = h.entity_id)
            WHEN 'repair_handover' THEN (SELECT x.day FROM repair_handovers x WHERE x.id = h.entity_id)
            WHEN 'cash_receipt' THEN (SELECT y.name || ' ' || x.day FROM cash_receipts x
                JOIN staff y ON y.id = x.staff_id WHERE x.id = h.entity_id)
            WHEN 'agreement' THEN (SELECT coalesce('XY-' || x.year || '-' || printf('%04d', x.seq), x.room)
                FROM agreements x WHERE x.id = h.entity_id)
            WHEN 'amendment' THEN (SELECT 'XY-' || y.year || '-' || printf('%04d', y.seq)
                FROM agreement_amendments x JOIN agreements y ON y.id = x.agreement_id WHERE x.id = h.entity_id)
            WHEN 'shopping' THEN (SELECT 'No. ' || printf('%06d', x.no) FROM shopping_entries x
                WHERE x.id = h.entity_id)
            WHEN 'investigation' THEN (SELECT 'No. ' || printf('%06d', x.no) FROM shopping_investigations x
                WHERE x.id = h.entity_id)
            WHEN 'revisit_plan' THEN (SELECT x.period FROM revisit_plans x WHERE x.id = h.entity_id)
            WHEN 'revisit' THEN (SELECT y.room FROM revisits x JOIN plan_households y ON y.id = x.plan_household_id
                WHERE x.id = h.entity_id)
            WHEN 'complaint' THEN (SELECT coalesce(
                    CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' WHEN 'alarm' THEN 'BJ' END
                        || '-' || r.year || '-' || printf('%06d', r.seq),
                    y.room, s.name)
                FROM complaints x LEFT JOIN requests r ON r.id = x.request_id
                LEFT JOIN revisits v ON v.id = x.revisit_id LEFT JOIN plan_households y ON y.id = v.plan_household_id
                LEFT JOIN staff s ON s.id = x.staff_id WHERE x.id = h.entity_id)
            WHEN 'monthly_report' THEN (SELECT x.month FROM monthly_reports x WHERE x.id = h.entity_id)
        END, ''),
        CASE WHEN EXISTS (SELECT 1 FROM history_ref_fields f WHERE f.entity = h.entity
                AND instr(h.changes, '"field":"' || f.field || '"') > 0) THEN (
            SELECT json_group_array(json_array(f.field, v.value, coalesce(CASE f.target
                WHEN 'agreement' THEN (SELECT 'XY-' || x.year || '-' || printf('%04d', x.seq) FROM agreements x
                    WHERE x.id = v.value)
                WHEN 'request' THEN (SELECT CASE x.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                        WHEN 'alarm' THEN 'BJ' END || '-' || x.year || '-' || printf('%06d', x.seq)
                    FROM requests x WHERE x.id = v.value)
                WHEN 'staff' THEN (SELECT x.name FROM staff x WHERE x.id = v.value)
                WHEN 'plan_household' THEN (SELECT x.room FROM plan_households x WHERE x.id = v.value)
            END, '')))
            FROM json_each(h.changes) c
            JOIN history_ref_fields f ON f.entity = h.entity AND f.field = json_extract(c.value, '$.field')
            JOIN json_each(json_array(json_extract(c.value, '$.old'), json_extract(c.value, '$.new'))) v
            WHERE v.value <> ''
        ) ELSE '[]' END,
        coalesce(CASE h.entity
            WHEN 'slip' THEN (SELECT CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                    WHEN 'alarm' THEN 'BJ' END || '-' || r.year || '-' || printf('%06d', r.seq)
                FROM message_slips x JOIN requests r ON r.id = x.request_id WHERE x.id = h.entity_id)
        END, '')
    FROM history h;
    INSERT INTO history_labels (history_id, record, refs, about)
        SELECT history_id, record, refs, about FROM history_labels_due;
    CREATE VIRTUAL TABLE history_search USING fts5(
        terms, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
    );
    INSERT INTO history_search (rowid, terms)
        SELECT -l.history_id, history_terms(l.record, l.about, l.refs, h.user_name, h.changes, h.reason)
        FROM history_labels l JOIN history h ON h.id = l.history_id
            ORDER BY l.history_id DESC;
    CREATE TRIGGER history_search_new AFTER INSERT ON history_labels
    BEGIN
        INSERT INTO history_search (rowid, terms)
            SELECT -new.history_id, history_terms(new.record, new.about, new.refs, h.user_name, h.changes, h.reason)
            FROM history h WHERE h.id = new.history_id;
    END;
    CREATE TRIGGER history_labels_kept BEFORE DELETE ON history_labels
    BEGIN SELECT RAISE(ABORT, 'the change history is never deleted'); END;
    CREATE TRIGGER history_labels_unchanged BEFORE UPDATE ON history_labels
    BEGIN SELECT RAISE(ABORT, 'the change history is never changed'); END;
    "#,
    // 20 (issue 20): failed sign-ins — the login as typed, when, and from
    // which PC — so that the wait after five of them holds for every
    // process and PC (`domain::sign_in_locked_until`), and a manager sees
    // them in 变更记录 (each has its history row). Only ever appended.
    r#"
    CREATE TABLE sign_in_failures (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL,
        at TEXT NOT NULL,
        host TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX sign_in_failures_login_at ON sign_in_failures(login, at);
    "#,
    // 21 (issue 19): the area an agreement serves, in whole square metres,
    // for an item priced by the ㎡ (R-FEE-4: the band is the list price ×
    // the area); in the current terms and in the terms as signed. NULL for
    // every other item and for every agreement before: a column added
    // without a default leaves the seals of old rows as they were (a
    // seal leaves trailing NULLs out, `store/chain.rs`), so nothing is
    // sealed again.
    r#"
    ALTER TABLE agreements ADD COLUMN area_m2 INTEGER CHECK (area_m2 IS NULL OR area_m2 > 0);
    ALTER TABLE agreement_signed_terms ADD COLUMN area_m2 INTEGER CHECK (area_m2 IS NULL OR area_m2 > 0);
    "#,
    // 22 (issue 22): the language of the office's printed forms and
    // exports, and its word for the yuan on Traditional forms (元 or 圓).
    // Both columns have a non-NULL default, which every office row now
    // holds: its Rust step seals the newest history rows again.
    r#"
    ALTER TABLE office ADD COLUMN language TEXT NOT NULL DEFAULT 'zh-Hans'
        CHECK (language IN ('zh-Hans', 'zh-Hant', 'en'));
    ALTER TABLE office ADD COLUMN yuan_word TEXT NOT NULL DEFAULT '元' CHECK (yuan_word IN ('元', '圓'));
    "#,
    // 23 (issue 21): nothing in a file. The server's searches read their
    // terms from `(term, id)` tables (`store/pg/migrations.rs`, 23), as
    // FTS5 already reads its doclists here; the number keeps both
    // backends' versions one.
    "",
    // 24 (issue 21): nothing in a file either. A server's key tables also
    // hold each three characters standing together (FTS5 checks a phrase
    // on its position lists; a server read each candidate's terms).
    "",
    // 25 (issue 21): nothing in a file. The server computes its search
    // terms once per field instead of once per character
    // (`store/pg/migrations.rs`, 25); the number keeps both versions one.
    "",
    // 26 (issue 23; on a server, issue 21's triples at their places,
    // `store/pg/migrations.rs` 26): `history_grams`, each change's ASCII grams (four
    // letters or digits standing together in a field: the pieces of its
    // numbers, `store/search.rs`), so that a number is looked for by its
    // rarer pieces instead of its pairs, which most changes hold; kept by
    // a trigger beside `history_search_new`. Filled newest first, the
    // index's own order (its rowids are the ids negated), in one segment.
    r#"
    CREATE VIRTUAL TABLE history_grams USING fts5(
        grams, content = '', detail = none, tokenize = 'unicode61 remove_diacritics 0'
    );
    INSERT INTO history_grams (history_grams, rank) VALUES ('automerge', 0);
    INSERT INTO history_grams (history_grams, rank) VALUES ('hashsize', 33554432);
    INSERT INTO history_grams (rowid, grams)
        SELECT -l.history_id, history_grams(l.record, l.about, l.refs, h.user_name, h.changes, h.reason)
        FROM history_labels l JOIN history h ON h.id = l.history_id
        ORDER BY l.history_id DESC;
    INSERT INTO history_grams (history_grams) VALUES ('optimize');
    INSERT INTO history_grams (history_grams, rank) VALUES ('automerge', 4);
    INSERT INTO history_grams (history_grams, rank) VALUES ('hashsize', 1048576);
    CREATE TRIGGER history_grams_new AFTER INSERT ON history_labels
    BEGIN
        INSERT INTO history_grams (rowid, grams)
            SELECT -new.history_id, history_grams(new.record, new.about, new.refs, h.user_name, h.changes, h.reason)
            FROM history h WHERE h.id = new.history_id;
    END;
    "#,
    // 27 (issue 23): a failed sign-in's change names the login that was
    // tried, as a clerk would, instead of showing the failure row's id in
    // 记录: `history_labels_due` again (a view is replaced whole), with the
    // `sign_in` case added. Labels already written are never changed
    // (`history_labels_unchanged`): the history's reader shows an older
    // failure's login from its values instead (`store/history.rs`).
    r#"
    DROP VIEW history_labels_due;
    CREATE VIEW history_labels_due (history_id, record, refs, about) AS
    SELECT h.id,
        coalesce(CASE h.entity
            WHEN 'request' THEN (SELECT CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                    WHEN 'alarm' THEN 'BJ' END || '-' || r.year || '-' || printf('%06d', r.seq)
                FROM requests r WHERE r.id = h.entity_id)
            WHEN 'refusal' THEN (SELECT trim(x.room || ' ' || x.resident_name) FROM refusals x WHERE x.id = h.entity_id)
            WHEN 'household' THEN (SELECT x.room FROM households x WHERE x.id = h.entity_id)
            WHEN 'resident' THEN (SELECT trim(x.name || ' ' || y.room) FROM residents x
                JOIN households y ON y.id = x.household_id WHERE x.id = h.entity_id)
            WHEN 'staff' THEN (SELECT x.name FROM staff x WHERE x.id = h.entity_id)
            WHEN 'price_item' THEN (SELECT x.name FROM price_items x WHERE x.id = h.entity_id)
            WHEN 'office' THEN (SELECT x.name FROM office x WHERE x.id = h.entity_id)
            WHEN 'step_reason' THEN (SELECT x.text FROM step_reasons x WHERE x.id = h.entity_id)
            WHEN 'slip' THEN (SELECT 'LY-' || x.year || '-' || printf('%06d', x.seq) FROM message_slips x
                WHERE x.id = h.entity_id)
            WHEN 'day_review' THEN (SELECT CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                    WHEN 'alarm' THEN 'BJ' END || '-' || r.year || '-' || printf('%06d', r.seq) || ' ' || x.day
                FROM day_reviews x JOIN requests r ON r.id = x.request_id WHERE x.id = h.entity_id)
            WHEN 'repair_handover' THEN (SELECT x.day FROM repair_handovers x WHERE x.id = h.entity_id)
            WHEN 'cash_receipt' THEN (SELECT y.name || ' ' || x.day FROM cash_receipts x
                JOIN staff y ON y.id = x.staff_id WHERE x.id = h.entity_id)
            WHEN 'agreement' THEN (SELECT coalesce('XY-' || x.year || '-' || printf('%04d', x.seq), x.room)
                FROM agreements x WHERE x.id = h.entity_id)
            WHEN 'amendment' THEN (SELECT 'XY-' || y.year || '-' || printf('%04d', y.seq)
                FROM agreement_amendments x JOIN agreements y ON y.id = x.agreement_id WHERE x.id = h.entity_id)
            WHEN 'shopping' THEN (SELECT 'No. ' || printf('%06d', x.no) FROM shopping_entries x
                WHERE x.id = h.entity_id)
            WHEN 'investigation' THEN (SELECT 'No. ' || printf('%06d', x.no) FROM shopping_investigations x
                WHERE x.id = h.entity_id)
            WHEN 'revisit_plan' THEN (SELECT x.period FROM revisit_plans x WHERE x.id = h.entity_id)
            WHEN 'revisit' THEN (SELECT y.room FROM revisits x JOIN plan_households y ON y.id = x.plan_household_id
                WHERE x.id = h.entity_id)
            WHEN 'complaint' THEN (SELECT coalesce(
                    CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX' WHEN 'alarm' THEN 'BJ' END
                        || '-' || r.year || '-' || printf('%06d', r.seq),
                    y.room, s.name)
                FROM complaints x LEFT JOIN requests r ON r.id = x.request_id
                LEFT JOIN revisits v ON v.id = x.revisit_id LEFT JOIN plan_households y ON y.id = v.plan_household_id
                LEFT JOIN staff s ON s.id = x.staff_id WHERE x.id = h.entity_id)
            WHEN 'monthly_report' THEN (SELECT x.month FROM monthly_reports x WHERE x.id = h.entity_id)
            WHEN 'sign_in' THEN (SELECT x.login FROM sign_in_failures x WHERE x.id = h.entity_id)
        END, ''),
        CASE WHEN EXISTS (SELECT 1 FROM history_ref_fields f WHERE f.entity = h.entity
                AND instr(h.changes, '"field":"' || f.field || '"') > 0) THEN (
            SELECT json_group_array(json_array(f.field, v.value, coalesce(CASE f.target
                WHEN 'agreement' THEN (SELECT 'XY-' || x.year || '-' || printf('%04d', x.seq) FROM agreements x
                    WHERE x.id = v.value)
                WHEN 'request' THEN (SELECT CASE x.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                        WHEN 'alarm' THEN 'BJ' END || '-' || x.year || '-' || printf('%06d', x.seq)
                    FROM requests x WHERE x.id = v.value)
                WHEN 'staff' THEN (SELECT x.name FROM staff x WHERE x.id = v.value)
                WHEN 'plan_household' THEN (SELECT x.room FROM plan_households x WHERE x.id = v.value)
            END, '')))
            FROM json_each(h.changes) c
            JOIN history_ref_fields f ON f.entity = h.entity AND f.field = json_extract(c.value, '$.field')
            JOIN json_each(json_array(json_extract(c.value, '$.old'), json_extract(c.value, '$.new'))) v
            WHERE v.value <> ''
        ) ELSE '[]' END,
        coalesce(CASE h.entity
            WHEN 'slip' THEN (SELECT CASE r.kind WHEN 'housekeeping' THEN 'JZ' WHEN 'repair' THEN 'WX'
                    WHEN 'alarm' THEN 'BJ' END || '-' || r.year || '-' || printf('%06d', r.seq)
                FROM message_slips x JOIN requests r ON r.id = x.request_id WHERE x.id = h.entity_id)
        END, '')
    FROM history h;
    "#,
    // 28 (issue 21 items 5 and 10): nothing in a file, whose history FTS5
    // indexes with its doclists compressed. On a server the history's
    // `(term, id)` keys (84 rows a change) give way to a GIN index of each
    // change's keys and a count per key (`store/pg/migrations.rs`, 28);
    // the number keeps both backends' versions one.
    "",
    // 29 (issue 21 item 5): nothing in a file, whose shopping log is read
    // with `LIKE` within the target. On a server a count per key of the
    // shopping log's search (`store/pg/migrations.rs`, 29).
    "",
];

/// Migrations that need Rust, not only SQL: each runs right after the SQL
/// of its version, in the same transaction, and may execute SQL of its own.
const RUST_STEPS: &[(i64, RustStep)] = &[(17, migration_17), (22, super::chain::reseal_newest)];

/// A migration's step in Rust, given the migration's transaction.
type RustStep = fn(&Connection) -> Result<()>;

/// Migration 17's Rust step: the existing history sealed and linked, then
/// the triggers that keep it so.
fn migration_17(conn: &Connection) -> Result<()> {
    super::chain::seal_and_link_existing(conn)?;
    Ok(conn.execute_batch(PROTECTION_17)?)
}

/// Migration 17's triggers. History is never changed or deleted; no
/// business row is ever deleted (an agreement's staff list, which is
/// replaced when its terms change, is sealed with the agreement instead);
/// rows that are written once — job steps, refusals, handovers, cash
/// receipts, amendments, findings, revisits — are never changed either.
/// `check` verifies that every trigger is there as HomeDesk made it.
/// (The shopping log and the monthly reports have theirs since 7 and 10.)
const PROTECTION_17: &str = r#"
    CREATE TRIGGER history_kept BEFORE DELETE ON history
    BEGIN SELECT RAISE(ABORT, 'the change history is never deleted'); END;
    CREATE TRIGGER history_unchanged BEFORE UPDATE ON history
    BEGIN SELECT RAISE(ABORT, 'the change history is never changed'); END;
    CREATE TRIGGER requests_kept BEFORE DELETE ON requests
    BEGIN SELECT RAISE(ABORT, 'register rows are never deleted'); END;
    CREATE TRIGGER refusals_kept BEFORE DELETE ON refusals
    BEGIN SELECT RAISE(ABORT, 'refusals are never deleted'); END;
    CREATE TRIGGER refusals_unchanged BEFORE UPDATE ON refusals
    BEGIN SELECT RAISE(ABORT, 'refusals are never changed'); END;
    CREATE TRIGGER households_kept BEFORE DELETE ON households
    BEGIN SELECT RAISE(ABORT, 'households are never deleted'); END;
    CREATE TRIGGER residents_kept BEFORE DELETE ON residents
    BEGIN SELECT RAISE(ABORT, 'residents are never deleted'); END;
    CREATE TRIGGER staff_kept BEFORE DELETE ON staff
    BEGIN SELECT RAISE(ABORT, 'staff are never deleted'); END;
    CREATE TRIGGER price_items_kept BEFORE DELETE ON price_items
    BEGIN SELECT RAISE(ABORT, 'price items are never deleted'); END;
    CREATE TRIGGER office_kept BEFORE DELETE ON office
    BEGIN SELECT RAISE(ABORT, 'the office is never deleted'); END;
    CREATE TRIGGER step_reasons_kept BEFORE DELETE ON step_reasons
    BEGIN SELECT RAISE(ABORT, 'reasons are never deleted'); END;
    CREATE TRIGGER running_numbers_kept BEFORE DELETE ON running_numbers
    BEGIN SELECT RAISE(ABORT, 'running numbers are never deleted'); END;
    CREATE TRIGGER job_steps_kept BEFORE DELETE ON job_steps
    BEGIN SELECT RAISE(ABORT, 'job steps are never deleted'); END;
    CREATE TRIGGER job_steps_unchanged BEFORE UPDATE ON job_steps
    BEGIN SELECT RAISE(ABORT, 'job steps are never changed'); END;
    CREATE TRIGGER message_slips_kept BEFORE DELETE ON message_slips
    BEGIN SELECT RAISE(ABORT, 'message slips are never deleted'); END;
    CREATE TRIGGER day_reviews_kept BEFORE DELETE ON day_reviews
    BEGIN SELECT RAISE(ABORT, 'day reviews are never deleted'); END;
    CREATE TRIGGER repair_handovers_kept BEFORE DELETE ON repair_handovers
    BEGIN SELECT RAISE(ABORT, 'repair handovers are never deleted'); END;
    CREATE TRIGGER repair_handovers_unchanged BEFORE UPDATE ON repair_handovers
    BEGIN SELECT RAISE(ABORT, 'repair handovers are never changed'); END;
    CREATE TRIGGER cash_receipts_kept BEFORE DELETE ON cash_receipts
    BEGIN SELECT RAISE(ABORT, 'cash receipts are never deleted'); END;
    CREATE TRIGGER cash_receipts_unchanged BEFORE UPDATE ON cash_receipts
    BEGIN SELECT RAISE(ABORT, 'cash receipts are never changed'); END;
    CREATE TRIGGER agreements_kept BEFORE DELETE ON agreements
    BEGIN SELECT RAISE(ABORT, 'agreements are never deleted'); END;
    CREATE TRIGGER agreement_amendments_kept BEFORE DELETE ON agreement_amendments
    BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;
    CREATE TRIGGER agreement_amendments_unchanged BEFORE UPDATE ON agreement_amendments
    BEGIN SELECT RAISE(ABORT, 'amendments are never changed'); END;
    CREATE TRIGGER shopping_investigations_unchanged BEFORE UPDATE ON shopping_investigations
    BEGIN SELECT RAISE(ABORT, 'findings are never changed'); END;
    CREATE TRIGGER revisit_plans_kept BEFORE DELETE ON revisit_plans
    BEGIN SELECT RAISE(ABORT, 'revisit plans are never deleted'); END;
    CREATE TRIGGER plan_households_kept BEFORE DELETE ON plan_households
    BEGIN SELECT RAISE(ABORT, 'planned households are never deleted'); END;
    CREATE TRIGGER revisits_kept BEFORE DELETE ON revisits
    BEGIN SELECT RAISE(ABORT, 'revisits are never deleted'); END;
    CREATE TRIGGER revisits_unchanged BEFORE UPDATE ON revisits
    BEGIN SELECT RAISE(ABORT, 'revisits are never changed'); END;
    CREATE TRIGGER complaints_kept BEFORE DELETE ON complaints
    BEGIN SELECT RAISE(ABORT, 'complaints are never deleted'); END;
"#;

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// An SQLite file that is not HomeDesk's (tables but no schema version) is
/// refused before anything is written to it.
pub fn refuse_foreign(conn: &Connection) -> Result<()> {
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if user_version(conn)? == 0 && tables > 0 {
        return Err(StoreError::Foreign);
    }
    Ok(())
}

/// A database from a newer HomeDesk is refused before anything is written to it.
pub fn refuse_newer(conn: &Connection) -> Result<()> {
    let found = user_version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { found, known: SCHEMA_VERSION });
    }
    Ok(())
}

/// Applies every migration past the file's version, all in one transaction.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// An empty file of this version, in memory: what `check` holds an
/// office's schema to (on a server, by its shape: `store/schema.rs`).
pub fn reference_file() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    super::search::register_terms_function(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Every trigger of a file of this version as HomeDesk makes it, by name:
/// `check` compares the file's with these (a missing, changed or added
/// trigger is a sign of tampering).
pub fn expected_triggers() -> Result<Vec<(String, String)>> {
    let conn = reference_file()?;
    let mut stmt = conn
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Brings the schema to `target` (tests build older databases with this).
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let current = user_version(conn)?;
    if current >= target {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Re-read under the write lock: another HomeDesk may have migrated meanwhile.
    let current = user_version(&tx)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().take(target as usize).skip(current as usize) {
        let version = index as i64 + 1;
        tx.execute_batch(sql)?;
        for (_, step) in RUST_STEPS.iter().filter(|(v, _)| *v == version) {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.commit()?;
    Ok(())
}

#[doc(hidden)]
/// Opens `path` at an older schema, for upgrade tests.
pub fn create_at_version(path: &std::path::Path, version: i64) -> Result<()> {
    let mut conn = Connection::open(path)?;
    super::search::register_terms_function(&conn)?;
    migrate_to(&mut conn, version)
}

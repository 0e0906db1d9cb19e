//! Storage on real SQLite files: schema creation and upgrades, refusing a
//! newer schema, all-or-nothing writes, gap-free running numbers (R-IN-4),
//! change history (R-FU-6), and two HomeDesks on one file.

mod common;

use std::time::{Duration, Instant};

use chrono::Duration as Minutes;
use common::{
    TestClock, at, backends, count, draft_at, draft_for_item, emergency_relay_draft, fixed_clock,
    housekeeping_draft, now, office_db, office_desk, open_at, raw, repair_draft, temp_db, write_counts,
};
use homedesk::app::{AppError, HomeDesk};
use homedesk::domain::{
    Action, CorrectionDraft, Desk, Entity, Field, IntakeContext, IntakeError, RELAY_NOTE_SERVICE, Rank,
    RefusalDraft, RegisterKind, RequestStatus, Resident, RoomNo, RunningNo, StaffDraft, User,
    validate_intake,
};
use homedesk::store::{
    self, Audit, HistoryQuery, Problem, RequestQuery, SCHEMA_VERSION, SortColumn, Store, StoreError,
};

fn user_version(path: &std::path::Path) -> i64 {
    raw(path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("user_version: {e}"))
}

fn audit_by(user: &User) -> Audit {
    Audit { user_id: Some(user.staff_id), user_name: user.name.clone(), at: now() }
}

/// The running numbers of one register, in number order.
fn numbers(desk: &HomeDesk, kind: RegisterKind) -> Vec<String> {
    let query = RequestQuery { kind: Some(kind), sort: SortColumn::No, ..RequestQuery::default() };
    let ids = desk.store().query_request_ids(&query).unwrap_or_else(|e| panic!("query: {e}"));
    let rows = desk.store().get_requests(&ids).unwrap_or_else(|e| panic!("get: {e}"));
    rows.iter().map(|r| r.no.to_string()).collect()
}

fn assert_no_problems(desk: &HomeDesk) {
    let problems = desk.store().check_invariants().unwrap_or_else(|e| panic!("check: {e}"));
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn fresh_database_is_created_at_the_current_schema() {
    let db = temp_db();
    let nested = db.dir.path().join("data").join("homedesk.db");
    for path in [&db.path, &nested] {
        let desk = open_at(path, fixed_clock(now()));
        assert_eq!(desk.store().schema_version().ok(), Some(SCHEMA_VERSION));
        assert!(matches!(desk.needs_setup(), Ok(true)));
        assert_no_problems(&desk);
        let journal: String = raw(path)
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("journal_mode: {e}"));
        assert_eq!(journal, "wal");
        drop(desk);
        assert_eq!(user_version(path), SCHEMA_VERSION);
    }
}

/// Rows a version-1 database (people, prices, history) could hold.
fn insert_version_1_rows(path: &std::path::Path) {
    let sql = "
        INSERT INTO office (id, name, phone) VALUES (1, '旧管理处', '0571-8888');
        INSERT INTO staff (id, name, grp, rank, active, login) VALUES (1, '老王', 'cs', 'manager', 1, 'oldboss');
        INSERT INTO staff (id, name, grp, rank, active) VALUES (2, '老孙', 'housekeeping', 'staff', 1);
        INSERT INTO price_items (id, category, name, unit, price_fen, added_on)
            VALUES (1, 'cleaning', '厨房保洁', '次', 10000, '2025-01-01');
        INSERT INTO history (at, user_id, user_name, entity, entity_id, action, changes) VALUES
            ('2025-01-01 08:59:00', 1, '老王', 'office', 1, 'create', '[]'),
            ('2025-01-01 09:00:00', 1, '老王', 'staff', 1, 'create', '[]'),
            ('2025-01-01 09:00:00', 1, '老王', 'staff', 2, 'create', '[]'),
            ('2025-01-01 09:01:00', 1, '老王', 'price_item', 1, 'create', '[]');
    ";
    raw(path).execute_batch(sql).unwrap_or_else(|e| panic!("v1 rows: {e}"));
}

/// A repair row as schema 2 stored it (before the follow-up column).
fn insert_version_2_rows(path: &std::path::Path) {
    let sql = "
        INSERT INTO running_numbers (kind, year, last_seq) VALUES ('repair', 2025, 1);
        INSERT INTO requests (id, kind, year, seq, received_at, received_by_id, received_by, desk, room,
            resident_name, phone, service, details, appointment, urgency, status)
            VALUES (1, 'repair', 2025, 1, '2025-06-01 09:00:00', 1, '老王', 'control', '3栋2单元201',
            '张三', '13800138000', '更换水龙头', '厨房龙头漏水', '2025-06-01 10:00:00', 'small', 'registered');
        INSERT INTO history (at, user_id, user_name, entity, entity_id, action, changes) VALUES
            ('2025-06-01 09:00:00', 1, '老王', 'request', 1, 'create', '[]');
    ";
    raw(path).execute_batch(sql).unwrap_or_else(|e| panic!("v2 rows: {e}"));
}

/// A schema-4 service record for the repair row of version 2.
fn insert_version_4_done_step(path: &std::path::Path) {
    let sql = "
        INSERT INTO job_steps (request_id, at, by_id, by_name, kind, arrived_at, finished_at, work_done,
            opinion, from_status, to_status)
            VALUES (1, '2025-06-01 11:00:00', 1, '老王', 'done', '2025-06-01 10:05:00', '2025-06-01 10:40:00',
            '更换阀芯', 'satisfied', 'dispatched', 'done');
    ";
    raw(path).execute_batch(sql).unwrap_or_else(|e| panic!("v4 rows: {e}"));
}

#[test]
fn upgrade_from_each_older_version_keeps_the_data() {
    for version in 0..SCHEMA_VERSION {
        let db = temp_db();
        // The rows below are written as the old HomeDesk wrote them, unlinked:
        // a file past migration 17 gets them at 16, then is brought up to
        // `version` (17 links them), as such a file would have been.
        let seeded = version.min(UNLINKED_VERSION);
        store::create_at_version(&db.path, seeded).unwrap_or_else(|e| panic!("create v{seeded}: {e}"));
        if seeded >= 1 {
            insert_version_1_rows(&db.path);
        }
        if seeded >= 2 {
            insert_version_2_rows(&db.path);
        }
        if seeded == 4 {
            insert_version_4_done_step(&db.path);
        }
        store::create_at_version(&db.path, version).unwrap_or_else(|e| panic!("migrate to v{version}: {e}"));
        assert_eq!(user_version(&db.path), version);

        let mut desk = open_at(&db.path, fixed_clock(now()));
        assert_eq!(desk.store().schema_version().ok(), Some(SCHEMA_VERSION), "from v{version}");
        assert_no_problems(&desk);
        if version == 0 {
            assert!(matches!(desk.needs_setup(), Ok(true)));
            continue;
        }

        let office = desk.store().office().ok().flatten().map(|o| (o.name, o.phone));
        assert_eq!(office, Some(("旧管理处".to_string(), "0571-8888".to_string())));
        let staff: Vec<String> =
            desk.store().list_staff().unwrap_or_default().into_iter().map(|s| s.name).collect();
        assert_eq!(staff.len(), 2, "{staff:?}");
        let item = desk.store().get_price_item(1).unwrap_or_else(|e| panic!("price item: {e}"));
        assert_eq!((item.name.as_str(), item.price.fen()), ("厨房保洁", 10_000));
        if version >= 2 {
            let repair = desk.store().get_request(1).unwrap_or_else(|e| panic!("v2 repair row: {e}"));
            assert_eq!((repair.no.to_string(), repair.follow_up), ("WX-2025-000001".to_string(), None));
            // Migration 5 moves a done job's times onto the row (R-SLA-1/2).
            let finished = (version == 4).then(|| at("2025-06-01 10:40"));
            assert_eq!(repair.finished_at, finished, "from v{version}");
        }

        // The upgraded file takes register rows at once.
        let old_boss = User { staff_id: 1, name: "老王".into(), rank: Rank::Manager, desk: Desk::CsCenter };
        let d = draft_for_item(RegisterKind::Housekeeping, 1, now());
        let row =
            desk.register_request(&old_boss, &d).unwrap_or_else(|e| panic!("register after upgrade: {e:?}"));
        assert_eq!(row.no.to_string(), "JZ-2026-000001");
        assert_no_problems(&desk);
        // Migration 17 linked the old history and sealed its records (issue 20):
        // a staff member renamed outside HomeDesk is named.
        let unlinked: i64 = raw(&db.path)
            .query_row("SELECT count(*) FROM history WHERE hash IS NULL", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(unlinked, 0, "from v{version}");
        raw(&db.path)
            .execute("UPDATE staff SET name = '某人' WHERE id = 2", [])
            .unwrap_or_else(|e| panic!("{e}"));
        let problems = desk.store().check_invariants().unwrap_or_default();
        assert!(
            matches!(problems.as_slice(), [Problem::RecordChanged { table: "staff", id: 2, last }] if last.who == "老王"),
            "from v{version}: {problems:?}"
        );
        // Migration 19 labelled the old history and indexed it (issue 23).
        let unlabelled: i64 = raw(&db.path)
            .query_row(
                "SELECT count(*) FROM history h LEFT JOIN history_labels l ON l.history_id = h.id
                 WHERE l.history_id IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(unlabelled, 0, "from v{version}");
        let by_name = HistoryQuery { text: "老孙".into(), ..HistoryQuery::default() };
        let (found, _) = desk.store().list_history(&by_name, 10).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            found.iter().any(|r| r.entry.entity == Entity::Staff && r.record == "老孙"),
            "from v{version}"
        );
        // Migration 20 (issue 20): an upgraded file records failed sign-ins.
        assert!(matches!(desk.sign_in("nobody", "x", Desk::CsCenter), Err(AppError::BadCredentials)));
        assert_eq!(count(&db.path, "sign_in_failures"), 1, "from v{version}");
    }
}

/// The last schema whose history rows carry no link (migration 17 links them).
const UNLINKED_VERSION: i64 = 16;

#[test]
fn reopening_keeps_rows_and_continues_numbering() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let _named = backends::Named(backend.name());
        let first = desk
            .register_request(&office.cs_clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let repair = desk
            .register_request(&office.control_clerk, &repair_draft(&office))
            .unwrap_or_else(|e| panic!("{e:?}"));
        drop(desk);

        let mut desk = backend.open(fixed_clock(now()));
        assert_eq!(desk.request(first.id).ok().as_ref(), Some(&first));
        assert_eq!(desk.request(repair.id).ok().as_ref(), Some(&repair));
        assert!(matches!(desk.needs_setup(), Ok(false)));
        assert_eq!(desk.store().list_price_items().map(|p| p.len()).ok(), Some(4));
        let second = desk
            .register_request(&office.cs_clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(second.no.to_string(), "JZ-2026-000002");
        assert_no_problems(&desk);
    }
}

#[test]
fn newer_schema_is_refused_and_the_file_left_untouched() {
    let (db, _) = office_db();
    raw(&db.path)
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap_or_else(|e| panic!("bump: {e}"));
    let before = std::fs::read(&db.path).unwrap_or_default();
    assert!(!before.is_empty());

    match HomeDesk::open_with_clock(&db.path, fixed_clock(now())) {
        Err(AppError::Store(StoreError::NewerSchema { found, known })) => {
            assert_eq!((found, known), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        Err(e) => panic!("wrong error: {e:?}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
    assert!(matches!(Store::open(&db.path), Err(StoreError::NewerSchema { .. })));

    assert_eq!(std::fs::read(&db.path).unwrap_or_default(), before, "file bytes changed");
    assert_eq!(user_version(&db.path), SCHEMA_VERSION + 1);
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let db = temp_db();
    std::fs::write(&db.path, "这不是数据库 — not a database, just text that is long enough to be a header")
        .unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(&db.path).unwrap_or_default();
    assert!(matches!(
        HomeDesk::open_with_clock(&db.path, fixed_clock(now())),
        Err(AppError::Store(StoreError::NotADatabase(_)))
    ));
    assert_eq!(std::fs::read(&db.path).unwrap_or_default(), before);
}

#[test]
fn failed_register_leaves_nothing_behind() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let _named = backends::Named(backend.name());
        let before = backend.write_counts();

        let mut no_such_staff = housekeeping_draft(&office);
        no_such_staff.assigned_staff = Some(9_999);
        let mut no_such_item = housekeeping_draft(&office);
        no_such_item.service = homedesk::domain::ServiceChoice::Listed(9_999);
        let mut invalid = housekeeping_draft(&office);
        invalid.room = "楼下".into();
        invalid.resident_name = "新住户".into();
        for draft in [no_such_staff, no_such_item] {
            let result = desk.register_request(&office.cs_clerk, &draft);
            assert!(matches!(result, Err(AppError::Store(StoreError::NotFound))), "{result:?}");
        }
        assert!(matches!(desk.register_request(&office.cs_clerk, &invalid), Err(AppError::Invalid(_))));
        assert_eq!(backend.write_counts(), before);

        // Nothing was used up: the first row that succeeds gets number 1.
        let row = desk
            .register_request(&office.cs_clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(row.no.to_string(), "JZ-2026-000001");
    }
}

#[test]
fn a_write_that_fails_half_way_rolls_back_whole() {
    for (backend, desk, office) in backends::offices(|| fixed_clock(now())) {
        let _named = backends::Named(backend.name());
        drop(desk);
        half_way_rolls_back(&backend, &office);
    }
}

fn half_way_rolls_back(backend: &backends::Backend, office: &common::Office) {
    let before = backend.write_counts();
    let mut store = backend.store();
    let item = store.get_price_item(office.prices.cleaning).unwrap_or_else(|e| panic!("{e}"));
    let ctx = IntakeContext { now: now(), desk: Desk::CsCenter, listed_item: Some(&item), assigned: None };
    let valid = validate_intake(&housekeeping_draft(office), &ctx).unwrap_or_else(|e| panic!("{e:?}"));

    {
        let mut tx = store.write(audit_by(&office.cs_clerk)).unwrap_or_else(|e| panic!("{e}"));
        let household = tx.ensure_household(&valid.room).unwrap_or_else(|e| panic!("{e}"));
        tx.ensure_resident(household, &valid.resident_name, &valid.phone).unwrap_or_else(|e| panic!("{e}"));
        let (_, no) = tx
            .insert_request(&valid, household, RequestStatus::Registered, None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(no.seq, 1);
        // The second row points at a row that does not exist: the foreign key fails.
        let dangling = tx.insert_request(&valid, household, RequestStatus::Relayed, Some(999_999));
        assert!(matches!(dangling, Err(StoreError::Sqlite(_) | StoreError::Server(_))), "{dangling:?}");
    } // dropped on the error path, as `?` would
    assert_eq!(backend.write_counts(), before);

    // Dropping a write that went well, without commit, also keeps nothing.
    {
        let mut tx = store.write(audit_by(&office.manager)).unwrap_or_else(|e| panic!("{e}"));
        let household = tx.ensure_household(&valid.room).unwrap_or_else(|e| panic!("{e}"));
        tx.insert_request(&valid, household, RequestStatus::Registered, None)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(backend.write_counts(), before);

    let mut tx = store.write(audit_by(&office.cs_clerk)).unwrap_or_else(|e| panic!("{e}"));
    let household = tx.ensure_household(&valid.room).unwrap_or_else(|e| panic!("{e}"));
    let (_, no) = tx
        .insert_request(&valid, household, RequestStatus::Registered, None)
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(no.to_string(), "JZ-2026-000001");
    assert_eq!(store.check_invariants().ok(), Some(Vec::new()));
}

#[test]
fn r_in_4_running_numbers_are_gap_free_per_register_and_restart_each_year() {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-12-31 23:00"));
    let mut desk = open_at(&db.path, clock.clock());
    let register = |desk: &mut HomeDesk, kind: RegisterKind, now| {
        let user = office.clerk(kind.owner());
        desk.register_request(user, &draft_at(&office, kind, now))
            .unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
            .no
            .to_string()
    };

    let old_year = at("2026-12-31 23:00");
    assert_eq!(register(&mut desk, RegisterKind::Housekeeping, old_year), "JZ-2026-000001");
    assert_eq!(register(&mut desk, RegisterKind::Repair, old_year), "WX-2026-000001");
    assert_eq!(register(&mut desk, RegisterKind::Housekeeping, old_year), "JZ-2026-000002");
    // A refused row in between uses no number.
    let mut refused = draft_at(&office, RegisterKind::Housekeeping, old_year);
    refused.price = "500".into();
    assert!(matches!(desk.register_request(&office.cs_clerk, &refused), Err(AppError::Invalid(_))));
    clock.set(at("2026-12-31 23:59"));
    assert_eq!(register(&mut desk, RegisterKind::Alarm, at("2026-12-31 23:59")), "BJ-2026-000001");
    assert_eq!(register(&mut desk, RegisterKind::Housekeeping, at("2026-12-31 23:59")), "JZ-2026-000003");

    let new_year = at("2027-01-01 00:00");
    clock.set(new_year);
    assert_eq!(register(&mut desk, RegisterKind::Housekeeping, new_year), "JZ-2027-000001");
    assert_eq!(register(&mut desk, RegisterKind::Repair, new_year), "WX-2027-000001");
    assert_eq!(register(&mut desk, RegisterKind::Housekeeping, new_year), "JZ-2027-000002");

    assert_eq!(
        numbers(&desk, RegisterKind::Housekeeping),
        ["JZ-2026-000001", "JZ-2026-000002", "JZ-2026-000003", "JZ-2027-000001", "JZ-2027-000002"],
    );
    assert_eq!(numbers(&desk, RegisterKind::Repair), ["WX-2026-000001", "WX-2027-000001"]);
    assert_eq!(count(&db.path, "running_numbers"), 5);
    assert_no_problems(&desk);
}

#[test]
fn r_in_4_running_number_format() {
    let no = RunningNo { kind: RegisterKind::Housekeeping, year: 2026, seq: 1 };
    assert_eq!(no.to_string(), "JZ-2026-000001");
    let (_, mut desk, office) = office_desk();
    for (kind, want) in [
        (RegisterKind::Housekeeping, "JZ-2026-000001"),
        (RegisterKind::Repair, "WX-2026-000001"),
        (RegisterKind::Alarm, "BJ-2026-000001"),
    ] {
        let row = desk
            .register_request(office.clerk(kind.owner()), &common::draft(&office, kind))
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(row.no.to_string(), want);
        // The table's text search finds a row by its printed number.
        let query = RequestQuery { text: want.into(), ..RequestQuery::default() };
        assert_eq!(desk.store().query_request_ids(&query).ok(), Some(vec![row.id]));
    }
}

#[test]
fn r_fu_6_every_business_row_has_history() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let _named = backends::Named(backend.name());
        every_business_row_has_history(&backend, &mut desk, &office);
    }
}

fn every_business_row_has_history(backend: &backends::Backend, desk: &mut HomeDesk, office: &common::Office) {
    let manager = &office.manager;
    for kind in [RegisterKind::Housekeeping, RegisterKind::Repair, RegisterKind::Alarm] {
        desk.register_request(office.clerk(kind.owner()), &common::draft(office, kind))
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    desk.register_request(&office.cs_clerk, &emergency_relay_draft(office))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let refusal =
        RefusalDraft {
            asked_for: "擦外墙玻璃".into(), reason: "高空作业".into(), ..RefusalDraft::default()
        };
    desk.refuse_request(&office.cs_clerk, &refusal).unwrap_or_else(|e| panic!("{e:?}"));
    let resident =
        Resident { id: 0, name: "刘先生".into(), phone: "13700000000".into(), notes: String::new() };
    desk.save_household(manager, "5-1-602", "有狗", Some(&resident)).unwrap_or_else(|e| panic!("{e:?}"));
    let staff = StaffDraft {
        name: "钱保洁".into(),
        group: Some(homedesk::domain::Group::Housekeeping),
        rank: Some(Rank::Staff),
        active: true,
        ..StaffDraft::default()
    };
    let id = desk.save_staff(manager, None, &staff, "").unwrap_or_else(|e| panic!("{e:?}"));
    desk.save_staff(manager, Some(id), &StaffDraft { active: false, ..staff }, "离职")
        .unwrap_or_else(|e| panic!("{e:?}"));

    assert!(backend.count("requests") >= 5);
    assert_no_problems(desk);

    // The check is not vacuous: a row written behind the app's back is reported.
    assert!(!backend.refuses("INSERT INTO households (id, room) VALUES (777, '9栋901')"));
    let problems = desk.store().check_invariants().unwrap_or_default();
    assert_eq!(problems, vec![Problem::MissingHistory { table: "households", id: 777 }]);
}

#[test]
fn check_reports_a_gap_in_running_numbers() {
    let (db, mut desk, office) = office_desk();
    for _ in 0..3 {
        desk.register_request(&office.cs_clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{e:?}"));
    }
    // A register row is never deleted (issue 20): the trigger goes first.
    raw(&db.path)
        .execute_batch(
            "DROP TRIGGER requests_kept; DELETE FROM requests WHERE kind = 'housekeeping' AND seq = 2",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let problems = desk.store().check_invariants().unwrap_or_default();
    assert!(
        problems.iter().any(|p| matches!(
            p,
            Problem::RunningNumberGap { year: 2026, count: 2, max_seq: 3, last_issued: 3, .. }
        )),
        "{problems:?}"
    );
}

#[test]
fn r_fu_6_staff_update_history_shows_old_and_new_values_and_reason() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        staff_update_history(&mut desk, &office, backend.name());
    }
}

fn staff_update_history(desk: &mut HomeDesk, office: &common::Office, name: &str) {
    let before = desk.store().get_staff(office.housekeeper).unwrap_or_else(|e| panic!("{name}: {e}"));
    let draft = StaffDraft {
        name: before.name.clone(),
        group: Some(before.group),
        rank: Some(Rank::Supervisor),
        active: true,
        first_job_on: before.first_job_on,
        phone: "13511112222".into(),
        login: String::new(),
    };
    desk.save_staff(&office.manager, Some(office.housekeeper), &draft, "升为主办，换了手机")
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));

    let history = desk.store().history_of(Entity::Staff, office.housekeeper).unwrap_or_default();
    let actions: Vec<Action> = history.iter().map(|h| h.action).collect();
    assert_eq!(actions, [Action::Create, Action::Update], "{name}");
    let update = &history[1];
    assert_eq!(update.user_name, office.manager.name, "{name}");
    assert_eq!(update.at, now(), "{name}");
    assert_eq!(update.reason.as_deref(), Some("升为主办，换了手机"), "{name}");
    let mut changes: Vec<(&str, &str, &str)> =
        update.changes.iter().map(|c| (c.field.as_str(), c.old.as_str(), c.new.as_str())).collect();
    changes.sort();
    assert_eq!(changes, [("phone", "13800000000", "13511112222"), ("rank", "staff", "supervisor")], "{name}");

    // Saving the same values again records nothing new.
    desk.save_staff(&office.manager, Some(office.housekeeper), &draft, "再存一次")
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let kept = desk.store().history_of(Entity::Staff, office.housekeeper).map(|h| h.len()).ok();
    assert_eq!(kept, Some(2), "{name}");
}

/// The people and places a desk files, on each backend: a login or a price
/// item twice is refused as a duplicate (the database's own constraint),
/// a household and its residents are filed once and found by any piece of
/// room, name or phone.
#[test]
fn logins_and_items_are_unique_and_households_are_found_on_both_backends() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let twice = StaffDraft {
            name: "另一个陈客服".into(),
            group: Some(homedesk::domain::Group::CsCenter),
            rank: Some(Rank::Staff),
            active: true,
            login: "cs1".into(),
            ..StaffDraft::default()
        };
        let refused = desk.save_staff(&office.manager, None, &twice, "");
        assert!(
            matches!(refused, Err(AppError::Store(StoreError::Duplicate("login")))),
            "{name}: {refused:?}"
        );
        let item = homedesk::domain::PriceItemDraft {
            category: Some(homedesk::domain::Category::Cleaning),
            name: "厨房保洁".into(),
            unit: "次".into(),
            price: "80".into(),
            added_on: None,
            active: true,
        };
        let refused = desk.save_price_item(&office.manager, None, &item, "");
        assert!(
            matches!(refused, Err(AppError::Store(StoreError::Duplicate("item")))),
            "{name}: {refused:?}"
        );

        let resident =
            Resident { id: 0, name: "张阿姨".into(), phone: "13912345678".into(), notes: String::new() };
        let id = desk
            .save_household(&office.manager, "3-2-201", "养了一只猫", Some(&resident))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let again = desk
            .save_household(&office.manager, "3栋2单元201", "养了一只猫", None)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(again, id, "{name}: one household per room");
        let store = desk.store();
        let room = RoomNo::parse("3-2-201").unwrap_or_else(|e| panic!("{e}"));
        let household = store.household_by_room(&room).ok().flatten().unwrap_or_else(|| panic!("{name}"));
        assert_eq!((household.notes.as_str(), household.residents.len()), ("养了一只猫", 1), "{name}");
        for piece in ["2单元", "张阿", "1234"] {
            let found = store.search_households(piece, 10).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(found.iter().map(|h| h.id).collect::<Vec<_>>(), [id], "{name}: {piece}");
        }
        assert!(store.search_households("%", 10).unwrap_or_default().is_empty(), "{name}: % is literal");
        assert_eq!(store.list_resident_names().unwrap_or_default().len(), 1, "{name}");
    }
}

/// What a window asks of the store on each backend: the schema version,
/// whether another desk committed (the version moves with each change),
/// whether the database was replaced; what only a file has (SQLite's
/// integrity check, a bulk load) is refused on the server, never a panic.
#[test]
fn a_window_can_poll_either_backend() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        assert_eq!(desk.store().schema_version().ok(), Some(SCHEMA_VERSION), "{name}");
        let before = desk.store().data_version().unwrap_or_else(|e| panic!("{name}: {e}"));
        let other = backend.open(fixed_clock(now()));
        let resident =
            Resident { id: 0, name: "刘先生".into(), phone: String::new(), notes: String::new() };
        desk.save_household(&office.manager, "1-1-101", "", Some(&resident))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let seen = other.store().data_version().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_ne!(seen, before, "{name}: another desk's commit moves the version");
        assert_eq!(other.store().data_version().ok(), Some(seen), "{name}: and nothing else does");
        assert_eq!(other.store().replaced().ok(), Some(false), "{name}");
        let integrity = desk.store().integrity_check();
        match backend {
            backends::Backend::Lite(_) => assert_eq!(integrity.ok(), Some(vec!["ok".to_string()])),
            backends::Backend::Server(_) => {
                assert!(matches!(integrity, Err(StoreError::Server(_))), "{integrity:?}");
                assert!(matches!(desk.store().begin_bulk(), Err(StoreError::Server(_))));
            }
        }
    }
}

#[test]
fn r_fu_6_register_row_records_who_took_it() {
    let (_db, mut desk, office) = office_desk();
    let row = desk
        .register_request(&office.cs_clerk, &housekeeping_draft(&office))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((row.received_by.as_str(), row.received_at, row.desk), ("陈客服", now(), Desk::CsCenter));
    let history = desk.store().history_of(Entity::Request, row.id).unwrap_or_default();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].action, history[0].user_name.as_str()), (Action::Create, "陈客服"));
    let running_no = history[0].changes.iter().find(|c| c.field == "running_no").map(|c| c.new.as_str());
    assert_eq!(running_no, Some("JZ-2026-000001"));
}

#[test]
fn r_in_1_refusal_recorded_with_reason() {
    let (db, mut desk, office) = office_desk();
    let draft = RefusalDraft {
        kind: Some(RegisterKind::Housekeeping),
        room: "3-2-201".into(),
        resident_name: "张阿姨".into(),
        phone: "13912345678".into(),
        asked_for: "擦外墙玻璃".into(),
        reason: "高空作业，本处无资质".into(),
    };
    let id = desk.refuse_request(&office.cs_clerk, &draft).unwrap_or_else(|e| panic!("{e:?}"));

    let refusals = desk.store().list_refusals(10).unwrap_or_default();
    assert_eq!(refusals.len(), 1);
    let r = &refusals[0];
    assert_eq!((r.id, r.at, r.by.as_str(), r.desk), (id, now(), "陈客服", Desk::CsCenter));
    assert_eq!((r.room.as_str(), r.asked_for.as_str()), ("3栋2单元201", "擦外墙玻璃"));
    assert_eq!(r.reason, "高空作业，本处无资质");
    let history = desk.store().history_of(Entity::Refusal, id).unwrap_or_default();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].reason.as_deref(), Some("高空作业，本处无资质"));
    assert_eq!(history[0].user_name, "陈客服");
    // A refusal is not a register row and takes no running number.
    assert_eq!((count(&db.path, "requests"), count(&db.path, "running_numbers")), (0, 0));

    // Without a reason nothing is recorded.
    let before = write_counts(&db.path);
    let no_reason = RefusalDraft { reason: " ".into(), ..draft };
    match desk.refuse_request(&office.cs_clerk, &no_reason) {
        Err(AppError::Invalid(errors)) => {
            assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), [Field::RefusalReason]);
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(write_counts(&db.path), before);
}

#[test]
fn r_desk_3_relay_makes_repair_row_and_housekeeping_note() {
    let (db, mut desk, office) = office_desk();
    let repair = desk
        .register_request(&office.cs_clerk, &emergency_relay_draft(&office))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(repair.no.to_string(), "WX-2026-000001");
    assert_eq!((repair.desk, repair.status), (Desk::CsCenter, RequestStatus::Registered));
    assert_eq!(repair.relay_told.as_deref(), Some("控制中心 赵值班"));
    assert_eq!(repair.relay_of, None);

    let note_ids = desk
        .store()
        .query_request_ids(&RequestQuery {
            kind: Some(RegisterKind::Housekeeping),
            ..RequestQuery::default()
        })
        .unwrap_or_default();
    assert_eq!(note_ids.len(), 1);
    let note = desk.request(note_ids[0]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(note.no.to_string(), "JZ-2026-000001");
    assert_eq!(note.relay_of, Some(repair.id));
    assert_eq!((note.status, note.service.as_str()), (RequestStatus::Relayed, RELAY_NOTE_SERVICE));
    assert_eq!((note.received_at, note.received_by.as_str()), (now(), "陈客服"));
    assert_eq!(note.relay_told.as_deref(), Some("控制中心 赵值班"));
    assert_eq!((note.room.as_str(), note.appointment), (repair.room.as_str(), repair.appointment));
    assert_eq!((note.price, note.assigned_staff.clone()), (None, None));

    assert_eq!(count(&db.path, "requests"), 2);
    assert_eq!(count(&db.path, "running_numbers"), 2);
    assert_eq!(count(&db.path, "households"), 1);
    assert_no_problems(&desk);
}

#[test]
fn busy_database_refuses_the_second_writer_then_lets_it_through() {
    let (db, mut desk, office) = office_desk();
    let before = write_counts(&db.path);
    let mut other = Store::open(&db.path).unwrap_or_else(|e| panic!("second store: {e}"));
    let held = other.write(audit_by(&office.manager)).unwrap_or_else(|e| panic!("hold: {e}"));

    let started = Instant::now();
    let result = desk.register_request(&office.cs_clerk, &housekeeping_draft(&office));
    let waited = started.elapsed();
    assert!(matches!(result, Err(AppError::Store(StoreError::Busy))), "{result:?}");
    assert!(waited >= Duration::from_secs(4), "gave up after {waited:?}");
    // Meanwhile another desk PC can still start HomeDesk and read.
    let reader = open_at(&db.path, fixed_clock(now()));
    assert_eq!(reader.store().count_requests(RegisterKind::Housekeeping).ok(), Some(0));
    assert_eq!(reader.store().list_staff().map(|s| s.len()).ok(), Some(6));
    drop(held);
    assert_eq!(write_counts(&db.path), before);

    let row = desk
        .register_request(&office.cs_clerk, &housekeeping_draft(&office))
        .unwrap_or_else(|e| panic!("after release: {e:?}"));
    assert_eq!(row.no.to_string(), "JZ-2026-000001");
    // The other HomeDesk sees the row.
    assert_eq!(other.get_request(row.id).ok().map(|r| r.no), Some(row.no));
}

#[test]
fn r_in_3_slack_is_measured_from_the_clock_of_the_write() {
    let (_db, mut desk, office) = office_desk();
    let mut d = housekeeping_draft(&office);
    d.appointment = common::appointment_text(now() + Minutes::minutes(29));
    match desk.register_request(&office.cs_clerk, &d) {
        Err(AppError::Invalid(errors)) => assert_eq!(
            errors.iter().map(|e| (e.field, e.error.clone())).collect::<Vec<_>>(),
            [(
                Field::Appointment,
                IntakeError::AppointmentTooSoon { earliest: now() + Minutes::minutes(30) }
            )],
        ),
        other => panic!("expected Invalid, got {other:?}"),
    }
    d.appointment = common::appointment_text(now() + Minutes::minutes(30));
    assert!(desk.register_request(&office.cs_clerk, &d).is_ok());
}

#[test]
fn filing_a_known_resident_fills_the_phone_and_keeps_their_notes() {
    let (_db, mut desk, office) = office_desk();
    let resident =
        Resident {
            id: 0, name: "张阿姨".into(), phone: String::new(), notes: "行动不便，敲门要大声".into()
        };
    desk.save_household(&office.manager, "3栋2单元201", "", Some(&resident))
        .unwrap_or_else(|e| panic!("{e:?}"));

    desk.register_request(&office.cs_clerk, &housekeeping_draft(&office)).unwrap_or_else(|e| panic!("{e:?}"));

    let room = homedesk::domain::RoomNo::parse("3-2-201").unwrap_or_else(|e| panic!("{e}"));
    let household =
        desk.store().household_by_room(&room).ok().flatten().unwrap_or_else(|| panic!("no household"));
    let kept: Vec<(&str, &str, &str)> =
        household.residents.iter().map(|r| (r.name.as_str(), r.phone.as_str(), r.notes.as_str())).collect();
    assert_eq!(kept, [("张阿姨", "13912345678", "行动不便，敲门要大声")]);
}

#[test]
fn r_fu_6_a_correction_keeps_old_and_new_values_and_the_reason() {
    let (db, mut desk, office) = office_desk();
    let row = desk
        .register_request(&office.cs_clerk, &housekeeping_draft(&office))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut draft = CorrectionDraft::of(&row);
    draft.room = "5-1-1702".into();
    draft.phone = "13900139000".into();

    let missing_reason = desk.correct_request(&office.cs_clerk, row.id, &draft);
    assert!(matches!(missing_reason, Err(AppError::Invalid(_))), "{missing_reason:?}");
    let before = write_counts(&db.path);

    draft.reason = "住户来电更正房号和电话".into();
    let corrected =
        desk.correct_request(&office.cs_clerk, row.id, &draft).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((corrected.room.as_str(), corrected.phone.as_str()), ("5栋1单元1702", "13900139000"));
    assert_eq!(corrected.no, row.no, "the running number never changes");

    let history = desk.store().history_of(Entity::Request, row.id).unwrap_or_default();
    let last = history.last().unwrap_or_else(|| panic!("no history"));
    assert_eq!((last.action, last.reason.as_deref()), (Action::Update, Some("住户来电更正房号和电话")));
    let phone = last.changes.iter().find(|c| c.field == "phone").map(|c| (c.old.as_str(), c.new.as_str()));
    assert_eq!(phone, Some((row.phone.as_str(), "13900139000")));
    let room = RoomNo::parse("5栋1单元1702").unwrap_or_else(|e| panic!("{e}"));
    assert!(desk.store().household_by_room(&room).unwrap_or_default().is_some(), "the new room is filed");
    assert!(desk.store().check_invariants().unwrap_or_default().is_empty());
    assert_ne!(write_counts(&db.path), before);
}

#[test]
fn an_sqlite_file_of_another_program_is_refused_and_untouched() {
    let db = temp_db();
    raw(&db.path)
        .execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);")
        .unwrap_or_default();
    let before = std::fs::read(&db.path).unwrap_or_default();
    let opened = HomeDesk::open(&db.path);
    assert!(matches!(opened, Err(AppError::Store(StoreError::Foreign))), "{:?}", opened.err());
    assert_eq!(std::fs::read(&db.path).unwrap_or_default(), before);
}

/// Issue 10: a word found in thousands of rows is kept while the register
/// is walked in its order; the rows and their order are those of the
/// register read without the search, minus the rows without the word.
#[test]
fn a_search_finding_thousands_of_rows_keeps_the_registers_order() {
    let (db, mut desk, office) = office_desk();
    let mut cleaning = housekeeping_draft(&office);
    cleaning.details = "蒸汽熨烫窗帘".into();
    let mut other = housekeeping_draft(&office);
    other.details = "擦玻璃".into();
    desk.store().begin_bulk().unwrap_or_else(|e| panic!("{e}"));
    let mut without = Vec::new();
    for n in 0..3_050 {
        let draft = if n % 500 == 7 { &other } else { &cleaning };
        let row = desk.register_request(&office.cs_clerk, draft).unwrap_or_else(|e| panic!("{e:?}"));
        if n % 500 == 7 {
            without.push(row.id);
        }
    }
    desk.store().commit_bulk().unwrap_or_else(|e| panic!("{e}"));

    let all =
        RequestQuery { kind: Some(RegisterKind::Housekeeping), descending: true, ..RequestQuery::default() };
    let mut expected = desk.store().query_request_ids(&all).unwrap_or_default();
    expected.retain(|id| !without.contains(id));
    let searched = RequestQuery { text: "熨烫".into(), ..all.clone() };
    let found = desk.store().query_request_ids(&searched).unwrap_or_default();
    assert_eq!(found.len(), 3_050 - without.len());
    assert_eq!(found, expected, "the register's order, without the rows that lack the word");
    let few = RequestQuery { text: "擦玻".into(), ..all };
    let mut found_few = desk.store().query_request_ids(&few).unwrap_or_default();
    found_few.sort();
    assert_eq!(found_few, without);

    // The walk of the register is kept from search to search, and walked
    // again once a row is added, here or through another connection.
    let reader = Store::open_reader(&db.path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reader.query_request_ids(&searched).unwrap_or_default(), found);
    assert_eq!(desk.store().query_request_ids(&searched).unwrap_or_default(), found, "kept walk");
    let added = desk.register_request(&office.cs_clerk, &cleaning).unwrap_or_else(|e| panic!("{e:?}"));
    let after = desk.store().query_request_ids(&searched).unwrap_or_default();
    assert_eq!((after.len(), after.first()), (found.len() + 1, Some(&added.id)), "walked again");
    assert_eq!(reader.query_request_ids(&searched).unwrap_or_default(), after, "another connection's commit");
}

#[test]
fn the_search_terms_are_pairs_of_letters_and_digits() {
    assert_eq!(store::search_terms(&["3栋2单元201"]), "3栋 栋2 2单 单元 元2 20 01 1 ");
    assert_eq!(store::match_query("单元2").as_deref(), Some("\"单元 元2\""));
    assert_eq!(store::match_query("%"), None);
}

#[test]
fn a_reader_connection_sees_commits_of_the_writer() {
    let (db, mut desk, office) = office_desk();
    let reader = Store::open_reader(&db.path).unwrap_or_else(|e| panic!("{e}"));
    let all = RequestQuery::default();
    assert_eq!(reader.query_request_ids(&all).unwrap_or_default().len(), 0);
    desk.register_request(&office.cs_clerk, &housekeeping_draft(&office)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(reader.query_request_ids(&all).unwrap_or_default().len(), 1, "WAL readers see commits");
}

/// Migration 18 on a file from before it: each agreement's terms as signed
/// are rebuilt from its amendments' old values (the first amendment of each
/// term), the others taken as they stand; drafts have none.
#[test]
fn r_ag_2_an_older_file_gets_its_agreements_terms_as_signed_back_from_the_amendments() {
    use homedesk::domain::{AgreementDraft, PriceBasis, Schedule, ServiceChoice};
    let (db, mut desk, office) = office_desk();
    let draft = AgreementDraft {
        room: "3-2-201".into(),
        resident_name: "王奶奶".into(),
        phone: "13800138000".into(),
        service: ServiceChoice::Listed(office.prices.cleaning),
        details: "全屋保洁".into(),
        staff: vec![office.housekeeper],
        weekly: true,
        days: vec![1, 3, 5],
        start: "09:00".into(),
        end: "11:00".into(),
        term_start: "2026-03-02".into(),
        term_end: "2026-08-31".into(),
        price: "100".into(),
        basis: Some(PriceBasis::PerVisit),
        payment_terms: "每月5日前支付".into(),
        ..AgreementDraft::default()
    };
    let ok = |r: Result<i64, AppError>| r.unwrap_or_else(|e| panic!("{e:?}"));
    let id = ok(desk.save_agreement_draft(&office.manager, None, &draft));
    desk.confirm_agreement(&office.cs_clerk, id).unwrap_or_else(|e| panic!("{e:?}"));
    desk.sign_agreement(&office.manager, id).unwrap_or_else(|e| panic!("{e:?}"));
    let amend = |desk: &mut HomeDesk, d: &AgreementDraft, on: &str| {
        let on = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap_or_default();
        desk.amend_agreement(&office.manager, id, d, "住户要求", on).unwrap_or_else(|e| panic!("{e:?}"));
    };
    let first = AgreementDraft { days: vec![2, 4], price: "110".into(), ..draft.clone() };
    amend(&mut desk, &first, "2026-03-05");
    let second = AgreementDraft { days: vec![6], payment_terms: "每次付清".into(), ..first.clone() };
    amend(&mut desk, &second, "2026-03-09");
    let draft_only = ok(desk.save_agreement_draft(&office.manager, None, &draft));
    let as_signed = desk.store().signed_terms(id).unwrap_or_default();
    drop(desk);

    // The file as it was before migration 18: its objects and those of the
    // later migrations (up to 26's history grams) dropped, so that all of
    // them run again on opening.
    raw(&db.path)
        .execute_batch(
            "ALTER TABLE agreements DROP COLUMN area_m2;
             DROP TABLE agreement_signed_terms; DROP INDEX requests_relay_of;
             DROP VIEW history_labels_due; DROP TABLE history_labels; DROP TABLE history_ref_fields;
             DROP TABLE history_search; DROP TABLE history_grams; DROP TABLE sign_in_failures;
             ALTER TABLE office DROP COLUMN language; ALTER TABLE office DROP COLUMN yuan_word;
             PRAGMA user_version = 17;",
        )
        .unwrap_or_else(|e| panic!("back to v17: {e}"));
    let desk = open_at(&db.path, fixed_clock(now()));
    let rebuilt = desk.store().signed_terms(id).unwrap_or_default().unwrap_or_else(|| panic!("no terms"));
    assert_eq!(Some(&rebuilt), as_signed.as_ref(), "the same as kept at signing");
    assert!(matches!(&rebuilt.schedule, Schedule::Weekly { days, .. } if days == &[1, 3, 5]));
    assert_eq!((rebuilt.price.fen(), rebuilt.payment_terms.as_str()), (10_000, "每月5日前支付"));
    assert_eq!(rebuilt.staff.len(), 1);
    assert_eq!(desk.store().signed_terms(draft_only).ok(), Some(None), "a draft was never signed");
    assert_no_problems(&desk);
}

//! Who may do what and the change history (issue 9). The history across
//! the office (R-FU-6): found by person, kind of record, kind of change,
//! period and text, each change labelled with its record's number; read
//! only by a supervisor or above; exported one spreadsheet row per changed
//! field. The permissions that need a manager, refused in words; one's own
//! password changed by proving the old one. What needs only the office's
//! settings runs on both backends (`common::backends`).

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use common::*;
use homedesk::app::{AppError, HomeDesk};
use homedesk::domain::{Action, Entity, Rank, User};
use homedesk::store::HistoryQuery;

fn ok<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

/// An office with one finished housekeeping job on 2 March, on each backend.
fn offices_with_a_job() -> Vec<(backends::Backend, HomeDesk, Office)> {
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let mut offices = backends::offices(|| clock.clock());
    for (_, desk, office) in &mut offices {
        clock.set(at("2026-03-02 09:00"));
        finished_job(desk, office, &clock, "2026-03-02", "3-2-201");
    }
    offices
}

#[test]
fn r_fu_6_changes_are_found_by_person_record_kind_period_and_text() {
    for (backend, desk, office) in offices_with_a_job() {
        let _named = backends::Named(backend.name());
        found_by_person_record_kind_period_and_text(&desk, &office);
    }
}

fn found_by_person_record_kind_period_and_text(desk: &HomeDesk, office: &Office) {
    let boss = &office.manager;
    let (all, total) = ok(desk.history(boss, &HistoryQuery::default()));
    assert_eq!(all.len(), total);
    assert!(all.windows(2).all(|w| w[0].entry.at >= w[1].entry.at), "newest first");
    let requests = HistoryQuery { entity: Some(Entity::Request), ..HistoryQuery::default() };
    let (rows, _) = ok(desk.history(boss, &requests));
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.entry.entity == Entity::Request));
    assert!(rows.iter().all(|r| r.record == "JZ-2026-000001"), "labelled by the running number: {rows:?}");
    let by_clerk =
        HistoryQuery {
            user: Some("陈客服".into()), action: Some(Action::Create), ..HistoryQuery::default()
        };
    let (rows, _) = ok(desk.history(boss, &by_clerk));
    assert!(
        !rows.is_empty()
            && rows.iter().all(|r| r.entry.user_name == "陈客服" && r.entry.action == Action::Create)
    );
    let before = HistoryQuery { to: Some(at("2026-03-01 00:00").date()), ..HistoryQuery::default() };
    assert!(ok(desk.history(boss, &before)).0.iter().all(|r| r.entry.at < at("2026-03-02 00:00")));
    let text = HistoryQuery { text: "3栋2单元201".into(), ..HistoryQuery::default() };
    let (rows, _) = ok(desk.history(boss, &text));
    assert!(rows.iter().any(|r| r.entry.entity == Entity::Request), "the room is among the changed values");
    let staff_names = ok(desk.history_users(boss));
    assert!(staff_names.contains(&"陈客服".to_string()) && staff_names.contains(&"王经理".to_string()));
}

#[test]
fn r_fu_6_only_a_supervisor_or_above_reads_everyones_changes() {
    for (backend, desk, office) in backends::offices(|| fixed_clock(now())) {
        let name = backend.name();
        let refused = desk.history(&office.cs_clerk, &HistoryQuery::default());
        assert!(matches!(refused, Err(AppError::Access(_))), "{name}: {refused:?}");
        assert!(
            matches!(
                desk.export_history(&office.cs_clerk, &HistoryQuery::default()),
                Err(AppError::Access(_))
            ),
            "{name}"
        );
        let supervisor = User { rank: Rank::Supervisor, ..office.cs_clerk.clone() };
        assert!(desk.history(&supervisor, &HistoryQuery::default()).is_ok(), "{name}");
    }
}

/// The settings' changes of the set-up office, and a price changed with a
/// reason a day later, found on each backend by person, kind of record,
/// kind of change, period and text — a text through the search index (a
/// piece of a name, one character of it) and one it cannot look for
/// (punctuation only) through the values.
#[test]
fn r_fu_6_changes_are_found_the_same_way_on_both_backends() {
    let clock = TestClock::new(now());
    for (backend, mut desk, office) in backends::offices(|| clock.clock()) {
        let name = backend.name();
        clock.set(now() + chrono::Duration::days(1));
        let draft = homedesk::domain::PriceItemDraft {
            category: Some(homedesk::domain::Category::Cleaning),
            name: "厨房保洁".into(),
            unit: "次".into(),
            price: "120".into(),
            added_on: None,
            active: true,
        };
        let saved =
            desk.save_price_item(&office.manager, Some(office.prices.cleaning), &draft, "调价；按新合同");
        ok(saved.map(|_| ()));
        let boss = &office.manager;
        let found = |q: HistoryQuery| ok(desk.history(boss, &q)).0;

        let all = found(HistoryQuery::default());
        assert!(all.windows(2).all(|w| w[0].id > w[1].id), "{name}: newest first");
        let prices = found(HistoryQuery { entity: Some(Entity::PriceItem), ..HistoryQuery::default() });
        assert_eq!(prices.len(), 5, "{name}: four items made, one changed");
        let changed = &prices[0];
        assert_eq!(changed.entry.action, Action::Update, "{name}");
        assert_eq!(changed.record, "厨房保洁", "{name}: labelled by its name");
        assert_eq!(changed.entry.reason.as_deref(), Some("调价；按新合同"), "{name}");
        let updates = found(HistoryQuery { action: Some(Action::Update), ..HistoryQuery::default() });
        assert_eq!(updates.iter().map(|r| r.id).collect::<Vec<_>>(), vec![changed.id], "{name}");
        let by_boss = found(HistoryQuery { user: Some(boss.name.clone()), ..HistoryQuery::default() });
        assert_eq!(by_boss.len(), all.len(), "{name}: the manager made every change");
        assert!(found(HistoryQuery { user: Some("陈客服".into()), ..HistoryQuery::default() }).is_empty());
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 3, d);
        let later = found(HistoryQuery { from: day(3), ..HistoryQuery::default() });
        assert_eq!(later.len(), 1, "{name}: only the change of the next day");
        let earlier = found(HistoryQuery { to: day(2), ..HistoryQuery::default() });
        assert_eq!(earlier.len(), all.len() - 1, "{name}");

        let by_text = |text: &str| found(HistoryQuery { text: text.into(), ..HistoryQuery::default() });
        let kitchen = by_text("房保");
        assert!(!kitchen.is_empty(), "{name}: a piece of the item's name");
        assert!(kitchen.iter().all(|r| r.record == "厨房保洁"), "{name}: {kitchen:?}");
        assert!(by_text("保房").is_empty(), "{name}: its characters in another order find nothing");
        assert!(by_text("水").iter().any(|r| r.record == "更换水龙头"), "{name}: one character");
        assert_eq!(by_text("新合同").len(), 1, "{name}: the reason");
        assert_eq!(by_text("；").len(), 1, "{name}: punctuation, through the values");
        assert!(ok(desk.history_users(boss)).contains(&boss.name), "{name}");

        // A page shorter than what is found, and the count of all of it.
        let store = desk.store();
        let (page, total) = store.list_history(&HistoryQuery::default(), 2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((page.len(), total), (2, all.len()), "{name}");
        let q = HistoryQuery { text: "保洁".into(), ..HistoryQuery::default() };
        let (page, total) = store.list_history(&q, 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((page.len(), total), (1, by_text("保洁").len()), "{name}");
        let of_item =
            store.history_of(Entity::PriceItem, office.prices.cleaning).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(of_item.iter().map(|e| e.action).collect::<Vec<_>>(), [Action::Create, Action::Update]);
        assert_eq!(of_item[1].at, now() + chrono::Duration::days(1), "{name}");
    }
}

#[test]
fn r_fu_6_the_history_exports_one_row_per_changed_field() {
    for (backend, desk, office) in offices_with_a_job() {
        let _named = backends::Named(backend.name());
        exports_one_row_per_changed_field(&desk, &office);
    }
}

fn exports_one_row_per_changed_field(desk: &HomeDesk, office: &Office) {
    let query = HistoryQuery { entity: Some(Entity::Request), ..HistoryQuery::default() };
    let (rows, _) = ok(desk.history(&office.manager, &query));
    let fields: usize = rows
        .iter()
        .map(|r| r.entry.changes.iter().filter(|c| !(c.old.is_empty() && c.new.is_empty())).count().max(1))
        .sum();
    let xlsx = ok(desk.export_history(&office.manager, &query));
    let mut book = Xlsx::new(Cursor::new(xlsx.bytes.clone())).unwrap_or_else(|e| panic!("{e}"));
    let sheet = book.worksheet_range("变更记录").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sheet.height() - 2, fields);
    assert_eq!(sheet.get_value((1, 3)), Some(&Data::String("记录".into())));
    assert_eq!(sheet.get_value((2, 3)), Some(&Data::String("JZ-2026-000001".into())));
    assert!(matches!(sheet.get_value((2, 0)), Some(Data::DateTime(_))), "the time is a date");
}

/// Issue 9: each permission refused below its rank, in the clerk's words,
/// on each backend.
#[test]
fn only_a_manager_edits_the_office_staff_and_prices_and_sets_anothers_password() {
    for (backend, mut desk, office) in backends::offices(|| fixed_clock(now())) {
        only_a_manager_edits(&mut desk, &office, backend.name());
    }
}

fn only_a_manager_edits(desk: &mut HomeDesk, office: &Office, name: &str) {
    let supervisor = User { rank: Rank::Supervisor, ..office.cs_clerk.clone() };
    let office_settings =
        ok(desk.store().office().map_err(AppError::from)).unwrap_or_else(|| panic!("{name}: office"));
    let refused = desk.save_office(&supervisor, &office_settings);
    assert_eq!(
        refused.map_err(|e| homedesk::i18n::t().app_error(&e)),
        Err("只有经理可以修改管理处设置".into()),
        "{name}"
    );
    let staff = ok(desk.store().list_staff().map_err(AppError::from));
    let clerk = staff.iter().find(|s| s.name == "陈客服").unwrap_or_else(|| panic!("{name}: clerk"));
    let draft = homedesk::domain::StaffDraft {
        name: clerk.name.clone(),
        group: Some(clerk.group),
        rank: Some(Rank::Manager),
        active: true,
        login: clerk.login.clone().unwrap_or_default(),
        ..Default::default()
    };
    let refused = desk.save_staff(&supervisor, Some(clerk.id), &draft, "升职");
    assert!(matches!(refused, Err(AppError::Access(_))), "{name}: {refused:?}");
    let other = office.control_clerk.staff_id;
    assert!(
        matches!(desk.set_password(&supervisor, other, "new-secret"), Err(AppError::Access(_))),
        "{name}"
    );
    ok(desk.set_password(&office.manager, clerk.id, "new-secret"));
    // One's own password: proving the old one first.
    let me = office.cs_clerk.clone();
    let wrong = desk.change_own_password(&me, "wrong", "newer-secret");
    assert!(matches!(wrong, Err(AppError::BadCredentials)), "{name}: {wrong:?}");
    ok(desk.change_own_password(&me, "new-secret", "newer-secret"));
    assert!(ok(desk.confirm_password(&me, "newer-secret")), "{name}");
    assert!(!ok(desk.confirm_password(&me, "new-secret")), "{name}");
}

#[test]
fn r_fu_6_every_kind_of_changed_field_reads_in_words() {
    let t = homedesk::i18n::t();
    assert_eq!(t.history_field("analysis"), "情况分析");
    assert_eq!(t.history_value("status", "submitted"), "待审批", "a monthly report's state");
    assert_eq!(t.history_field("shopping_state"), "状态");
    assert_ne!(t.history_value("shopping_state", "recorded"), "recorded");
    // Every field a small office's history holds has a name in words.
    for (backend, desk, office) in offices_with_a_job() {
        let (rows, _) = ok(desk.history(&office.manager, &HistoryQuery::default()));
        for change in rows.iter().flat_map(|r| &r.entry.changes) {
            let name = backend.name();
            assert_ne!(t.history_field(&change.field), change.field, "{name}: no words for {}", change.field);
        }
    }
}

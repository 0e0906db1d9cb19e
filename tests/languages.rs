//! Issue 22: each person's zoom and screen language, kept on this PC; the
//! office's language for its forms, exports and command line (set by
//! `init --language`, changed in 设置 › 管理处, kept in the history).

mod common;
#[path = "common/ui.rs"]
mod ui;

use common::pdf::{assert_has, ok, read};
use common::{MANAGER_LOGIN, MANAGER_PASSWORD, homedesk, office_db, open_at};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use homedesk::domain::{Entity, Language, Money, PriceBasis, PrintLanguage, YuanWord};
use homedesk::i18n::{EN, ZH_HANS, ZH_HANT, with_language};
use homedesk::print::{AgreementDoc, OfficeParty, ResidentParty, service_agreement};
use homedesk::store::HistoryQuery;
use homedesk::ui::{HomeDeskApp, Prefs};
use ui::{Desk, click_button};

/// The app on the database at `db`, at the sign-in screen, with `prefs` as this PC's.
fn at(db: &common::TestDb, prefs: Prefs) -> Desk {
    let desk = open_at(&db.path, common::fixed_clock(common::now()));
    harness_of(HomeDeskApp::new(desk, prefs).without_opening_prints())
}

/// These flows say which language they start in (Simplified, or what this
/// PC remembers), whatever `HOMEDESK_TEST_LANGUAGE` the other UI tests run in.
fn harness_of(app: HomeDeskApp) -> Desk {
    ui::harness_as_is(app)
}

fn zoom_key(harness: &mut Desk, key: egui::Key) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
    harness.run();
}

#[test]
fn ctrl_plus_minus_and_zero_zoom_the_window_and_each_person_keeps_theirs() {
    let (db, office) = office_db();
    let mut harness = at(&db, Prefs::default());
    sign_in_in(&mut harness, &ZH_HANS);
    zoom_key(&mut harness, egui::Key::Equals);
    zoom_key(&mut harness, egui::Key::Equals);
    assert_zoom(&harness, 1.2, "Ctrl+= twice");
    zoom_key(&mut harness, egui::Key::Minus);
    assert_zoom(&harness, 1.1, "Ctrl+-");
    for _ in 0..4 {
        zoom_key(&mut harness, egui::Key::Equals);
    }
    assert_zoom(&harness, 1.5, "150 %");
    click_button(&mut harness, ZH_HANS.sign_out);

    // Another person on this PC starts at their own size.
    let prefs = harness.state().prefs.clone();
    let desk = open_at(&db.path, common::fixed_clock(common::now()));
    let app =
        HomeDeskApp::new(desk, prefs).without_opening_prints().signed_in(office.cs_clerk.clone(), "cs1");
    let mut clerk = harness_of(app);
    assert_zoom(&clerk, 1.0, "the clerk has never zoomed");
    zoom_key(&mut clerk, egui::Key::Minus);
    assert_zoom(&clerk, 0.9, "the clerk's Ctrl+-");

    // The manager's 150 % comes back after a restart; Ctrl+0 resets it.
    let prefs = clerk.state().prefs.clone();
    let mut again = at(&db, prefs);
    sign_in_in(&mut again, &ZH_HANS);
    again.run();
    assert_zoom(&again, 1.5, "the manager's zoom came back");
    zoom_key(&mut again, egui::Key::Num0);
    assert_zoom(&again, 1.0, "Ctrl+0");
    assert_eq!(again.state().prefs.people[MANAGER_LOGIN].zoom, Some(1.0));
    assert_eq!(again.state().prefs.people["cs1"].zoom, Some(0.9));
}

fn assert_zoom(harness: &Desk, expected: f32, what: &str) {
    let zoom = harness.ctx.zoom_factor();
    assert!((zoom - expected).abs() < 1e-4, "{what}: zoom {zoom}, expected {expected}");
}

/// Signs in through the screen, finding its fields by `texts`' labels.
fn sign_in_in(harness: &mut Desk, texts: &homedesk::i18n::Texts) {
    harness.get_by_role_and_label(Role::TextInput, texts.login).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role_and_label(Role::TextInput, texts.login).type_text(MANAGER_LOGIN);
    harness.get_by_label(texts.password).click();
    harness.run();
    harness.get_by_label(texts.password).type_text(MANAGER_PASSWORD);
    harness.get_by_label(texts.sign_in_button).click();
    harness.run();
    assert!(harness.state().user().is_some(), "signed in");
}

#[test]
fn a_person_picks_traditional_chinese_on_the_sign_in_screen_and_keeps_it() {
    let (db, _office) = office_db();
    let mut harness = at(&db, Prefs::default());
    harness.get_by_label(ZH_HANT.lang_zh_hant).click();
    harness.run();
    sign_in_in(&mut harness, &ZH_HANT);
    harness.run();
    // The tabs in 繁體中文, found by that catalogue's labels.
    harness.get_by_label(ZH_HANT.tab_settings).click();
    harness.run();
    harness.get_by_label(ZH_HANT.settings_mine).click();
    harness.run();
    assert!(
        harness.query_by_label(ZH_HANS.tab_settings).is_none()
            || ZH_HANS.tab_settings == ZH_HANT.tab_settings
    );
    click_button(&mut harness, ZH_HANT.sign_out);

    // The next start of the window speaks it at the sign-in screen already.
    let prefs = harness.state().prefs.clone();
    assert_eq!(prefs.people[MANAGER_LOGIN].language, Some(Language::ZhHant));
    let mut again = at(&db, prefs);
    sign_in_in(&mut again, &ZH_HANT);
    // 设置 › 本机与密码 turns it back to 简体中文, and that is kept.
    again.get_by_label(ZH_HANT.tab_settings).click();
    again.run();
    again.get_by_label(ZH_HANT.settings_mine).click();
    again.run();
    again.get_by_label(ZH_HANT.lang_zh_hans).click();
    again.run();
    again.get_by_label(ZH_HANS.sign_out);
    assert_eq!(again.state().prefs.people[MANAGER_LOGIN].language, Some(Language::ZhHans));
}

/// The agreement of print_agreement.rs, cut down: one visit price.
fn agreement() -> AgreementDoc {
    let day =
        |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"));
    AgreementDoc {
        no: "XY-2026-0012".into(),
        office: OfficeParty {
            name: common::OFFICE_NAME.into(),
            address: "深圳市南山区翠苑路88号".into(),
            manager: "王经理".into(),
            phone: "0755-86001234".into(),
        },
        resident: ResidentParty {
            name: "张三丰".into(),
            room: "3栋2单元201".into(),
            phone: "13800138000".into(),
        },
        service: "日常家居保洁".into(),
        place: "3栋2单元201".into(),
        persons_served: "张三丰".into(),
        requirements: "卫生间地面保持干燥".into(),
        schedule: "每周一、三、五 09:00–11:00".into(),
        visits_per_month: Some(12),
        area_m2: None,
        term_start: day("2026-03-01"),
        term_end: day("2026-08-31"),
        staff: vec!["孙保洁".into()],
        price: Money::from_fen(128_000).unwrap_or_else(|| panic!("price")),
        basis: PriceBasis::PerVisit,
        payment_terms: "每月5日前支付".into(),
        signed_on: Some(day("2026-02-26")),
        renewal_of: None,
        consolidated: None,
    }
}

#[test]
fn r_fee_5_a_traditional_agreement_has_traditional_headings_and_capitals_with_the_offices_yuan() {
    let traditional = PrintLanguage { language: Language::ZhHant, yuan: YuanWord::Round };
    let pdf = ok(with_language(traditional, || service_agreement(&agreement(), common::now())));
    let text = read(&pdf).1.concat();
    assert_has(
        &text,
        &["居家服務協議書", "第一條服務內容", "大寫：壹仟貳佰捌拾圓整", "壹萬伍仟參佰陸拾圓整"],
    );
    assert!(!text.contains("协议书"), "no Simplified heading left");
    // The same document in the default language is unchanged.
    let text = read(&ok(service_agreement(&agreement(), common::now()))).1.concat();
    assert_has(&text, &["协议书", "壹仟贰佰捌拾元整"]);
}

#[test]
fn init_language_sets_the_offices_language_and_the_command_line_speaks_it() {
    let db = common::temp_db();
    let init = |language: &str| {
        let args = ["init", "--office", "翠苑", "--manager", "王經理", "--phone", "88886666"];
        let mut args = args.to_vec();
        args.extend(["--password-stdin", "--language", language]);
        homedesk(&db.path, &args, "secret-123\n")
    };
    let refused = init("fr");
    assert!(!refused.status.success(), "fr is no language HomeDesk speaks");
    let made = init("zh-Hant");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(String::from_utf8_lossy(&made.stdout).contains("已建立管理處"), "init answers in 繁體中文");
    let check = homedesk(&db.path, &["check"], "");
    assert!(String::from_utf8_lossy(&check.stdout).contains("完整性檢查：ok"), "check speaks it too");

    // A manager changes it back in 设置 › 管理处; the change is in the history.
    let mut desk = open_at(&db.path, common::fixed_clock(common::now()));
    let manager = desk
        .sign_in(MANAGER_LOGIN_OF_INIT, "secret-123", homedesk::domain::Desk::CsCenter)
        .unwrap_or_else(|e| panic!("sign in: {e}"));
    let mut office = desk.store().office().ok().flatten().unwrap_or_else(|| panic!("no office"));
    assert_eq!(office.print.language, Language::ZhHant);
    office.print = PrintLanguage { language: Language::ZhHans, yuan: YuanWord::Round };
    desk.save_office(&manager, &office).unwrap_or_else(|e| panic!("save: {e}"));
    assert_eq!(desk.print_language(), office.print);
    let (history, _) = desk
        .store()
        .list_history(&HistoryQuery { entity: Some(Entity::Office), ..HistoryQuery::default() }, 50)
        .unwrap_or_else(|e| panic!("history: {e}"));
    let changed: Vec<String> =
        history.iter().flat_map(|h| h.entry.changes.iter().map(|c| c.field.clone())).collect();
    assert!(changed.iter().any(|f| f == "print_language"), "changes: {changed:?}");
    assert!(changed.iter().any(|f| f == "yuan_word"), "changes: {changed:?}");
    let json = homedesk(&db.path, &["report", "2026-03", "--json"], "");
    assert!(!String::from_utf8_lossy(&json.stdout).contains("報"), "--json keys stay as they are");
}

const MANAGER_LOGIN_OF_INIT: &str = "王經理";

#[test]
fn r_fee_5_an_english_agreement_writes_amounts_in_words_and_dates_as_3_july_2026() {
    let english = PrintLanguage { language: Language::English, ..PrintLanguage::default() };
    let pdf = ok(with_language(english, || service_agreement(&agreement(), common::now())));
    // The text read back has no spaces: the expected words neither.
    let text = read(&pdf).1.concat();
    let expected: Vec<String> = [
        "Home Service Agreement",
        "Article 1",
        "ONE THOUSAND TWO HUNDRED EIGHTY YUAN ONLY",
        "FIFTEEN THOUSAND THREE HUNDRED SIXTY YUAN ONLY",
        "1 March 2026",
        "31 August 2026",
        "26 February 2026",
    ]
    .iter()
    .map(|e| e.replace(' ', ""))
    .collect();
    assert_has(&text, &expected.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!text.contains("第一条"), "no Chinese heading left");
}

#[test]
fn a_manager_works_in_english_picked_in_settings_and_finds_every_tab_by_its_english_label() {
    let (db, _office) = office_db();
    let mut harness = at(&db, Prefs::default());
    sign_in_in(&mut harness, &ZH_HANS);
    harness.get_by_label(ZH_HANS.tab_settings).click();
    harness.run();
    harness.get_by_label(ZH_HANS.settings_mine).click();
    harness.run();
    harness.get_by_label(EN.lang_en).click();
    harness.run();
    for tab in
        [EN.tab_register, EN.tab_dispatch, EN.tab_agreements, EN.tab_shopping, EN.tab_revisits, EN.tab_stats]
    {
        harness.get_by_label(tab).click();
        harness.run();
    }
    harness.get_by_label(EN.tab_register).click();
    harness.run();
    harness.get_by_label(EN.new_request).click();
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, EN.field_room);
    assert_eq!(harness.state().prefs.people[MANAGER_LOGIN].language, Some(Language::English));
}

/// Issue 22 item 5, a first flow by keys alone: sign in, open a new
/// request with Ctrl+N, fill two fields with Tab between them, and leave
/// the form with Esc, Esc — no pointer event at all.
#[test]
fn a_clerk_signs_in_and_starts_a_request_by_keys_alone() {
    let (db, _office) = office_db();
    let mut harness = at(&db, Prefs::default());
    harness.run();
    // The empty user-name field has the focus at the sign-in screen.
    harness.event(egui::Event::Text(MANAGER_LOGIN.into()));
    harness.key_press(egui::Key::Tab);
    harness.run();
    harness.event(egui::Event::Text(MANAGER_PASSWORD.into()));
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert!(harness.state().user().is_some(), "signed in by keys");
    // The register opens first: nothing waits for this manager.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness.event(egui::Event::Text("3-2-201".into()));
    harness.key_press(egui::Key::Tab);
    harness.run();
    harness.event(egui::Event::Text("张三".into()));
    harness.run();
    assert_eq!(ui::field_text(&harness, ZH_HANS.field_room), "3-2-201");
    assert_eq!(ui::field_text(&harness, ZH_HANS.field_resident), "张三");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(
        harness.query_by_role_and_label(Role::TextInput, ZH_HANS.field_room).is_none(),
        "the form is closed"
    );
}

//! UI flows driven through egui_kittest: widgets are found by their labels,
//! clicked and typed into, as a clerk would.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use homedesk::app::HomeDesk;
use homedesk::domain::{Category, PriceItemDraft, RegisterKind};
use homedesk::ui::{HomeDeskApp, Prefs, install_fonts};

/// A new office with a manager `wang` / `secret123` and one cleaning item.
fn office_app(dir: &tempfile::TempDir) -> HomeDeskApp {
    let path = dir.path().join("ui.db");
    let mut desk = HomeDesk::open(&path).expect("open");
    let manager = desk.set_up_office("测试管理处", "王经理", "wang", "secret123").expect("set up");
    let item = PriceItemDraft {
        category: Some(Category::Cleaning),
        name: "日常保洁".into(),
        unit: "小时".into(),
        price: "30".into(),
        added_on: None,
        active: true,
    };
    desk.save_price_item(&manager, None, &item, "").expect("price item");
    HomeDeskApp::new(desk, Prefs::default())
}

fn harness(app: HomeDeskApp) -> Harness<'static, HomeDeskApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut HomeDeskApp| app.ui_root(ui), app)
}

/// Types into the text field labelled `label` (other widgets may carry the same text).
fn type_into(harness: &mut Harness<'_, HomeDeskApp>, label: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, label).click();
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, label).type_text(text);
    harness.run();
}

/// Replaces the whole text of the field labelled `label`.
fn replace_text(harness: &mut Harness<'_, HomeDeskApp>, label: &str, text: &str) {
    harness.get_by_role_and_label(Role::TextInput, label).click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness.get_by_role_and_label(Role::TextInput, label).type_text(text);
    harness.run();
}

/// Whether some widget shows exactly `text`.
fn shows(harness: &Harness<'_, HomeDeskApp>, text: &str) -> bool {
    harness.query_all_by_label(text).next().is_some()
}

fn sign_in(harness: &mut Harness<'_, HomeDeskApp>) {
    harness.get_by_label("登录名").click();
    harness.run();
    harness.get_by_label("登录名").type_text("wang");
    harness.get_by_label("密码").click();
    harness.run();
    harness.get_by_label("密码").type_text("secret123");
    harness.get_by_label("登录").click();
    harness.run();
    assert!(harness.state().user().is_some(), "signed in");
}

/// Fills the housekeeping form with `price` and clicks save.
fn fill_housekeeping_form(harness: &mut Harness<'_, HomeDeskApp>, price: &str) {
    harness.get_by_label("新登记（Ctrl+N）").click();
    harness.run();
    for (label, text) in [
        ("房号", "3-2-201"),
        ("住户姓名", "张三"),
        ("联系电话", "13800138000"),
        ("服务内容及要求", "全屋保洁，重点清洁厨房"),
    ] {
        type_into(harness, label, text);
    }
    harness.get_by_role_and_label(Role::ComboBox, "服务项目").click();
    harness.run();
    harness.get_by_label("日常保洁 · ¥30.00／小时").click();
    harness.run();
    replace_text(harness, "议定价格（元）", price);
    harness.get_by_label("保存（Enter）").click();
    harness.run();
}

#[test]
fn sign_in_register_a_housekeeping_request_and_find_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(office_app(&dir));
    sign_in(&mut harness);
    fill_housekeeping_form(&mut harness, "35");

    let count = harness.state().desk().store().count_requests(RegisterKind::Housekeeping).expect("count");
    assert_eq!(count, 1, "saved one row");
    let year = harness.state().desk().now().format("%Y").to_string();
    let number = format!("JZ-{year}-000001");
    // The saved row is selected and its detail open; close it so only the table shows rows.
    assert!(shows(&harness, "登记详情"));
    harness.get_by_label("×").click();
    harness.run();
    assert!(shows(&harness, &number), "the new row is in the table");
    assert!(shows(&harness, "3栋2单元201"));

    type_into(&mut harness, "搜索", "张三");
    assert!(shows(&harness, "共 1 条"), "found by name");
    assert!(shows(&harness, &number));
    type_into(&mut harness, "搜索", "不存在");
    assert!(shows(&harness, "共 0 条"), "a non-matching search empties the table");
    assert!(!shows(&harness, &number));
}

#[test]
fn r_fee_5_bad_price_shows_its_message_and_saves_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(office_app(&dir));
    sign_in(&mut harness);
    fill_housekeeping_form(&mut harness, "12.345");

    assert!(shows(&harness, "金额最多两位小数（精确到分）"), "message next to the price");
    let count = harness.state().desk().store().count_requests(RegisterKind::Housekeeping).expect("count");
    assert_eq!(count, 0, "nothing saved");
}

#[test]
fn wrong_password_is_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(office_app(&dir));
    harness.get_by_label("登录名").click();
    harness.run();
    harness.get_by_label("登录名").type_text("wang");
    harness.get_by_label("密码").click();
    harness.run();
    harness.get_by_label("密码").type_text("wrong-password");
    harness.get_by_label("登录").click();
    harness.run();
    assert!(harness.state().user().is_none());
    assert!(shows(&harness, "登录名或密码不正确"));
}

#[test]
fn r_fu_6_correcting_a_row_shows_old_and_new_values_in_its_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = harness(office_app(&dir));
    sign_in(&mut harness);
    fill_housekeeping_form(&mut harness, "30");
    assert!(shows(&harness, "登记详情"), "the saved row is open");

    harness.get_by_label("更正").click();
    harness.run();
    replace_text(&mut harness, "联系电话", "13900139000");
    harness.get_by_label("保存（Enter）").click();
    harness.run();
    assert!(shows(&harness, "必填"), "a correction without a reason is refused next to the field");

    type_into(&mut harness, "修改原因", "住户来电更正电话");
    harness.get_by_label("保存（Enter）").click();
    harness.run();
    assert!(shows(&harness, "联系电话：13800138000 → 13900139000"), "history shows old and new");
    assert!(shows(&harness, "原因：住户来电更正电话"));
}

//! The 代客购物登记表 with its 财务联 and the 代客购物登记簿 read back
//! (FORMS.md; R-SH-1 … R-SH-6, R-FEE-5). Each is built from plain values, as
//! the print functions take them: no database, no clock.
//!
//! With `HOMEDESK_WRITE_PDFS=/some/dir` set, `write_every_shopping_pdf_for_a_look`
//! also writes each PDF there, to be rendered and looked at.

mod common;

use std::time::Instant;

use chrono::NaiveDate;
use common::pdf::*;
use common::*;
use homedesk::domain::Money;
use homedesk::print::{
    PrintError, PrintedPdf, ShoppingForm, ShoppingLogRow, ShoppingLogSheet, shopping_forms, shopping_log,
};

/// A one-page form carries only the glyphs it uses: far below the 5 MB face.
const ONE_PAGE_MAX_BYTES: usize = 120_000;

fn fen(n: i64) -> Money {
    Money::from_fen(n).unwrap_or_else(|| panic!("{n} fen"))
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Entry 000123: two boxes of milk powder for 3栋2单元201, ¥640.00 each,
/// taken this morning, bought and delivered.
fn delivered() -> ShoppingForm {
    ShoppingForm {
        no: "000123".into(),
        room: "3栋2单元201".into(),
        resident: "张三丰".into(),
        item: "婴儿配方奶粉".into(),
        brand: "飞鹤".into(),
        kind: "奶粉".into(),
        spec: "900克/罐，6罐/箱".into(),
        quantity: "2 箱".into(),
        unit_price: Some(fen(64_000)),
        total: Some(fen(128_000)),
        deadline: Some(day("2026-03-04")),
        taken_by: "陈客服".into(),
        taken_at: Some(at("2026-03-02 09:15")),
        buyer: "李采购".into(),
        invoice_no: "44031234".into(),
        actual: Some(fen(125_050)),
        bought_on: Some(day("2026-03-03")),
        delivered_on: Some(day("2026-03-03")),
        not_bought: None,
        void: None,
    }
}

/// Only what the desk writes when it takes the request (R-SH-1).
fn recorded() -> ShoppingForm {
    ShoppingForm {
        buyer: String::new(),
        invoice_no: String::new(),
        actual: None,
        bought_on: None,
        delivered_on: None,
        ..delivered()
    }
}

fn could_not_buy() -> ShoppingForm {
    ShoppingForm {
        no: "000124".into(),
        not_bought: Some(("该品牌全市缺货，住户不接受其他品牌".into(), Some(at("2026-03-04 16:20")))),
        ..recorded()
    }
}

fn voided() -> ShoppingForm {
    ShoppingForm {
        no: "000125".into(),
        void: Some(("登记时房号写错，已另开 000126".into(), "陈客服".into(), at("2026-03-02 09:40"))),
        ..recorded()
    }
}

/// A void form with every value longer than its cell and the largest
/// amounts the desk accepts: the most a part can hold.
fn every_value_too_long() -> ShoppingForm {
    let largest = fen(10_000_000_000);
    ShoppingForm {
        room: "翠苑花园二期十八栋三单元二十一层二一零三室（东侧入户门）".into(),
        resident: "欧阳司马诸葛上官".repeat(2),
        item: "进口有机婴儿配方奶粉（三段，适用于一至三岁幼儿）".repeat(3),
        brand: "某某国际食品集团有限公司".into(),
        kind: "婴幼儿配方乳粉".repeat(3),
        spec: "900克/罐，6罐/箱，每箱附赠量勺两只".into(),
        quantity: "2 箱又 3 罐（住户另要赠品）".into(),
        unit_price: Some(largest),
        total: Some(fen(9_999_999_999)),
        taken_by: "欧阳客服与司马客服".into(),
        buyer: "上官采购与诸葛采购".into(),
        invoice_no: "4403123456789012345678".into(),
        actual: Some(largest),
        not_bought: Some(("全市缺货，".repeat(30), None)),
        void: Some(("住户临时改变主意，".repeat(20), "欧阳客服与司马客服".into(), at("2026-03-02 09:40"))),
        ..voided()
    }
}

fn sheet(from: &str, to: &str) -> ShoppingLogSheet<'static> {
    ShoppingLogSheet {
        office: OFFICE_NAME,
        from: day(from),
        to: day(to),
        printed_at: now(),
        continuity: None,
    }
}

fn log_row(seq: usize, state: &str) -> ShoppingLogRow {
    ShoppingLogRow {
        no: format!("{seq:06}"),
        taken_at: at("2026-03-02 09:15"),
        room: format!("{}栋1单元{}01", seq % 9 + 1, seq % 5 + 1),
        resident: "张三丰".into(),
        item: "婴儿配方奶粉（飞鹤 900克）".into(),
        spec: "900克×6罐".into(),
        quantity: "2 箱".into(),
        unit_price: Some(fen(64_000)),
        total: Some(fen(128_000)),
        actual: (state != "已登记").then(|| fen(125_050)),
        deadline: Some(day("2026-03-04")),
        taken_by: "陈客服".into(),
        buyer: "李采购".into(),
        not_bought: false,
        state: state.into(),
        note: String::new(),
    }
}

/// Loads `pdf`, checks what every PDF must be (a real PDF with the pages it
/// says, the font embedded and subset, no character the font lacks: the
/// toolkit prints those as `?`), and returns each page's text.
// 代客购物登记表

#[test]
fn the_form_prints_both_parts_with_the_serial_number_on_one_sheet() {
    let pdf = ok(shopping_forms(OFFICE_NAME, now(), &[delivered()]));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (doc, pages) = read(&pdf);
    let page = &pages[0];
    assert_has(page, &["代客购物登记表", "第一联", "住户/管理处联", "第二联", "财务联", "沿此线剪开"]);
    assert_eq!(page.matches("No.000123").count(), 2, "{page}");
    assert_eq!(page.matches(OFFICE_NAME).count(), 2, "{page}");
    assert_eq!(page.matches("3栋2单元201").count(), 2, "{page}");
    assert_eq!(page.matches("婴儿配方奶粉").count(), 2, "{page}");
    assert_has(page, &["张三丰", "飞鹤", "900克/罐，6罐/箱", "2箱", "陈客服", "李采购", "44031234"]);
    assert_has(page, &["¥640.00", "¥1,280.00", "壹仟贰佰捌拾元整", "¥1,250.50", "壹仟贰佰伍拾元伍角整"]);
    assert_has(page, &["2026年3月4日", "2026年3月2日09:15", "验收日期2026年3月3日", "客户验收签名"]);
    assert_has(page, &["单价10元以下的商品可不登记", "打印日期：2026-03-02"]);
    assert!(!page.contains("R-SH"), "no rule code on the resident's copy: {page}");
    // The note is on the first part only.
    assert_eq!(page.matches("单价10元以下").count(), 1, "{page}");
    assert!(dash_patterns(&doc, 1) >= 1);
    assert!(!page.contains("作废"), "{page}");
}

#[test]
fn each_form_takes_a_sheet_of_its_own() {
    let forms = [delivered(), could_not_buy(), voided()];

    let pdf = ok(shopping_forms(OFFICE_NAME, now(), &forms));

    assert_eq!(pdf.pages, 3);
    let (_, pages) = read(&pdf);
    for (page, no) in pages.iter().zip(["No.000123", "No.000124", "No.000125"]) {
        assert_eq!(page.matches(no).count(), 2, "{page}");
        assert_eq!(page.matches("No.").count(), 2, "{page}");
    }
}

#[test]
fn a_blank_form_leaves_room_to_write() {
    let pdf =
        ok(shopping_forms(OFFICE_NAME, now(), &[ShoppingForm { no: "000200".into(), ..Default::default() }]));

    assert_eq!(pdf.pages, 1);
    let (_, pages) = read(&pdf);
    assert_eq!(pages[0].matches("No.000200").count(), 2, "{}", pages[0]);
    assert_has(&pages[0], &["房号", "商品名称", "购买期限年月日", "受理时间年月日:", "小写：大写："]);
    assert!(!pages[0].contains('¥'), "{}", pages[0]);
}

#[test]
fn r_sh_6_a_void_form_says_so_on_both_parts_with_its_reason() {
    let pdf = ok(shopping_forms(OFFICE_NAME, now(), &[voided()]));

    assert_eq!(pdf.pages, 1, "a void part ran past its half");
    let (doc, pages) = read(&pdf);
    let page = &pages[0];
    // The number stays and the form stays readable under the mark.
    assert_eq!(page.matches("No.000125").count(), 2, "{page}");
    assert_eq!(page.matches("婴儿配方奶粉").count(), 2, "{page}");
    // 作废 across each part, and the reason, who and when on each.
    assert_eq!(page.matches("本单作废").count(), 2, "{page}");
    assert_eq!(page.matches("作废原因：登记时房号写错，已另开000126").count(), 2, "{page}");
    assert_eq!(page.matches("经办人：陈客服").count(), 2, "{page}");
    assert_eq!(page.matches("时间：2026年3月2日09:40").count(), 2, "{page}");
    // Each part: 本单作废 and 作废原因 in its line, and the large mark, drawn
    // in outline (text rendering mode 1) so that the form under it reads.
    assert_eq!(page.matches("作废").count(), 2 * 3, "{page}");
    let outlined = page_operations(&doc, 1)
        .iter()
        .filter(|op| op.operator == "Tr" && op.operands.first().and_then(|o| o.as_i64().ok()) == Some(1))
        .count();
    assert_eq!(outlined, 2);
}

#[test]
fn r_sh_6_a_void_form_with_every_value_too_long_keeps_each_part_on_its_half() {
    let pdf = ok(shopping_forms(OFFICE_NAME, now(), &[every_value_too_long()]));

    assert_eq!(pdf.pages, 1, "a part ran past its half");
    let (_, pages) = read(&pdf);
    assert_eq!(pages[0].matches("No.000125").count(), 2, "{}", pages[0]);
    assert_has(&pages[0], &["…"]);
}

#[test]
fn r_sh_4_a_purchase_that_failed_prints_its_reason() {
    let pdf = ok(shopping_forms(OFFICE_NAME, now(), &[could_not_buy()]));

    let (_, pages) = read(&pdf);
    let page = &pages[0];
    assert_eq!(page.matches("未能购买原因该品牌全市缺货，住户不接受其他品牌").count(), 2, "{page}");
    assert_eq!(page.matches("2026年3月4日16:20").count(), 2, "{page}");
    assert_has(page, &["告知住户时间"]);
}

#[test]
fn r_sh_5_the_finance_copy_prints_for_every_state() {
    let states = [
        ("recorded", recorded()),
        ("bought", ShoppingForm { delivered_on: None, ..delivered() }),
        ("delivered", delivered()),
        ("not bought", could_not_buy()),
        ("void", voided()),
    ];
    for (state, form) in states {
        let no = format!("No.{}", form.no);

        let pdf = ok(shopping_forms(OFFICE_NAME, now(), &[form]));

        assert_eq!(pdf.pages, 1, "{state}");
        let (_, pages) = read(&pdf);
        let page = &pages[0];
        // The finance part is the lower one: after the cut, with the number.
        let (_, finance) = page.split_once("沿此线剪开").unwrap_or_else(|| panic!("{state}: no cut: {page}"));
        assert_has(finance, &["第二联", "财务联", &no, "财务审核：", "3栋2单元201", "¥1,280.00"]);
    }
}

// 代客购物登记簿

#[test]
fn the_log_lists_the_entries_with_their_totals() {
    let rows = [
        log_row(123, "已结算"),
        ShoppingLogRow { note: "住户另付配送费".into(), ..log_row(124, "已送达") },
        ShoppingLogRow { total: Some(fen(3_500)), ..log_row(125, "已登记") },
    ];

    let pdf = ok(shopping_log(&sheet("2026-03-01", "2026-03-31"), &rows));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (_, pages) = read(&pdf);
    let page = &pages[0];
    assert_has(page, &["代客购物登记簿", OFFICE_NAME, "期间：2026年3月1日至2026年3月31日", "共3条"]);
    assert_has(page, &["编号", "受理时间", "房号", "住户", "商品", "数量", "预计金额", "实际金额", "期限"]);
    assert_has(page, &["采购人", "状态", "备注", "000123", "000125", "已结算", "住户另付配送费", "03-04"]);
    // ¥1,280.00 + ¥1,280.00 + ¥35.00 expected; two actual ¥1,250.50.
    assert_has(page, &["预计合计：¥2,595.00", "实际合计：¥2,501.00", "制表人：", "审核人：", "第1页共1页"]);
}

#[test]
fn the_log_carries_the_paper_columns_and_what_could_not_be_bought_cost() {
    let rows = [
        log_row(123, "已结算"),
        ShoppingLogRow {
            actual: None,
            buyer: String::new(),
            not_bought: true,
            total: Some(fen(3_500)),
            note: "缺货，已告知住户".into(),
            ..log_row(124, "未能购买")
        },
    ];

    let pdf = ok(shopping_log(&sheet("2026-03-01", "2026-03-31"), &rows));

    let (_, pages) = read(&pdf);
    let page = &pages[0];
    assert_has(page, &["规格", "900克×6罐", "单价", "¥640.00", "经办人", "陈客服"]);
    // The entry that could not be bought shows its expected amount, and the
    // foot names it apart from what was bought.
    assert_has(page, &["未能购买", "¥35.00", "预计合计：¥1,315.00", "其中未能购买1笔，预计¥35.00"]);
    assert_has(page, &["实际合计：¥1,250.50"]);
}

#[test]
fn a_long_log_repeats_its_heading_on_every_page() {
    let rows: Vec<ShoppingLogRow> = (1..=60).map(|n| log_row(n, "已结算")).collect();

    let pdf = ok(shopping_log(&sheet("2026-03-01", "2026-03-31"), &rows));

    assert!(pdf.pages >= 2, "{} pages", pdf.pages);
    let (_, pages) = read(&pdf);
    for (n, page) in pages.iter().enumerate() {
        assert_has(page, &["代客购物登记簿", "编号", "受理时间", "预计金额", "实际金额", "状态"]);
        assert!(page.contains(&format!("第{}页共{}页", n + 1, pdf.pages)), "{page}");
    }
    let text = pages.concat();
    assert_has(&text, &["000001", "000060", "预计合计：¥76,800.00", "实际合计：¥75,030.00"]);
    // The totals are at the foot, on the last page.
    assert!(pages[pdf.pages - 1].contains("预计合计"));
}

#[test]
fn an_empty_period_prints_one_page_saying_so() {
    let pdf = ok(shopping_log(&sheet("2026-03-02", "2026-03-02"), &[]));

    assert_eq!(pdf.pages, 1);
    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["代客购物登记簿", "日期：2026年3月2日", "共0条", "本期间没有代客购物登记"]);
    assert_has(&pages[0], &["预计合计：¥0.00", "实际合计：¥0.00", "制表人："]);
}

#[test]
fn a_log_that_ends_before_it_starts_is_refused() {
    let result = shopping_log(&sheet("2026-03-02", "2026-03-01"), &[]);

    assert_eq!(result, Err(PrintError::PeriodReversed { from: day("2026-03-02"), to: day("2026-03-01") }));
}

// A look at them

#[test]
fn write_every_shopping_pdf_for_a_look() {
    let timed = |name: &'static str, make: &dyn Fn() -> PrintedPdf| {
        let started = Instant::now();
        let pdf = make();
        eprintln!(
            "{name}: {} pages, {} bytes, {} ms",
            pdf.pages,
            pdf.bytes.len(),
            started.elapsed().as_millis()
        );
        (name, pdf)
    };
    let rows: Vec<ShoppingLogRow> = (1..=60).map(|n| log_row(n, "已结算")).collect();
    let few =
        [log_row(123, "已结算"), ShoppingLogRow { note: "住户另付配送费".into(), ..log_row(124, "作废") }];
    let pdfs = [
        timed("shopping_delivered", &|| ok(shopping_forms(OFFICE_NAME, now(), &[delivered()]))),
        timed("shopping_recorded", &|| ok(shopping_forms(OFFICE_NAME, now(), &[recorded()]))),
        timed("shopping_not_bought", &|| ok(shopping_forms(OFFICE_NAME, now(), &[could_not_buy()]))),
        timed("shopping_void", &|| ok(shopping_forms(OFFICE_NAME, now(), &[voided()]))),
        timed("shopping_too_long", &|| ok(shopping_forms(OFFICE_NAME, now(), &[every_value_too_long()]))),
        timed("shopping_blank", &|| ok(shopping_forms(OFFICE_NAME, now(), &[]))),
        timed("shopping_log", &|| ok(shopping_log(&sheet("2026-03-01", "2026-03-31"), &few))),
        timed("shopping_log_long", &|| ok(shopping_log(&sheet("2026-03-01", "2026-03-31"), &rows))),
        timed("shopping_log_empty", &|| ok(shopping_log(&sheet("2026-03-02", "2026-03-02"), &[]))),
    ];
    for (name, pdf) in &pdfs {
        read(pdf);
        if pdf.pages == 1 {
            assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{name}: {} bytes", pdf.bytes.len());
        }
    }
    let Some(dir) = std::env::var_os("HOMEDESK_WRITE_PDFS") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for (name, pdf) in &pdfs {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

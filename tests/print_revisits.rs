//! The 居家服务回访记录表 read back (FORMS.md; R-RV-1 … R-RV-5): the blank
//! call list with its tick boxes, the filled record with the answers and an
//! unreachable household, the plan's size and coverage at the foot, masked
//! phones, a long plan over several pages, the quarterly spot check, and an
//! empty plan. Built from plain values, as `revisit_sheet` takes them: no
//! database, no clock.
//!
//! With `HOMEDESK_WRITE_PDFS=/some/dir` set, `write_every_revisit_sheet_for_a_look`
//! also writes each sheet there, to be rendered and looked at.

mod common;

use std::time::Instant;

use chrono::NaiveDate;
use common::pdf::*;
use common::*;
use homedesk::print::{PhoneDisplay, PrintedPdf, RevisitLine, RevisitSheet, RevisitSheetKind, revisit_sheet};
use lopdf::Document;

/// A one-page sheet carries only the glyphs it uses: far below the 5 MB face.
const ONE_PAGE_MAX_BYTES: usize = 150_000;
/// A tick box is a closed path of four points (the toolkit draws it).
const TICK_BOX: (usize, bool) = (4, true);
/// ☐电话 ☐上门, then ☐满意 ☐基本满意 ☐不满意 under 及时性, 技能 and 态度.
const BOXES_PER_ROW: usize = 2 + 3 * 3;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// February's plan at 翠苑: 120 households served, 36 sampled, 40 planned.
fn sheet(filled: bool) -> RevisitSheet<'static> {
    RevisitSheet {
        office: OFFICE_NAME,
        title_period: "2026年2月".into(),
        kind: RevisitSheetKind::Monthly,
        filled,
        households_served: 120,
        sample_size: 36,
        planned: 40,
        done: 0,
        unreachable: 0,
        phones: PhoneDisplay::Masked,
        printed_at: now(),
    }
}

/// Household `n` of the plan, as the blank list has it.
fn planned(n: usize) -> RevisitLine {
    RevisitLine {
        room: format!("{n}栋2单元201"),
        resident: "张三丰".into(),
        phone: "13800138000".into(),
        service: "空调清洗".into(),
        service_date: Some(day("2026-02-12")),
        staff: "李师傅".into(),
        reasons: "抽样、新员工".into(),
        ..RevisitLine::default()
    }
}

/// Household `n`, revisited by phone on 1 March.
fn revisited(n: usize) -> RevisitLine {
    RevisitLine {
        revisited_on: Some(day("2026-03-01")),
        method: "电话".into(),
        timeliness: "满意".into(),
        skill: "基本满意".into(),
        attitude: "满意".into(),
        comments: "希望下次提前电话联系；需要定期清洗油烟机".into(),
        revisited_by: "陈客服".into(),
        ..planned(n)
    }
}

fn unreachable(n: usize) -> RevisitLine {
    RevisitLine {
        revisited_on: Some(day("2026-03-01")),
        method: "电话".into(),
        revisited_by: "陈客服".into(),
        unreachable: Some("3 次未接通".into()),
        ..planned(n)
    }
}

/// Loads `pdf`, checks what every sheet must be (a real PDF with the pages
/// it says, the font embedded and subset, no character the font lacks: the
/// toolkit prints those as `?`), and returns each page's text.
fn tick_boxes(doc: &Document, page: u32) -> usize {
    stroked_paths(doc, page).iter().filter(|p| **p == TICK_BOX).count()
}

const COLUMNS: [&str; 15] = [
    "序号",
    "回访日期",
    "房号",
    "住户",
    "电话",
    "服务项目",
    "服务日期",
    "服务人员",
    "回访原因",
    "回访方式",
    "及时性",
    "技能",
    "态度",
    "住户意见及需求",
    "回访人",
];

#[test]
fn the_blank_list_has_the_plan_and_boxes_to_tick() {
    let lines: Vec<RevisitLine> = (1..=3).map(planned).collect();

    let pdf = ok(revisit_sheet(&sheet(false), &lines));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (doc, pages) = read(&pdf);
    assert_has(&pages[0], &["居家服务回访记录表", OFFICE_NAME, "2026年2月回访名单", "共3户", "第1页共1页"]);
    assert_has(&pages[0], &COLUMNS);
    assert_has(&pages[0], &["1栋2单元201", "3栋2单元201", "张三丰", "空调清洗", "02-12", "李师傅"]);
    assert_has(&pages[0], &["抽样、新员工", "电话上门", "满意基本满意不满意"]);
    assert_has(&pages[0], &["本月服务户数120户，抽样36户，计划回访40户，已回访0户，未能联系0户，覆盖率0.0%"]);
    assert_has(&pages[0], &["制表人：", "审核（客服主管）："]);
    assert_eq!(tick_boxes(&doc, 1), 3 * BOXES_PER_ROW);
    // Nothing is ticked on a blank list.
    assert_eq!(stroked_paths(&doc, 1).iter().filter(|p| **p == (3, false)).count(), 0);
}

#[test]
fn the_blank_list_leaves_answers_out_even_if_known() {
    let pdf = ok(revisit_sheet(&sheet(false), &[revisited(1)]));

    let (doc, pages) = read(&pdf);
    assert!(!pages[0].contains("陈客服") && !pages[0].contains("油烟机"), "{}", pages[0]);
    assert!(!pages[0].contains("03-01"), "{}", pages[0]);
    assert_eq!(tick_boxes(&doc, 1), BOXES_PER_ROW);
}

#[test]
fn r_rv_3_the_filled_record_prints_the_answers_and_the_coverage() {
    let lines = [revisited(1), unreachable(2), planned(3)];
    let sheet = RevisitSheet { done: 35, unreachable: 1, ..sheet(true) };

    let pdf = ok(revisit_sheet(&sheet, &lines));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (doc, pages) = read(&pdf);
    let page = &pages[0];
    assert_has(page, &["居家服务回访记录表", "2026年2月回访记录", "共3户"]);
    assert_has(page, &COLUMNS);
    assert_has(page, &["03-01", "1栋2单元201", "电话满意基本满意满意", "需要定期清洗油烟机", "陈客服"]);
    // The household not reached: its attempts, in the comments column.
    assert_has(page, &["2栋2单元201", "未能联系：3次未接通"]);
    assert_has(page, &["本月服务户数120户，抽样36户，计划回访40户，已回访35户，未能联系1户，覆盖率87.5%"]);
    // Household 3 is not revisited yet: its answers are left to write.
    assert_eq!(tick_boxes(&doc, 1), BOXES_PER_ROW);
}

#[test]
fn r_rv_4_the_residents_needs_print_in_full_over_several_lines() {
    let long = RevisitLine {
        comments: "希望每月固定周三上午上门保洁，卫生间防滑垫需要更换，阳台推拉门滑轨有异响请维修部上门查看"
            .into(),
        ..revisited(1)
    };

    let pdf = ok(revisit_sheet(&sheet(true), &[long]));

    assert_has(&read(&pdf).1[0], &["阳台推拉门滑轨有异响请维修部上门查看"]);
}

#[test]
fn phones_are_masked_unless_the_sheet_asks_for_them_in_full() {
    let masked = ok(revisit_sheet(&sheet(false), &[planned(1)]));
    let text = read(&masked).1.concat();
    assert!(text.contains("138****8000"), "{text}");
    assert!(!text.contains("13800138000"), "{text}");

    let full = RevisitSheet { phones: PhoneDisplay::Full, ..sheet(false) };
    let text = read(&ok(revisit_sheet(&full, &[planned(1)]))).1.concat();
    assert!(text.contains("13800138000"), "{text}");
}

#[test]
fn a_long_plan_repeats_the_heading_and_numbers_its_pages() {
    let lines: Vec<RevisitLine> = (1..=40).map(planned).collect();

    let pdf = ok(revisit_sheet(&sheet(false), &lines));

    assert!(pdf.pages >= 3, "{} pages", pdf.pages);
    let (doc, pages) = read(&pdf);
    for (n, page) in pages.iter().enumerate() {
        assert_has(page, &["居家服务回访记录表", OFFICE_NAME, "2026年2月回访名单", "共40户"]);
        assert_has(page, &COLUMNS);
        assert!(page.contains(&format!("第{}页共{}页", n + 1, pdf.pages)), "{page}");
    }
    let text = pages.concat();
    assert_has(&text, &["1栋2单元201", "40栋2单元201"]);
    // Every household's boxes, and the foot once, on the last page.
    let boxes: usize = (1..=pdf.pages as u32).map(|n| tick_boxes(&doc, n)).sum();
    assert_eq!(boxes, 40 * BOXES_PER_ROW);
    assert_eq!(text.matches("本月服务户数").count(), 1);
    let last = pages.last().map(String::as_str).unwrap_or_default();
    assert_has(last, &["本月服务户数120户", "制表人："]);
}

#[test]
fn the_foot_goes_with_the_last_row_never_alone_on_a_page() {
    // 60 filled rows fill four pages to the brim: the foot would not fit
    // under the last of them.
    let lines: Vec<RevisitLine> = (1..=60).map(revisited).collect();

    let pdf = ok(revisit_sheet(&sheet(true), &lines));

    let (_, pages) = read(&pdf);
    let last = pages.last().map(String::as_str).unwrap_or_default();
    assert_has(last, &["60栋2单元201", "本月服务户数120户", "制表人：", "审核（客服主管）："]);
    let first_pages = pages[..pages.len() - 1].concat();
    assert!(!first_pages.contains("60栋2单元201") && !first_pages.contains("制表人"), "{first_pages}");
}

#[test]
fn r_rv_5_the_quarterly_check_is_the_quality_departments() {
    let sheet = RevisitSheet {
        title_period: "2026年第一季度".into(),
        kind: RevisitSheetKind::Quarterly,
        households_served: 410,
        sample_size: 21,
        planned: 21,
        done: 20,
        unreachable: 1,
        ..sheet(true)
    };

    let pdf = ok(revisit_sheet(&sheet, &[revisited(1), unreachable(2)]));

    let (_, pages) = read(&pdf);
    assert_has(
        &pages[0],
        &["居家服务质量抽查记录表", "2026年第一季度质量部抽查记录", "审核（质量部主管）："],
    );
    assert_has(
        &pages[0],
        &["本季度服务户数410户，抽查21户，计划抽查21户，已抽查20户，未能联系1户，覆盖率95.2%"],
    );
    assert!(!pages[0].contains("居家服务回访记录表") && !pages[0].contains("客服主管"), "{}", pages[0]);
}

#[test]
fn an_empty_plan_prints_one_page_saying_so() {
    let empty = RevisitSheet { households_served: 0, sample_size: 0, planned: 0, ..sheet(false) };

    let pdf = ok(revisit_sheet(&empty, &[]));

    assert_eq!(pdf.pages, 1);
    let (doc, pages) = read(&pdf);
    assert_has(&pages[0], &["居家服务回访记录表", "本期计划中没有需要回访的住户", "共0户"]);
    assert_has(&pages[0], &["计划回访0户，已回访0户，未能联系0户，覆盖率—"]);
    assert!(!pages[0].contains("—%"), "{}", pages[0]);
    assert_eq!(tick_boxes(&doc, 1), 0);
}

#[test]
fn dates_keep_their_year_when_the_sheet_spans_two() {
    let december = RevisitLine {
        service_date: Some(day("2025-12-29")),
        revisited_on: Some(day("2026-01-05")),
        ..revisited(1)
    };
    let sheet = RevisitSheet { title_period: "2025年12月".into(), ..sheet(true) };

    let text = read(&ok(revisit_sheet(&sheet, &[december]))).1.concat();

    assert_has(&text, &["2025-12-29", "2026-01-05"]);
}

// A look at them

/// Every kind of sheet, timed; the first four one page each.
fn every_sheet() -> Vec<(&'static str, PrintedPdf)> {
    let timed = |name: &'static str, make: &dyn Fn() -> PrintedPdf| {
        let started = Instant::now();
        let pdf = make();
        eprintln!(
            "{name}: {} bytes, {} pages, {} ms",
            pdf.bytes.len(),
            pdf.pages,
            started.elapsed().as_millis()
        );
        (name, pdf)
    };
    let blank: Vec<RevisitLine> = (1..=8).map(planned).collect();
    let mut filled: Vec<RevisitLine> = (1..=10).map(revisited).collect();
    filled[2] = unreachable(3);
    filled[6] = planned(7);
    filled[4].comments =
        "希望每月固定周三上午上门保洁，卫生间防滑垫需要更换，阳台推拉门滑轨有异响请维修部上门查看".into();
    filled[5].method = "上门".into();
    filled[5].attitude = "不满意".into();
    let filled_sheet = RevisitSheet { done: 35, unreachable: 1, ..sheet(true) };
    let quarterly = RevisitSheet {
        title_period: "2026年第一季度".into(),
        kind: RevisitSheetKind::Quarterly,
        households_served: 410,
        sample_size: 21,
        planned: 21,
        done: 20,
        unreachable: 1,
        ..sheet(true)
    };
    let long: Vec<RevisitLine> = (1..=40).map(planned).collect();
    let long_filled: Vec<RevisitLine> = (1..=60).map(revisited).collect();
    let empty = RevisitSheet { households_served: 0, sample_size: 0, planned: 0, ..sheet(false) };
    vec![
        timed("revisit_blank", &|| ok(revisit_sheet(&sheet(false), &blank))),
        timed("revisit_filled", &|| ok(revisit_sheet(&filled_sheet, &filled))),
        timed("revisit_quarterly", &|| ok(revisit_sheet(&quarterly, &filled[..4]))),
        timed("revisit_empty", &|| ok(revisit_sheet(&empty, &[]))),
        timed("revisit_blank_long", &|| ok(revisit_sheet(&sheet(false), &long))),
        timed("revisit_filled_long", &|| ok(revisit_sheet(&filled_sheet, &long_filled))),
    ]
}

#[test]
fn write_every_revisit_sheet_for_a_look() {
    let sheets = every_sheet();
    for (name, pdf) in &sheets[..4] {
        assert_eq!(pdf.pages, 1, "{name}");
        assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{name}: {} bytes", pdf.bytes.len());
    }
    for (_, pdf) in &sheets {
        read(pdf);
    }
    let Some(dir) = std::env::var_os("HOMEDESK_WRITE_PDFS") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for (name, pdf) in &sheets {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

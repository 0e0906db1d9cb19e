//! The agreement documents read back (FORMS.md 居家服务协议书): the
//! agreement with its ten clauses, both parties and every amount in figures
//! and capitals (R-FEE-5), its staff and term (R-AG-2), and the attached
//! forms — 变更书, 续订书 and the early-termination notice (R-AG-3). Each is
//! built from plain values: no database, no clock.
//!
//! With `HOMEDESK_WRITE_PDFS=/some/dir` set, `write_every_agreement_document_for_a_look`
//! also writes each document there, to be rendered and looked at.

mod common;

use std::time::Instant;

use chrono::NaiveDate;
use common::pdf::*;
use common::*;
use homedesk::domain::{Money, PriceBasis};
use homedesk::print::{
    AgreementDoc, AmendmentDoc, OfficeParty, PrintError, PrintedPdf, RenewalDoc, ResidentParty,
    TerminationNotice, agreement_amendment, agreement_renewal, service_agreement, termination_notice,
};
use lopdf::Document;

/// Every agreement document carries only the glyphs it uses.
const MAX_BYTES: usize = 200_000;

const CLAUSES: [&str; 10] = [
    "第一条服务内容、地点与要求",
    "第二条服务时间与期限",
    "第三条服务人员",
    "第四条服务费用及支付方式",
    "第五条甲方的权利和义务",
    "第六条乙方的权利和义务",
    "第七条协议的变更与解除",
    "第八条违约责任",
    "第九条争议解决",
    "第十条其他",
];

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn fen(n: i64) -> Money {
    Money::from_fen(n).unwrap_or_else(|| panic!("{n} fen"))
}

fn office() -> OfficeParty {
    OfficeParty {
        name: OFFICE_NAME.into(),
        address: "深圳市南山区翠苑路88号翠苑花园物业服务中心".into(),
        manager: "王经理".into(),
        phone: "0755-86001234".into(),
    }
}

fn resident() -> ResidentParty {
    ResidentParty { name: "张三丰".into(), room: "3栋2单元201".into(), phone: "13800138000".into() }
}

/// A signed agreement for three visits a week at ¥1,280.00 a visit.
fn agreement() -> AgreementDoc {
    AgreementDoc {
        no: "XY-2026-0012".into(),
        office: office(),
        resident: resident(),
        service: "日常家居保洁：客厅、卧室、厨房及卫生间的清洁整理，衣物洗涤晾晒".into(),
        place: "3栋2单元201".into(),
        area_m2: None,
        persons_served: "张三丰及其配偶（均年逾七十）".into(),
        requirements: "老人行动不便，服务时请勿移动客厅家具；卫生间地面保持干燥防滑".into(),
        schedule: "每周一、三、五 09:00–11:00".into(),
        visits_per_month: Some(12),
        term_start: day("2026-03-01"),
        term_end: day("2026-08-31"),
        staff: vec!["李阿姨".into(), "孙保洁".into()],
        price: fen(128_000),
        basis: PriceBasis::PerVisit,
        payment_terms: "每月5日前以现金或转账方式支付上月费用".into(),
        signed_on: Some(day("2026-02-26")),
        renewal_of: None,
        consolidated: None,
    }
}

fn amendment() -> AmendmentDoc {
    AmendmentDoc {
        agreement_no: "XY-2026-0012".into(),
        seq: 2,
        office: office(),
        resident: resident(),
        changes: vec![
            ("第二条 服务时间".into(), "每周一、三、五 09:00–11:00".into(), "每周二、四 14:00–16:00".into()),
            ("第三条 服务人员".into(), "李阿姨、孙保洁".into(), "李阿姨、周保洁".into()),
        ],
        reason: "甲方作息时间调整，孙保洁调往二期服务".into(),
        effective_on: day("2026-04-01"),
    }
}

fn renewal() -> RenewalDoc {
    RenewalDoc {
        agreement_no: "XY-2026-0012".into(),
        new_no: "XY-2026-0031".into(),
        office: office(),
        resident: resident(),
        term_start: day("2026-09-01"),
        term_end: day("2027-02-28"),
        price: fen(350_000),
        basis: PriceBasis::PerMonth,
        other_terms: "续订期间每月增加一次厨房深度清洁".into(),
    }
}

fn notice() -> TerminationNotice {
    TerminationNotice {
        agreement_no: "XY-2026-0012".into(),
        office: office(),
        resident: resident(),
        term_end: day("2026-08-31"),
        stop_on: day("2026-05-15"),
        notice_on: day("2026-05-06"),
        reason: "服务人员离职，暂无具备护理技能的人员接替".into(),
        refund: Some(fen(256_050)),
    }
}

/// Loads `pdf`, checks what every document must be (a real PDF with the
/// pages it says, under the size limit, the font embedded and subset, no
/// `?` standing for a glyph the font lacks), and returns each page's text.
/// Read back, and small enough to send by e-mail.
fn read(pdf: &PrintedPdf) -> (Document, Vec<String>) {
    assert!(pdf.bytes.len() < MAX_BYTES, "{} bytes", pdf.bytes.len());
    common::pdf::read(pdf)
}

// 居家服务协议书

#[test]
fn the_agreement_has_every_clause_both_parties_and_a_footer_on_each_page() {
    let pdf = ok(service_agreement(&agreement(), now()));

    assert!(pdf.pages > 1, "{} pages", pdf.pages);
    let (_, pages) = read(&pdf);
    let text = pages.concat();
    assert_has(&pages[0], &["居家服务协议书", "协议编号：XY-2026-0012", OFFICE_NAME]);
    assert_has(&pages[0], &["甲方（委托方）：张三丰", "住址（房号）：3栋2单元201", "联系电话：13800138000"]);
    assert_has(&pages[0], &["乙方（服务方）：翠苑管理处", "深圳市南山区翠苑路88号", "负责人：王经理"]);
    assert_has(&pages[0], &["服务电话：0755-86001234", "《中华人民共和国民法典》"]);
    assert_has(&text, &CLAUSES);
    // In order, each once.
    let at: Vec<usize> = CLAUSES.iter().map(|c| text.find(c).unwrap_or(usize::MAX)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert_has(&text, &["人民调解委员会", "一式两份", "变更书", "续订书", "提前终止服务通知书"]);
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains(&format!("第{}页共{}页", n + 1, pdf.pages)), "page {}: {page}", n + 1);
        assert!(page.contains(OFFICE_NAME), "page {} has no office header", n + 1);
    }
    assert!(!text.contains("草稿"), "a signed agreement is no draft");
}

#[test]
fn the_signature_block_is_whole_on_the_last_page() {
    let pdf = ok(service_agreement(&agreement(), now()));

    let (_, pages) = read(&pdf);
    let last = pages.last().map(String::as_str).unwrap_or_default();
    assert_has(last, &["甲方（签字）：", "乙方（盖章）：翠苑管理处", "管理处经理（签字）：", "日期："]);
    // Signed: the day is on both date lines.
    assert_eq!(last.matches("2026年2月26日").count(), 2, "{last}");
}

#[test]
fn r_fee_5_every_agreement_amount_is_in_figures_and_capitals() {
    let pdf = ok(service_agreement(&agreement(), now()));
    let text = read(&pdf).1.concat();
    // The price, and twelve visits' worth as the month's estimate.
    assert_has(&text, &["每次人民币¥1,280.00（大写：壹仟贰佰捌拾元整）"]);
    assert_has(&text, &["每月约12次", "约为人民币¥15,360.00（大写：壹万伍仟叁佰陆拾元整）"]);
    assert_has(&text, &["每月5日前以现金或转账方式支付上月费用"]);

    let monthly = AgreementDoc { price: fen(350_050), basis: PriceBasis::PerMonth, ..agreement() };
    let text = read(&ok(service_agreement(&monthly, now()))).1.concat();
    assert_has(&text, &["每月人民币¥3,500.50（大写：叁仟伍佰元伍角整）"]);
    assert!(!text.contains("约为人民币"), "a monthly price needs no estimate");

    let renewal = read(&ok(agreement_renewal(&renewal(), now()))).1.concat();
    assert_has(&renewal, &["每月人民币¥3,500.00（大写：叁仟伍佰元整）"]);

    let notice = read(&ok(termination_notice(&notice(), now()))).1.concat();
    assert_has(&notice, &["人民币¥2,560.50（大写：贰仟伍佰陆拾元伍角整）"]);
}

#[test]
fn r_ag_2_the_agreement_names_the_staff_and_the_term() {
    let pdf = ok(service_agreement(&agreement(), now()));

    let text = read(&pdf).1.concat();
    assert_has(&text, &["乙方指派的服务人员：李阿姨、孙保洁。", "须经甲乙双方书面确认"]);
    assert_has(&text, &["服务期限：自2026年3月1日起至2026年8月31日止。"]);
    assert_has(
        &text,
        &["服务时间：每周一、三、五09:00–11:00", "服务对象：张三丰及其配偶", "特殊要求：老人行动不便"],
    );

    let unnamed = AgreementDoc { staff: Vec::new(), requirements: String::new(), ..agreement() };
    let text = read(&ok(service_agreement(&unnamed, now()))).1.concat();
    assert_has(&text, &["由乙方在服务开始前书面告知甲方", "特殊要求：无"]);
}

#[test]
fn r_ag_3_the_agreement_binds_the_office_to_written_notice() {
    let text = read(&ok(service_agreement(&agreement(), now()))).1.concat();
    assert_has(&text, &["乙方因故需提前终止服务的，应至少提前七日向甲方送达《提前终止服务通知书》"]);
}

#[test]
fn a_draft_says_so_on_every_page() {
    let draft = AgreementDoc { signed_on: None, ..agreement() };

    let pdf = ok(service_agreement(&draft, now()));

    let (_, pages) = read(&pdf);
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains("草稿"), "page {}: {page}", n + 1);
    }
    // Unsigned: the dates are left to write.
    let last = pages.last().map(String::as_str).unwrap_or_default();
    assert_eq!(last.matches("日期：年月日").count(), 2, "{last}");
}

#[test]
fn a_renewed_agreement_names_the_one_it_renews() {
    let renewed = AgreementDoc { renewal_of: Some("XY-2025-0040".into()), ..agreement() };

    let pages = read(&ok(service_agreement(&renewed, now()))).1;

    assert_has(&pages[0], &["续订原协议：XY-2025-0040"]);
}

#[test]
fn a_term_that_ends_before_it_starts_is_refused() {
    let reversed = AgreementDoc { term_end: day("2026-02-01"), ..agreement() };
    assert_eq!(
        service_agreement(&reversed, now()),
        Err(PrintError::PeriodReversed { from: day("2026-03-01"), to: day("2026-02-01") })
    );
    let reversed = RenewalDoc { term_end: day("2026-08-01"), ..renewal() };
    assert!(matches!(agreement_renewal(&reversed, now()), Err(PrintError::PeriodReversed { .. })));
}

// The attached forms

#[test]
fn the_amendment_lists_each_change_in_its_table() {
    let pdf = ok(agreement_amendment(&amendment(), now()));

    assert_eq!(pdf.pages, 1);
    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["居家服务协议变更书", "协议编号：XY-2026-0012", "第2次变更", "第1页共1页"]);
    assert_has(&pages[0], &["甲方（委托方）：张三丰", "乙方（服务方）：翠苑管理处"]);
    assert_has(&pages[0], &["序号", "条款/项目", "原约定", "变更为"]);
    // Each row: its number, the clause, what was agreed and what it becomes.
    assert_has(&pages[0], &["1第二条服务时间每周一、三、五09:00–11:00每周二、四14:00–16:00"]);
    assert_has(&pages[0], &["2第三条服务人员李阿姨、孙保洁李阿姨、周保洁"]);
    assert_has(&pages[0], &["变更原因：甲方作息时间调整", "本变更书自2026年4月1日起生效"]);
    assert_has(&pages[0], &["甲方（签字）：", "乙方（盖章）：翠苑管理处", "管理处经理（签字）："]);
}

#[test]
fn an_amendment_without_changes_says_so() {
    let empty = AmendmentDoc { changes: Vec::new(), ..amendment() };

    let pages = read(&ok(agreement_amendment(&empty, now()))).1;

    assert_has(&pages[0], &["本次无变更条款"]);
}

#[test]
fn the_renewal_has_the_new_term_and_number() {
    let pdf = ok(agreement_renewal(&renewal(), now()));

    assert_eq!(pdf.pages, 1);
    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["居家服务协议续订书", "原协议编号：XY-2026-0012", "续订协议编号：XY-2026-0031"]);
    assert_has(&pages[0], &["续订期限：自2026年9月1日起至2027年2月28日止。"]);
    assert_has(&pages[0], &["其他约定：续订期间每月增加一次厨房深度清洁", "按原协议"]);
    assert_has(&pages[0], &["甲方（签字）：", "乙方（盖章）：翠苑管理处", "第1页共1页"]);
}

#[test]
fn r_ag_3_the_termination_notice_is_the_written_notice() {
    let pdf = ok(termination_notice(&notice(), now()));

    assert_eq!(pdf.pages, 1);
    let (_, pages) = read(&pdf);
    assert_has(
        &pages[0],
        &["提前终止服务通知书", "协议编号：XY-2026-0012", "致甲方张三丰（住址：3栋2单元201）："],
    );
    assert_has(&pages[0], &["约定的服务期限至2026年8月31日", "服务终止日期：2026年5月15日"]);
    assert_has(&pages[0], &["终止原因：服务人员离职，暂无具备护理技能的人员接替"]);
    assert_has(&pages[0], &["即为《居家服务协议书》第七条约定的书面通知"]);
    // Signed and dated by the office; a line for the resident to sign for it.
    assert_has(
        &pages[0],
        &["乙方（盖章）：翠苑管理处", "管理处经理（签字）：", "日期：2026年5月6日", "甲方签收："],
    );

    let no_refund = TerminationNotice { refund: None, ..notice() };
    let text = read(&ok(termination_notice(&no_refund, now()))).1.concat();
    assert_has(&text, &["无预付费用需要退还"]);
    assert!(!text.contains('¥'), "{text}");
}

// A look at them

/// Every agreement document, timed; written out when asked.
fn every_document() -> Vec<(&'static str, PrintedPdf)> {
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
    let draft = AgreementDoc { signed_on: None, renewal_of: Some("XY-2025-0040".into()), ..agreement() };
    vec![
        timed("agreement", &|| ok(service_agreement(&agreement(), now()))),
        timed("agreement_draft", &|| ok(service_agreement(&draft, now()))),
        timed("amendment", &|| ok(agreement_amendment(&amendment(), now()))),
        timed("renewal", &|| ok(agreement_renewal(&renewal(), now()))),
        timed("termination_notice", &|| ok(termination_notice(&notice(), now()))),
    ]
}

#[test]
fn write_every_agreement_document_for_a_look() {
    let documents = every_document();
    for (_, pdf) in &documents {
        read(pdf);
    }
    let Some(dir) = std::env::var_os("HOMEDESK_WRITE_PDFS") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for (name, pdf) in &documents {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

//! The printed forms read back (FORMS.md): 留言条 with 存根 (R-FU-3),
//! 居家服务情况记录表 (R-EX-1), 抄单表 (R-DSP-1/2), 现金交接单 (R-FEE-2,
//! R-FEE-5) and the 维修登记表抄送单 (R-FU-5). Each form is built from plain
//! values, as the print functions take them: no database, no clock.
//!
//! With `HOMEDESK_WRITE_PDFS=/some/dir` set, `write_every_form_for_a_look`
//! also writes each form there, to be rendered and looked at.

mod common;

use std::time::Instant;

use common::pdf::*;
use common::*;
use homedesk::domain::{Money, Opinion, PriceReview, RegisterKind, Request, RequestStatus, RunningNo};
use homedesk::print::{
    CashHandover, CashLine, MessageSlip, PhoneDisplay, PrintedPdf, RegisterSheet, RoundSheet,
    ServiceRecordForm, SheetPurpose, SlipSheet, cash_handovers, message_slips, register_sheet, round_sheet,
    service_records,
};

const DESK_PHONE: &str = "0755-86001234";
/// A one-page form carries only the glyphs it uses: far below the 5 MB face.
const ONE_PAGE_MAX_BYTES: usize = 120_000;

fn yuan(n: i64) -> Money {
    Money::from_yuan(n).unwrap_or_else(|| panic!("{n} yuan"))
}

/// A register row of `kind` for 3栋2单元201, where 张三丰 (13800138000)
/// lives: booked for 14:00 today at an agreed ¥80.00, sent to 李师傅.
fn request(kind: RegisterKind, seq: i64) -> Request {
    Request {
        id: seq,
        no: RunningNo { kind, year: 2026, seq },
        received_at: now(),
        received_by: "陈客服".into(),
        desk: kind.owner(),
        room: "3栋2单元201".into(),
        resident_name: "张三丰".into(),
        phone: "13800138000".into(),
        service: "日常保洁".into(),
        details: "全屋保洁，厨房油烟机重点清洗".into(),
        appointment: at("2026-03-02 14:00"),
        slack_reason: String::new(),
        price: Some(yuan(80)),
        price_agreed: true,
        review: None,
        urgency: None,
        alarm_work: None,
        assigned_staff: Some((7, "李师傅".into())),
        status: RequestStatus::Dispatched,
        signed_off: None,
        collected: None,
        settled_at: None,
        notes: String::new(),
        relay_told: None,
        relay_of: None,
        relay_link: None,
        follow_up: None,
        arrived_at: None,
        finished_at: None,
        agreement: None,
    }
}

fn slip_sheet() -> SlipSheet<'static> {
    SlipSheet { office: OFFICE_NAME, desk_phone: DESK_PHONE, printed_at: now() }
}

fn slip(no: &str, room: &str) -> MessageSlip {
    MessageSlip {
        no: no.into(),
        room: room.into(),
        visit_at: Some(at("2026-03-02 14:30")),
        service: "厨房保洁".into(),
        staff: "李师傅".into(),
    }
}

fn service_record(no: &str) -> ServiceRecordForm {
    ServiceRecordForm {
        no: no.into(),
        room: "3栋2单元201".into(),
        resident: "张三".into(),
        service: "空调清洗".into(),
        details: "客厅挂机一台，卧室挂机两台".into(),
        appointment: Some(at("2026-03-02 14:00")),
        arrived_at: Some(at("2026-03-02 13:55")),
        finished_at: Some(at("2026-03-02 16:10")),
        staff: "李师傅".into(),
        work_done: "拆洗三台挂机滤网与蒸发器，清理排水管".into(),
        amount: Some(Money::from_fen(128_000).unwrap_or_else(|| panic!("¥1,280.00"))),
        opinion: Some(Opinion::FairlySatisfied),
        comment: "师傅很细心".into(),
    }
}

fn round(kind: RegisterKind) -> RoundSheet<'static> {
    RoundSheet { office: OFFICE_NAME, kind, round_at: at("2026-03-02 08:00"), printed_at: now() }
}

fn cash_line(seq: i64, time: &str, amount: Money) -> CashLine {
    CashLine {
        no: RunningNo { kind: RegisterKind::Housekeeping, year: 2026, seq }.to_string(),
        room: format!("{seq}栋1单元101"),
        service: "日常保洁".into(),
        collected_at: at(time),
        amount,
    }
}

fn handover(staff: &str, lines: Vec<CashLine>) -> CashHandover {
    CashHandover { staff: staff.into(), day: now().date(), lines, received: None }
}

fn repair_sheet(purpose: SheetPurpose) -> RegisterSheet<'static> {
    let yesterday = at("2026-03-01 10:00").date();
    RegisterSheet {
        office: OFFICE_NAME,
        kind: RegisterKind::Repair,
        from: yesterday,
        to: yesterday,
        phones: PhoneDisplay::Full,
        printed_at: at("2026-03-02 08:30"),
        purpose,
    }
}

/// Loads `pdf`, checks what every form must be (a real PDF with the pages
/// it says, the font embedded and subset, no character the font lacks: the
/// toolkit prints those as `?`), and returns each page's text.
// 留言条 with 存根

#[test]
fn three_slips_take_two_sheets_each_slip_with_its_stub() {
    let slips = [slip("000101", "1栋101"), slip("000102", "2栋202"), slip("000103", "3栋303")];

    let pdf = ok(message_slips(&slip_sheet(), &slips));

    assert_eq!(pdf.pages, 2);
    let (doc, pages) = read(&pdf);
    assert_has(
        &pages[0],
        &[
            "留言条",
            "尊敬的住户：",
            "存根",
            "沿此线剪开",
            "1栋101",
            "2栋202",
            "厨房保洁",
            DESK_PHONE,
            OFFICE_NAME,
        ],
    );
    assert_has(&pages[0], &["2026年3月2日14:30", "按约定上门为您提供厨房保洁服务", "交回时间", "接收人"]);
    // The slip and its stub carry the same number.
    assert_eq!(pages[0].matches("No.000101").count(), 2, "{}", pages[0]);
    assert_eq!(pages[0].matches("存根").count(), 2, "{}", pages[0]);
    // The odd one out has the sheet to itself; its lower half stays empty.
    assert_has(&pages[1], &["No.000103", "3栋303"]);
    assert_eq!(pages[1].matches("存根").count(), 1, "{}", pages[1]);
    assert!(!pages[1].contains("1栋101"));
    // Two cut lines per slip-pair sheet: slip from stub twice, and the sheet across.
    assert_eq!(pages[0].matches("沿此线剪开").count(), 3, "{}", pages[0]);
    assert!(dash_patterns(&doc, 1) >= 3);
}

#[test]
fn a_blank_slip_has_its_number_and_room_to_write() {
    let blank = MessageSlip { no: "000200".into(), ..MessageSlip::default() };

    let pdf = ok(message_slips(&slip_sheet(), &[blank]));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (_, pages) = read(&pdf);
    assert_has(
        &pages[0],
        &["No.000200", "我们于年月日:按约定上门为您提供服务", DESK_PHONE, "房号：", "服务人员："],
    );
}

#[test]
fn r_fu_3_the_slip_shows_no_resident_name_or_phone() {
    let job = request(RegisterKind::Housekeeping, 12);
    assert_eq!((job.resident_name.as_str(), job.phone.as_str()), ("张三丰", "13800138000"));

    let pdf = ok(message_slips(&slip_sheet(), &[MessageSlip::for_job("000321", &job, "李师傅")]));

    let text = read(&pdf).1.concat();
    assert_has(&text, &["3栋2单元201", "No.000321", "日常保洁", "李师傅", "2026年3月2日14:00"]);
    for personal in ["张三丰", "13800138000", "138****8000"] {
        assert!(!text.contains(personal), "{personal} printed on the slip: {text}");
    }
}

/// A slip with every value too long for its blank, from an office with a long name.
fn long_slip() -> (SlipSheet<'static>, MessageSlip) {
    let slip = MessageSlip {
        no: "000999".into(),
        room: "翠苑花园二期十八栋三单元二十一层二一零三室（东侧入户门）".into(),
        visit_at: Some(at("2026-03-02 14:30")),
        service: "厨房油烟机拆洗、灶台去油污、橱柜内外清洁及下水道疏通".into(),
        staff: "欧阳师傅与司马师傅".into(),
    };
    (SlipSheet { office: "翠苑花园物业服务中心第二管理处（二期）", ..slip_sheet() }, slip)
}

#[test]
fn long_values_stay_on_their_half_sheet() {
    let (sheet, long) = long_slip();

    let pdf = ok(message_slips(&sheet, &[long.clone(), long]));

    assert_eq!(pdf.pages, 1, "a slip ran past its half");
    let (_, pages) = read(&pdf);
    assert_eq!(pages[0].matches("No.000999").count(), 4, "{}", pages[0]);
}

// 居家服务情况记录表

#[test]
fn a_long_record_keeps_to_its_page() {
    let long = ServiceRecordForm {
        details: "客厅挂机一台，卧室挂机两台，".repeat(20),
        work_done: "拆洗滤网与蒸发器，清理排水管，".repeat(40),
        comment: "师傅很细心，".repeat(60),
        ..service_record("JZ-2026-000012")
    };

    let pdf = ok(service_records(OFFICE_NAME, now(), &[long]));

    assert_eq!(pdf.pages, 1);
    assert_has(&read(&pdf).1[0], &["…", "客户签名", "服务人员签名"]);
}

#[test]
fn two_service_records_take_a_page_each_with_the_fee_in_capitals() {
    let forms = [service_record("JZ-2026-000012"), service_record("JZ-2026-000013")];

    let pdf = ok(service_records(OFFICE_NAME, now(), &forms));

    assert_eq!(pdf.pages, 2);
    let (_, pages) = read(&pdf);
    for (page, no) in pages.iter().zip(["JZ-2026-000012", "JZ-2026-000013"]) {
        assert_has(
            page,
            &["居家服务情况记录表", OFFICE_NAME, no, "3栋2单元201", "张三", "空调清洗", "李师傅"],
        );
        assert_has(page, &["到达时间2026年3月2日13:55", "完成时间2026年3月2日16:10"]);
        assert_has(page, &["¥1,280.00", "大写：壹仟贰佰捌拾元整", "材料名称", "单价", "师傅很细心"]);
        // Each record is numbered on its own.
        assert!(page.contains("第1页共1页"), "{page}");
    }
    assert!(!pages[0].contains("JZ-2026-000013"));
}

#[test]
fn r_ex_1_the_service_record_has_the_resident_signature_and_opinion_boxes() {
    let pdf = ok(service_records(OFFICE_NAME, now(), &[service_record("JZ-2026-000012")]));

    let (doc, pages) = read(&pdf);
    assert_has(&pages[0], &["客户意见", "满意", "基本满意", "不满意", "客户签名", "服务人员签名", "日期"]);
    // Three boxes, and a tick in one of them (the face has no ☐/☑: drawn).
    let paths = stroked_paths(&doc, 1);
    assert_eq!(paths.iter().filter(|p| **p == (4, true)).count(), 3, "{paths:?}");
    assert_eq!(paths.iter().filter(|p| **p == (3, false)).count(), 1, "{paths:?}");

    let unsigned = ServiceRecordForm { opinion: None, ..service_record("JZ-2026-000012") };
    let doc = load(&ok(service_records(OFFICE_NAME, now(), &[unsigned])));
    let paths = stroked_paths(&doc, 1);
    assert_eq!(paths.iter().filter(|p| **p == (4, true)).count(), 3, "{paths:?}");
    assert_eq!(paths.iter().filter(|p| **p == (3, false)).count(), 0, "{paths:?}");
}

#[test]
fn a_service_record_for_the_door_leaves_the_outcome_blank() {
    let job = request(RegisterKind::Housekeeping, 12);

    let pdf = ok(service_records(OFFICE_NAME, now(), &[ServiceRecordForm::for_job(&job)]));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["JZ-2026-000012", "张三丰", "日常保洁", "全屋保洁", "李师傅"]);
    // Unknown times and the fee are left to write: the pattern, no figures.
    assert_has(&pages[0], &["到达时间年月日:", "小写：大写："]);
    assert!(!pages[0].contains('¥'), "{}", pages[0]);
}

// 抄单表

#[test]
fn the_round_sheet_lists_the_rows_with_a_column_to_sign() {
    let rows: Vec<Request> = (1..=3).map(|n| request(RegisterKind::Housekeeping, n)).collect();

    let pdf = ok(round_sheet(&round(RegisterKind::Housekeeping), &rows));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["家政服务抄单表", "抄单时间：2026年3月2日08:00", "家政组", "共3条"]);
    assert_has(&pages[0], &["序号", "抄单人签字", "服务内容及要求", "议定价格", "¥80.00", "14:00"]);
    assert_has(&pages[0], &["JZ-2026-000001", "JZ-2026-000003", "3栋2单元201", "客服中心："]);
    assert!(!pages[0].contains("张三丰") && !pages[0].contains("13800138000"));
}

#[test]
fn the_alarm_round_sheet_is_the_engineering_departments() {
    let pdf = ok(round_sheet(&round(RegisterKind::Alarm), &[request(RegisterKind::Alarm, 5)]));

    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["报警服务抄单表", "工程部", "BJ-2026-000005"]);
}

#[test]
fn a_long_round_sheet_repeats_its_heading_on_every_page() {
    let rows: Vec<Request> = (1..=40).map(|n| request(RegisterKind::Housekeeping, n)).collect();

    let pdf = ok(round_sheet(&round(RegisterKind::Housekeeping), &rows));

    assert!(pdf.pages >= 2, "{} pages", pdf.pages);
    let (_, pages) = read(&pdf);
    for (n, page) in pages.iter().enumerate() {
        assert_has(page, &["家政服务抄单表", "序号", "编号", "房号", "抄单人签字"]);
        assert!(page.contains(&format!("第{}页共{}页", n + 1, pdf.pages)), "{page}");
    }
    let text = pages.concat();
    assert!(text.contains("JZ-2026-000001") && text.contains("JZ-2026-000040"));
}

/// An agreement job's requirements as the clerk typed them: the last words
/// matter most to the resident.
const AGREEMENT_DETAILS: &str = "长期协议上门保洁：客厅、卧室、厨房、卫生间地面及台面清洁，倒垃圾，\
    擦拭门窗和家具表面；进门换鞋套，贵重物品不动，不挪动老人的药品和证件";

#[test]
fn r_dsp_1_the_round_sheet_wraps_a_long_requirement_and_cuts_nothing() {
    let rows = vec![Request { details: AGREEMENT_DETAILS.into(), ..request(RegisterKind::Housekeeping, 1) }];

    let pdf = ok(round_sheet(&round(RegisterKind::Housekeeping), &rows));

    let (_, pages) = read(&pdf);
    let text = pages.concat();
    assert_has(&text, &["长期协议上门保洁", "贵重物品不动", "不挪动老人的药品和证件"]);
    assert!(!text.contains('…'), "{text}");
}

#[test]
fn r_dsp_1_the_round_sheets_signatures_never_stand_alone_on_a_page() {
    for n in 10..=30 {
        let rows: Vec<Request> = (1..=n).map(|n| request(RegisterKind::Housekeeping, n)).collect();

        let pdf = ok(round_sheet(&round(RegisterKind::Housekeeping), &rows));

        let (_, pages) = read(&pdf);
        let last = pages.last().map(String::as_str).unwrap_or_default();
        assert!(last.contains("客服中心："), "{n} rows: the signatures on the last page: {last}");
        let last_row = RunningNo { kind: RegisterKind::Housekeeping, year: 2026, seq: n }.to_string();
        assert!(last.contains(&last_row), "{n} rows: the signatures alone on page {}: {last}", pages.len());
    }
}

#[test]
fn forms_write_dates_as_chinese_forms_do_and_carry_their_title_date_and_own_font_tag() {
    let sheet = RoundSheet {
        office: OFFICE_NAME,
        kind: RegisterKind::Housekeeping,
        round_at: at("2026-07-03 08:00"),
        printed_at: at("2026-07-03 07:55"),
    };
    let rows = [Request { appointment: at("2026-07-03 14:00"), ..request(RegisterKind::Housekeeping, 1) }];

    let first = ok(round_sheet(&sheet, &rows));
    let second = ok(round_sheet(&sheet, &rows));

    let (doc, pages) = read(&first);
    assert_has(&pages[0], &["抄单时间：2026年7月3日08:00"]);
    assert!(!pages[0].contains("2026年07月03日"), "{}", pages[0]);
    assert_eq!(info(&doc, "Title"), "家政服务抄单表");
    assert!(info(&doc, "CreationDate").starts_with("D:20260703075500"), "{}", info(&doc, "CreationDate"));
    let (tags, again) = (subset_tags(&doc), subset_tags(&load(&second)));
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert!(tags[0].chars().all(|c| c.is_ascii_uppercase()), "{tags:?}");
    assert_ne!(tags, again, "each document its own subset tag");
}

// 现金交接单

#[test]
fn r_fee_5_the_handover_total_is_in_figures_and_capital_numerals() {
    let lines = vec![
        cash_line(1, "2026-03-02 09:40", yuan(80)),
        cash_line(2, "2026-03-02 15:10", Money::from_fen(120_050).unwrap_or_else(|| panic!("¥1,200.50"))),
    ];

    let pdf = ok(cash_handovers(OFFICE_NAME, now(), &[handover("王五", lines)]));

    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{} bytes", pdf.bytes.len());
    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["现金交接单", "交款人：王五", "日期：2026年3月2日", "共2笔"]);
    assert_has(&pages[0], &["¥80.00", "¥1,200.50", "09:40", "1栋1单元101", "JZ-2026-000002"]);
    assert_has(&pages[0], &["合计：¥1,280.50", "大写：壹仟贰佰捌拾元伍角整"]);
    assert_has(&pages[0], &["交款人：", "财务收款人：", "收款时间："]);
}

#[test]
fn each_handover_starts_a_page_of_its_own_with_finance_filled_in_once_received() {
    let received = CashHandover {
        received: Some(("钱会计".into(), at("2026-03-02 17:30"))),
        ..handover("赵六", vec![cash_line(3, "2026-03-02 11:00", yuan(50))])
    };
    let handovers = [handover("王五", vec![cash_line(1, "2026-03-02 09:40", yuan(80))]), received];

    let pdf = ok(cash_handovers(OFFICE_NAME, now(), &handovers));

    assert_eq!(pdf.pages, 2);
    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["交款人：王五", "合计：¥80.00", "捌拾元整", "第1页共1页"]);
    assert!(!pages[0].contains("赵六") && !pages[0].contains("钱会计"));
    assert_has(&pages[1], &["交款人：赵六", "伍拾元整", "钱会计", "2026年3月2日17:30", "第1页共1页"]);
}

#[test]
fn a_day_without_cash_says_so() {
    let pdf = ok(cash_handovers(OFFICE_NAME, now(), &[handover("王五", Vec::new())]));

    let (_, pages) = read(&pdf);
    assert_has(&pages[0], &["当日没有现金收费", "合计：¥0.00", "大写：零元整"]);
}

#[test]
fn r_fee_2_the_handovers_total_and_signatures_never_stand_alone_on_a_page() {
    for n in 20..=45 {
        let lines: Vec<CashLine> = (1..=n).map(|seq| cash_line(seq, "2026-03-02 09:40", yuan(80))).collect();

        let pdf = ok(cash_handovers(OFFICE_NAME, now(), &[handover("王五", lines)]));

        let (_, pages) = read(&pdf);
        let last = pages.last().map(String::as_str).unwrap_or_default();
        let last_line = RunningNo { kind: RegisterKind::Housekeeping, year: 2026, seq: n }.to_string();
        assert_has(last, &[&last_line, "合计：", "财务收款人："]);
    }
}

// 维修登记表抄送单

#[test]
fn r_fu_5_the_repair_copy_carries_both_desks_signatures() {
    let rows = [Request { received_at: at("2026-03-01 10:00"), ..request(RegisterKind::Repair, 3) }];

    let copy = ok(register_sheet(&repair_sheet(SheetPurpose::RepairCopy), &rows));

    let (_, pages) = read(&copy);
    assert_has(&pages[0], &["维修登记表抄送单", "WX-2026-000003", "2026年3月1日", "13800138000"]);
    assert_has(&pages[0], &["交出人（控制中心）：", "接收人（客服中心）：", "时间："]);
    assert!(!pages[0].contains("制表人") && !pages[0].contains("审核人"), "{}", pages[0]);

    let ledger = ok(register_sheet(&repair_sheet(SheetPurpose::Register), &rows));
    let ledger = read(&ledger).1.concat();
    assert_has(&ledger, &["居家维修服务登记表", "制表人：", "审核人："]);
    assert!(!ledger.contains("抄送单") && !ledger.contains("交出人"));
}

#[test]
fn the_registers_notes_wrap_and_keep_the_reviewers_name() {
    let review = PriceReview {
        reviewer: "王经理（管理处经理）".into(),
        reviewed_at: at("2026-03-01 09:30"),
        conclusion: "高于指导价30%以上：住户要求使用进口配件，已电话确认同意按此价格执行".into(),
    };
    let row = Request {
        received_at: at("2026-03-01 10:00"),
        notes: "住户白天不在家，钥匙在物业前台，维修后请拍照发给住户".into(),
        review: Some(review),
        ..request(RegisterKind::Repair, 3)
    };

    let pdf = ok(register_sheet(&repair_sheet(SheetPurpose::Register), &[row]));

    let text = read(&pdf).1.concat();
    assert_has(&text, &["维修后请拍照发给住户", "已电话确认同意按此价格执行", "王经理（管理处经理）"]);
    assert!(!text.contains('…'), "{text}");
}

#[test]
fn the_registers_signatures_never_stand_alone_on_a_page() {
    for n in [20, 25, 30, 35, 40, 45, 50] {
        let rows: Vec<Request> = (1..=n)
            .map(|n| Request { received_at: at("2026-03-01 10:00"), ..request(RegisterKind::Repair, n) })
            .collect();

        let pdf = ok(register_sheet(&repair_sheet(SheetPurpose::Register), &rows));

        let (_, pages) = read(&pdf);
        let last = pages.last().map(String::as_str).unwrap_or_default();
        let last_row = RunningNo { kind: RegisterKind::Repair, year: 2026, seq: n }.to_string();
        assert_has(last, &["审核人：", &last_row]);
    }
}

/// `label` followed by its two sums (议定价格, 收费金额) on `page`, in fen.
fn sums_after(page: &str, label: &str) -> Option<[i64; 2]> {
    let rest = &page[page.find(label)? + label.len()..];
    let mut sums = rest.split('¥').skip(1).take(2).map(|part| {
        let figures: String =
            part.chars().take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.').collect();
        figures.replace([',', '.'], "").parse::<i64>().ok()
    });
    Some([sums.next()??, sums.next()??])
}

#[test]
fn a_register_of_many_pages_carries_its_money_columns_page_to_page() {
    let rows: Vec<Request> = (1..=60)
        .map(|n| Request {
            received_at: at("2026-03-01 10:00"),
            collected: Some((yuan(50), "李师傅".into())),
            ..request(RegisterKind::Repair, n)
        })
        .collect();

    let pdf = ok(register_sheet(&repair_sheet(SheetPurpose::Register), &rows));

    let (_, pages) = read(&pdf);
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let mut carried = [0, 0];
    for (n, page) in pages.iter().enumerate() {
        if n > 0 {
            assert_eq!(sums_after(page, "承前页"), Some(carried), "page {}: {page}", n + 1);
        }
        let subtotal = sums_after(page, "本页小计").unwrap_or_else(|| panic!("page {}: {page}", n + 1));
        let on_page = page.matches("WX-2026-").count() as i64;
        assert_eq!(subtotal, [on_page * 8_000, on_page * 5_000], "page {}", n + 1);
        carried = [carried[0] + subtotal[0], carried[1] + subtotal[1]];
    }
    assert_eq!(carried, [60 * 8_000, 60 * 5_000]);
    assert_has(
        pages.last().map(String::as_str).unwrap_or_default(),
        &["本期收费合计：¥3,000.00", "审核人："],
    );
}

// A look at them

/// Every form, one page each, timed; written out when asked.
fn every_form() -> Vec<(&'static str, PrintedPdf)> {
    let job = request(RegisterKind::Housekeeping, 12);
    let repair = [Request { received_at: at("2026-03-01 10:00"), ..request(RegisterKind::Repair, 3) }];
    let handovers = [CashHandover {
        received: Some(("钱会计".into(), at("2026-03-02 17:30"))),
        ..handover("王五", (1..=6).map(|n| cash_line(n, "2026-03-02 09:40", yuan(80 * n))).collect())
    }];
    let rounds: Vec<Request> = (1..=8).map(|n| request(RegisterKind::Housekeeping, n)).collect();
    let slips =
        [slip("000101", "1栋2单元101"), MessageSlip { no: "000102".into(), ..MessageSlip::default() }];
    let timed = |name: &'static str, make: &dyn Fn() -> PrintedPdf| {
        let started = Instant::now();
        let pdf = make();
        eprintln!("{name}: {} bytes, {} ms", pdf.bytes.len(), started.elapsed().as_millis());
        (name, pdf)
    };
    vec![
        timed("message_slips", &|| ok(message_slips(&slip_sheet(), &slips))),
        timed("service_record", &|| {
            ok(service_records(OFFICE_NAME, now(), &[service_record("JZ-2026-000012")]))
        }),
        timed("service_record_blank", &|| {
            ok(service_records(OFFICE_NAME, now(), &[ServiceRecordForm::for_job(&job)]))
        }),
        timed("round_sheet", &|| ok(round_sheet(&round(RegisterKind::Housekeeping), &rounds))),
        timed("cash_handover", &|| ok(cash_handovers(OFFICE_NAME, now(), &handovers))),
        timed("repair_copy", &|| ok(register_sheet(&repair_sheet(SheetPurpose::RepairCopy), &repair))),
    ]
}

#[test]
fn write_every_form_for_a_look() {
    let forms = every_form();
    for (name, pdf) in &forms {
        assert_eq!(pdf.pages, 1, "{name}");
        assert!(pdf.bytes.len() < ONE_PAGE_MAX_BYTES, "{name}: {} bytes", pdf.bytes.len());
        read(pdf);
    }
    let Some(dir) = std::env::var_os("HOMEDESK_WRITE_PDFS") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let long: Vec<Request> = (1..=40).map(|n| request(RegisterKind::Housekeeping, n)).collect();
    let longer = [
        ("round_sheet_long", ok(round_sheet(&round(RegisterKind::Housekeeping), &long))),
        (
            "message_slips_three",
            ok(message_slips(&slip_sheet(), &[slip("1", "1栋"), slip("2", "2栋"), slip("3", "3栋")])),
        ),
        ("message_slips_long", ok(message_slips(&long_slip().0, &[long_slip().1]))),
    ];
    for (name, pdf) in forms.iter().chain(&longer) {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

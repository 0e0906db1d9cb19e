//! The desk's documents made from a real database through `HomeDesk` and
//! through `homedesk print …`: the slip of a job (R-FU-3), its service
//! record (R-EX-1), the round sheet (R-DSP-1), the cash handover (R-FEE-2)
//! and the repair copy (R-FU-5), each read back.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::NaiveTime;
use common::pdf::{all_text, font_embedded_and_subset, load};
use common::*;
use homedesk::app::{AppError, HomeDesk, StepInput};
use homedesk::domain::{Money, Opinion, RegisterKind, Request, ServiceRecord};
use homedesk::print::PrintedPdf;

fn ok<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

fn text_of(pdf: &PrintedPdf) -> String {
    let doc = load(pdf);
    assert!(font_embedded_and_subset(&doc), "the vendored font is embedded and subset");
    all_text(&doc)
}

/// The test office with a clock: jobs are taken at 09:00 and done by 10:00.
fn ticking() -> (TestDb, HomeDesk, Office, TestClock) {
    let (db, office) = office_db();
    let clock = TestClock::new(at("2026-03-02 09:00"));
    let desk = open_at(&db.path, clock.clock());
    (db, desk, office, clock)
}

/// A housekeeping job at ¥80 taken at 09:00 and sent to the housekeeper;
/// done by 10:00 and paid when `finish`.
fn job(desk: &mut HomeDesk, office: &Office, clock: &TestClock, finish: bool) -> Request {
    clock.set(at("2026-03-02 09:00"));
    let cs = office.cs_clerk.clone();
    let mut draft = housekeeping_draft(office);
    draft.price = "80".into();
    let row = ok(desk.register_request(&cs, &draft));
    ok(desk.take_step(
        &cs,
        row.id,
        &StepInput::Dispatch { staff: office.housekeeper, round: None, copier: None },
    ));
    if finish {
        clock.set(at("2026-03-02 10:00"));
        let record = ServiceRecord {
            arrived_at: at("2026-03-02 09:00"),
            finished_at: at("2026-03-02 09:45"),
            work_done: "厨房油污清洗".into(),
            resident_signed: true,
            opinion: Some(Opinion::FairlySatisfied),
            comment: "灶台角落再擦一下".into(),
        };
        ok(desk.take_step(&cs, row.id, &StepInput::Done { record }));
        let amount = Money::from_yuan(80).unwrap_or(Money::ZERO);
        ok(desk.take_step(
            &cs,
            row.id,
            &StepInput::Collect { amount, collector: office.housekeeper, reason: String::new() },
        ));
    }
    ok(desk.store().get_request(row.id).map_err(AppError::from))
}

#[test]
fn r_fu_3_the_slip_of_a_job_names_the_room_and_never_the_resident() {
    let (_db, mut desk, office, clock) = ticking();
    let row = job(&mut desk, &office, &clock, false);
    let slip = ok(desk.issue_slip_for_job(&office.cs_clerk, row.id));
    let pdf = ok(desk.print_slips(&[slip.no]));
    assert_eq!(pdf.pages, 1);
    assert!(pdf.bytes.len() < 120_000, "one page stays small: {} bytes", pdf.bytes.len());
    let text = text_of(&pdf);
    for expected in ["LY-2026-000001", "3栋2单元201", "孙保洁", "厨房保洁", OFFICE_NAME] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    for private in [row.resident_name.as_str(), row.phone.as_str()] {
        assert!(!text.contains(private), "R-FU-3: {private} must not be on the slip");
    }
}

#[test]
fn r_ex_1_the_service_record_of_a_done_job_carries_what_the_resident_signed() {
    let (_db, mut desk, office, clock) = ticking();
    let done = job(&mut desk, &office, &clock, true);
    let waiting = job(&mut desk, &office, &clock, false);
    let pdf = ok(desk.print_service_records(&[done.id, waiting.id]));
    assert_eq!(pdf.pages, 2, "one page per job");
    let text = text_of(&pdf);
    for expected in
        ["居家服务情况记录表", "JZ-2026-000001", "JZ-2026-000002", "厨房油污清洗", "捌拾元整", "客户签名"]
    {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[test]
fn r_dsp_1_the_round_sheet_lists_the_orders_waiting_for_the_round() {
    let (_db, mut desk, office) = office_desk();
    let mut draft = housekeeping_draft(&office);
    draft.appointment = "2026-03-02 15:00".into();
    ok(desk.register_request(&office.cs_clerk, &draft));
    let round = now().date().and_time(NaiveTime::from_hms_opt(13, 30, 0).unwrap_or_default());
    let pdf = ok(desk.print_round(RegisterKind::Housekeeping, round));
    let text = text_of(&pdf);
    for expected in ["抄单", "13:30", "JZ-2026-000001", "3栋2单元201"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

/// A housekeeping job registered at 09:00 and copied at the 13:30 round by
/// the housekeeper (the clock left at 13:35).
fn copied_at_half_past_one(desk: &mut HomeDesk, office: &Office, clock: &TestClock) -> Request {
    clock.set(at("2026-03-02 09:00"));
    let cs = office.cs_clerk.clone();
    let row = ok(desk.register_request(&cs, &housekeeping_draft(office)));
    clock.set(at("2026-03-02 13:35"));
    let round = NaiveTime::from_hms_opt(13, 30, 0);
    let copied = StepInput::Dispatch { staff: office.housekeeper, round, copier: Some(office.housekeeper) };
    ok(desk.take_step(&cs, row.id, &copied));
    row
}

#[test]
fn r_dsp_1_a_past_round_reprints_the_orders_copied_at_it() {
    let (_db, mut desk, office, clock) = ticking();
    copied_at_half_past_one(&mut desk, &office, &clock);
    // Came in after the round: waits for the next one, never on this sheet.
    ok(desk.register_request(&office.cs_clerk, &housekeeping_draft(&office)));
    // The next morning, after its 08:00 round: the 13:30 round is past, the
    // board's 待抄单 lane long empty of that job.
    clock.set(at("2026-03-03 09:00"));
    let pdf = ok(desk.print_round(RegisterKind::Housekeeping, at("2026-03-02 13:30")));
    let text = text_of(&pdf);
    for expected in ["13:30", "共1条", "JZ-2026-000001", "3栋2单元201", "厨房保洁", "孙保洁"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains("JZ-2026-000002"), "received after the round: {text}");
    assert!(!text.contains("本轮没有需要抄的单"), "{text}");
}

#[test]
fn r_dsp_1_the_round_under_way_lists_the_orders_copied_and_those_still_waiting() {
    let (_db, mut desk, office, clock) = ticking();
    clock.set(at("2026-03-02 09:00"));
    ok(desk.register_request(&office.cs_clerk, &housekeeping_draft(&office)));
    copied_at_half_past_one(&mut desk, &office, &clock);
    clock.set(at("2026-03-02 13:40"));
    let pdf = ok(desk.print_round(RegisterKind::Housekeeping, at("2026-03-02 13:30")));
    let text = text_of(&pdf);
    for expected in ["共2条", "JZ-2026-000001", "JZ-2026-000002", "孙保洁"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // The morning's round, long past, had nothing copied at it.
    let morning = text_of(&ok(desk.print_round(RegisterKind::Housekeeping, at("2026-03-02 08:00"))));
    assert!(morning.contains("本轮没有需要抄的单"), "{morning}");
}

#[test]
fn r_dsp_2_a_past_alarm_round_reprints_the_orders_the_engineers_copied() {
    let (_db, mut desk, office, clock) = ticking();
    clock.set(at("2026-03-02 08:30"));
    let clerk = office.clerk(RegisterKind::Alarm.owner()).clone();
    let row = ok(desk.register_request(&clerk, &alarm_draft(&office)));
    clock.set(at("2026-03-02 09:10"));
    let round = NaiveTime::from_hms_opt(9, 0, 0);
    let copied = StepInput::Dispatch { staff: office.engineer, round, copier: None };
    ok(desk.take_step(&clerk, row.id, &copied));
    clock.set(at("2026-03-02 16:00"));
    let text = text_of(&ok(desk.print_round(RegisterKind::Alarm, at("2026-03-02 09:00"))));
    for expected in ["09:00", "共1条", "BJ-2026-000001", "周工"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // The same time's housekeeping round is another sheet.
    let other = text_of(&ok(desk.print_round(RegisterKind::Alarm, at("2026-03-02 13:30"))));
    assert!(!other.contains("BJ-2026-000001"), "{other}");
}

#[test]
fn r_fee_2_the_cash_handover_lists_the_days_fees_with_the_total_in_capitals() {
    let (_db, mut desk, office, clock) = ticking();
    job(&mut desk, &office, &clock, true);
    job(&mut desk, &office, &clock, true);
    let pdf = ok(desk.print_cash_handover(now().date(), None));
    let text = text_of(&pdf);
    for expected in ["现金交接单", "孙保洁", "¥160.00", "壹佰陆拾元整"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[test]
fn r_fu_5_the_repair_copy_prints_the_days_repairs_for_the_cs_center() {
    let (_db, mut desk, office) = office_desk();
    ok(desk.register_request(&office.control_clerk, &repair_draft(&office)));
    let pdf = ok(desk.print_repair_copy(now().date()));
    let text = text_of(&pdf);
    for expected in ["维修登记表抄送单", "WX-2026-000001", "13912345678"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

fn homedesk(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run homedesk: {e}"))
}

#[test]
fn r_dsp_1_print_round_on_the_command_line_reprints_a_past_round() {
    let (db, mut desk, office, clock) = ticking();
    copied_at_half_past_one(&mut desk, &office, &clock);
    drop(desk);
    // The binary runs on the machine's clock: long after 2026-03-02.
    let file = db.dir.path().join("round.pdf").to_string_lossy().into_owned();
    let args = ["print", "round", "--kind", "housekeeping", "--at", "2026-03-02 13:30", "--out", &file];
    let output = homedesk(&db.path, &args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let bytes = std::fs::read(&file).unwrap_or_default();
    let text = all_text(&load(&PrintedPdf { bytes, pages: 0 }));
    for expected in ["共1条", "JZ-2026-000001", "孙保洁"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[test]
fn the_print_command_makes_every_desk_document() {
    let (db, mut desk, office, clock) = ticking();
    {
        let row = job(&mut desk, &office, &clock, true);
        ok(desk.issue_slip_for_job(&office.cs_clerk, row.id));
        ok(desk.register_request(&office.control_clerk, &repair_draft(&office)));
    }
    drop(desk);
    let day = now().date().to_string();
    // The drafts book their appointment a day after `now`.
    let booked = (now().date() + chrono::Duration::days(1)).to_string();
    let out = |name: &str| db.dir.path().join(name).to_string_lossy().into_owned();
    let runs: Vec<(Vec<String>, &str)> = vec![
        (vec!["slip".into(), "--no".into(), "LY-2026-000001".into()], "留言条"),
        (vec!["slip".into(), "--day".into(), day.clone()], "LY-2026-000001"),
        (vec!["record".into(), "--no".into(), "JZ-2026-000001".into()], "居家服务情况记录表"),
        (vec!["record".into(), "--day".into(), booked, "--desk".into(), "control".into()], "WX-2026-000001"),
        (
            vec!["round".into(), "--kind".into(), "alarm".into(), "--at".into(), format!("{day} 13:30")],
            "抄单",
        ),
        (vec!["handover".into(), "--day".into(), day.clone()], "现金交接单"),
        (vec!["repair-copy".into(), "--day".into(), day.clone()], "维修登记表抄送单"),
    ];
    for (index, (args, expected)) in runs.into_iter().enumerate() {
        let file = out(&format!("doc{index}.pdf"));
        let mut full = vec!["print".to_string()];
        full.extend(args.clone());
        full.extend(["--out".to_string(), file.clone()]);
        let refs: Vec<&str> = full.iter().map(String::as_str).collect();
        let output = homedesk(&db.path, &refs);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        let bytes = std::fs::read(&file).unwrap_or_default();
        let text = all_text(&load(&PrintedPdf { bytes, pages: 0 }));
        assert!(text.contains(expected), "{args:?}: {expected} in {text}");
    }
    let bad = homedesk(&db.path, &["print", "slip", "--no", "12", "--out", &out("bad.pdf")]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("不是留言条编号"), "{err}");
}

/// Several numbers after one `--no` (as the README writes it) or `--no`
/// repeated: both print every slip and every record asked for.
#[test]
fn the_print_command_takes_several_numbers_after_one_no_or_no_repeated() {
    let (db, mut desk, office) = office_desk();
    ok(desk.issue_blank_slips(&office.cs_clerk, 2));
    ok(desk.register_request(&office.cs_clerk, &housekeeping_draft(&office)));
    ok(desk.register_request(&office.control_clerk, &repair_draft(&office)));
    drop(desk);
    let out = db.dir.path().join("several.pdf");
    let file = out.to_string_lossy().into_owned();
    let runs: [(&[&str], [&str; 2]); 4] = [
        (&["slip", "--no", "LY-2026-000001", "LY-2026-000002"], ["LY-2026-000001", "LY-2026-000002"]),
        (&["slip", "--no", "LY-2026-000001", "--no", "LY-2026-000002"], ["LY-2026-000001", "LY-2026-000002"]),
        (&["record", "--no", "JZ-2026-000001", "WX-2026-000001"], ["JZ-2026-000001", "WX-2026-000001"]),
        (
            &["record", "--no", "JZ-2026-000001", "--no", "WX-2026-000001"],
            ["JZ-2026-000001", "WX-2026-000001"],
        ),
    ];
    for (args, expected) in runs {
        let _ = std::fs::remove_file(&out);
        let mut full = vec!["print"];
        full.extend(args);
        full.extend(["--out", &file]);
        let output = homedesk(&db.path, &full);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        let text = all_text(&load(&PrintedPdf { bytes: std::fs::read(&out).unwrap_or_default(), pages: 0 }));
        for no in expected {
            assert!(text.contains(no), "{args:?}: {no} in {text}");
        }
    }
}

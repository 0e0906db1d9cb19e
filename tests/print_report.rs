//! The 居家服务情况统计分析报告 read back (FORMS.md; R-RV-4): an approved
//! report with its cover, sections, the clerk's text and the manager on the
//! approval line; a report sent back, with the comment and its status on
//! every page; a preview of a month without a report, marked 草稿 and not
//! saved; and `print report` on the command line. On a real SQLite file and,
//! with `HOMEDESK_TEST_PG` set, on the server too (the demo month and the
//! command line on SQLite only).
//!
//! With `HOMEDESK_WRITE_PDFS=/some/dir` set, the approved report and the
//! preview are also written there, to be rendered and looked at.

mod common;

use std::path::Path;
use std::process::Command;

use common::backends::{self, Backend};
use common::pdf::*;
use common::*;
use homedesk::app::{AppError, HomeDesk};
use homedesk::domain::Entity;
use homedesk::print::PrintedPdf;
use homedesk::store::Location;

const MONTH: &str = "2026-10";
const ANALYSIS: &str = "本月受理量平稳，保洁需求集中在月中。\n\n维修承诺全部达成，无投诉。";
const SUGGESTIONS: &str = "建议月中增派一名保洁人员。";

fn done<T>(result: Result<T, AppError>) -> T {
    result.unwrap_or_else(|e| panic!("{e:?}"))
}

/// The set-up office on each backend with two housekeeping jobs done in
/// October 2026, its clock on 3 November (October is over: its report may
/// be written).
fn octobers() -> Vec<(Backend, HomeDesk, Office)> {
    let clock = TestClock::new(now());
    let mut offices = backends::offices(|| clock.clock());
    for (_, desk, office) in &mut offices {
        clock.set(at("2026-10-05 09:00"));
        finished_job(desk, office, &clock, "2026-10-12", "3-2-201");
        finished_job(desk, office, &clock, "2026-10-20", "5-1-101");
    }
    clock.set(at("2026-11-03 10:00"));
    offices
}

/// October's report generated and submitted by the CS clerk.
fn submitted(desk: &mut HomeDesk, office: &Office) {
    done(desk.generate_report(&office.cs_clerk, MONTH));
    done(desk.submit_report(&office.cs_clerk, MONTH, ANALYSIS, SUGGESTIONS));
}

fn write_for_a_look(name: &str, pdf: &PrintedPdf) {
    let Some(dir) = std::env::var_os("HOMEDESK_WRITE_PDFS") else { return };
    let path = Path::new(&dir).join(name);
    std::fs::write(&path, &pdf.bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Every page says 第 N 页 共 M 页 with M the document's page count.
fn assert_numbered(pages: &[String]) {
    for (n, page) in pages.iter().enumerate() {
        let footer = format!("第{}页共{}页", n + 1, pages.len());
        assert!(page.contains(&footer), "page {}: {footer} missing from {page}", n + 1);
    }
}

#[test]
fn r_rv_4_the_approved_report_prints_its_figures_text_and_approval() {
    for (backend, mut desk, office) in octobers() {
        let _named = backends::Named(backend.name());
        submitted(&mut desk, &office);
        done(desk.approve_report(&office.manager, MONTH, ""));

        let pdf = ok(desk.print_monthly_report(MONTH));
        write_for_a_look("report-approved.pdf", &pdf);

        let (_doc, pages) = read(&pdf);
        assert!(pdf.pages >= 4, "{} pages", pdf.pages);
        assert_numbered(&pages);
        assert_has(
            &pages[0],
            &[OFFICE_NAME, "居家服务情况统计分析报告", "2026年10月", "客服中心", "陈客服", "已批准"],
        );
        let text = pages.concat();
        assert_has(
            &text,
            &[
                "一、主要指标",
                "二、趋势图表",
                "三、分项统计",
                "四、情况分析",
                "五、改进建议",
                "六、审批",
                "受理总数（单）",
                "每月受理（单，按登记簿）",
                "2025年11月至2026年10月",
                "孙保洁",
                "本月受理量平稳，保洁需求集中在月中。",
                "维修承诺全部达成，无投诉。",
                SUGGESTIONS,
                "审批人（签字）：王经理",
                "2026年11月3日",
            ],
        );
        assert!(!text.contains("草稿"), "an approved report carries no stamp");
        let approval = pages.last().map(String::as_str).unwrap_or_default();
        assert_has(approval, &["六、审批", "审批状态：已批准", "王经理"]);
    }
}

#[test]
fn r_rv_4_a_report_sent_back_prints_the_comment_and_its_status_on_every_page() {
    for (backend, mut desk, office) in octobers() {
        let _named = backends::Named(backend.name());
        submitted(&mut desk, &office);
        done(desk.send_back_report(&office.manager, MONTH, "请补充投诉情况的分析"));

        let pdf = ok(desk.print_monthly_report(MONTH));

        let (_doc, pages) = read(&pdf);
        assert_numbered(&pages);
        for (n, page) in pages.iter().enumerate() {
            assert!(page.contains("退回修改"), "page {} has no stamp: {page}", n + 1);
        }
        assert_has(&pages.concat(), &["退回意见：请补充投诉情况的分析", "审批人（签字）：王经理"]);
    }
}

#[test]
fn r_rv_4_a_month_without_a_report_prints_a_preview_marked_draft() {
    for (backend, desk, _office) in octobers() {
        let _named = backends::Named(backend.name());

        let pdf = ok(desk.print_monthly_report(MONTH));
        write_for_a_look("report-preview.pdf", &pdf);

        let (_doc, pages) = read(&pdf);
        assert!(pdf.pages >= 4, "{} pages", pdf.pages);
        assert_numbered(&pages);
        for (n, page) in pages.iter().enumerate() {
            assert!(page.contains("草稿"), "page {} has no stamp: {page}", n + 1);
        }
        assert_has(&pages[0], &["2026年10月", "预览"]);
        assert_has(&pages.concat(), &["四、情况分析", "审批人（签字）："]);
        assert_eq!(done(desk.monthly_report(MONTH)), None, "a preview is not saved");
        assert!(desk.print_monthly_report("2026-13").is_err());
    }
}

/// The demo office's last 75 days up to 2 November 2026, in a file: October
/// whole, with its revisit plan.
fn demo_of_two_months() -> TestDb {
    let db = temp_db();
    let filled = homedesk::app::demo::fill_demo_days(
        &db.path,
        75,
        homedesk::app::demo::DemoSize::SMALL,
        at("2026-11-02 18:00"),
    );
    filled.unwrap_or_else(|e| panic!("demo: {e}"));
    db
}

/// Two months of the demo office: every section with rows, three registers
/// in the charts, tables running over pages. One demo build: it is slow.
#[test]
fn r_rv_4_a_month_of_the_demo_office_prints_every_section() {
    let db = demo_of_two_months();
    let desk = open_at(&db.path, fixed_clock(at("2026-11-03 09:00")));

    let pdf = ok(desk.print_monthly_report(MONTH));
    write_for_a_look("report-demo.pdf", &pdf);

    let (_doc, pages) = read(&pdf);
    assert!(pdf.pages >= 5, "{} pages", pdf.pages);
    assert_numbered(&pages);
    let text = pages.concat();
    assert_has(&text, &["家政", "维修", "报警", "2小时内", "3天以上", "员工工作量", "六、审批"]);
    let figures = done(desk.month_figures(MONTH));
    assert!(figures.requests.total > 50, "{} requests", figures.requests.total);
    assert!(text.contains(&format!("受理总数（单）{}", figures.requests.total)), "the total in the summary");
}

/// The same office on a file and on the server it was copied to gives the
/// same month's report: its figures and charts (`report_content`, what a
/// report freezes and `report --json` prints of the figures), and the
/// preview's PDF read back page by page. The server reads them set-wise in
/// a few statements (issue 21 item 10), where it once asked for each plan
/// household's job alone: a bound on its round trips keeps it so.
#[test]
fn r_rv_4_the_months_report_is_the_same_on_the_file_and_on_the_server_it_was_copied_to() {
    let Some(url) = backends::server() else { return };
    let db = demo_of_two_months();
    let server = backends::ServerDb::new(&url);
    let (file, on_server) = (Location::File(db.path.clone()), Location::Server(server.url()));
    let copied = homedesk::app::copy_office(&file, &on_server, &mut |_| {});
    assert!(done(copied).is_sound(), "the copy is whole");
    let clock = || fixed_clock(at("2026-11-03 09:00"));
    let lite = open_at(&db.path, clock());
    let pg = done(HomeDesk::open_at_with_clock(&on_server, clock()));

    let json = |desk: &HomeDesk| serde_json::to_string_pretty(&done(desk.report_content(MONTH))).unwrap();
    let before = pg.store().server_round_trips();
    let on_the_server = json(&pg);
    let trips = pg.store().server_round_trips() - before;
    assert_eq!(json(&lite), on_the_server, "the month's figures and charts");
    assert!(on_the_server.contains("\"revisits\""), "the figures hold the revisits");
    assert!(trips <= 80, "{trips} round trips for a month's figures and its twelve months");
    let text = |desk: &HomeDesk| read(&done(desk.print_monthly_report(MONTH))).1;
    assert_eq!(text(&lite), text(&pg), "the report's PDF, page by page");
}

#[test]
fn r_rv_4_print_report_on_the_command_line_writes_the_pdf() {
    let (db, _office) = office_db();
    let out = db.dir.path().join("report.pdf");

    let output = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .args(["print", "report", "--month", MONTH, "--out"])
        .arg(&out)
        .output()
        .expect("run homedesk");

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("report.pdf"));
    let bytes = std::fs::read(&out).expect("the PDF was written");
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF");
    assert!(doc.get_pages().len() >= 4);
    assert_has(&all_text(&doc), &["居家服务情况统计分析报告", "草稿"]);

    let bad = Command::new(env!("CARGO_BIN_EXE_homedesk"))
        .arg("--db")
        .arg(&db.path)
        .args(["print", "report", "--month", "2026-13", "--out"])
        .arg(db.dir.path().join("bad.pdf"))
        .output()
        .expect("run homedesk");
    assert!(!bad.status.success());
    assert_eq!(String::from_utf8_lossy(&bad.stderr).lines().count(), 1);
}

#[test]
fn r_rv_4_an_approval_keeps_the_opinion_typed_with_it_and_prints_it() {
    for (backend, mut desk, office) in octobers() {
        let _named = backends::Named(backend.name());
        submitted(&mut desk, &office);
        let approved =
            done(desk.approve_report(&office.manager, MONTH, "  同意。下月请补充回访满意度分析。 "));
        assert_eq!(approved.comment, "同意。下月请补充回访满意度分析。", "kept in the same write, trimmed");
        let history =
            done(desk.store().history_of(Entity::MonthlyReport, approved.id).map_err(AppError::from));
        assert!(
            history
                .iter()
                .flat_map(|h| &h.changes)
                .any(|c| c.field == "comment" && c.new == approved.comment),
            "the opinion is in the approval's history: {history:?}"
        );

        let (_doc, pages) = read(&ok(desk.print_monthly_report(MONTH)));
        let approval = pages.last().map(String::as_str).unwrap_or_default();
        assert_has(approval, &["审批状态：已批准", "同意。下月请补充回访满意度分析。", "王经理"]);
    }
}

#[test]
fn r_rv_4_an_approval_without_an_opinion_stores_an_empty_one() {
    for (backend, mut desk, office) in octobers() {
        let _named = backends::Named(backend.name());
        submitted(&mut desk, &office);
        let approved = done(desk.approve_report(&office.manager, MONTH, "   "));
        assert_eq!(approved.comment, "");
    }
}

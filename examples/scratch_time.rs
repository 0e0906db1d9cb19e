fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let desk = homedesk::app::HomeDesk::open(&path).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let t = std::time::Instant::now();
    let f = desk.month_figures("2026-10").unwrap();
    eprintln!("figures {:?} {}", t.elapsed(), f.requests.total);
    let t = std::time::Instant::now();
    let tr = desk.trend(day).unwrap();
    eprintln!("trend {:?} {}", t.elapsed(), tr.len());
    let t = std::time::Instant::now();
    for m in ["2026-01", "2026-02", "2026-03"] {
        let _ = desk.revisit_plan(m).unwrap();
    }
    eprintln!("3 plans {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let from = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
    let rows = desk
        .store()
        .request_facts(from.and_hms_opt(0, 0, 0).unwrap(), day.and_hms_opt(0, 0, 0).unwrap())
        .unwrap();
    eprintln!("year facts {:?} {}", t.elapsed(), rows.len());
}

//! The text of `report --month`: the figures as the CS center reads them,
//! in the catalogue's words. Formats only; every figure comes from
//! `domain::stats`.

use crate::domain::stats::{FeeTally, Figures, OpinionTally};
use crate::i18n::figures::{key_name, minutes, missing_numbers, money, percent, tallies};
use crate::i18n::{Texts, fill, t};

fn fee_lines(list: &[FeeTally], t: &Texts) -> Vec<String> {
    list.iter()
        .map(|f| {
            fill(
                t.cli_report_fee_line,
                &[
                    ("key", &key_name(&f.key, t)),
                    ("agreed", &money(f.agreed_fen)),
                    ("collected", &money(f.collected_fen)),
                ],
            )
        })
        .collect()
}

fn satisfied(o: &OpinionTally, t: &Texts) -> String {
    percent(o.satisfied_per_mille, t)
}

/// The report's lines, header first.
pub fn lines(f: &Figures) -> Vec<String> {
    let t = t();
    let last_day = f.period.to.pred_opt().unwrap_or(f.period.to);
    let mut out = vec![fill(t.cli_report_header, &[("from", &f.period.from), ("to", &last_day)])];
    out.extend(request_lines(f, t));
    out.extend(money_lines(f, t));
    out.extend(quality_lines(f, t));
    out.extend(staff_lines(f, t));
    out
}

fn request_lines(f: &Figures, t: &Texts) -> Vec<String> {
    let (r, c, s, u) = (&f.requests, &f.completion, &f.sla, &f.follow_up);
    vec![
        fill(t.cli_report_requests, &[("total", &r.total), ("by_register", &tallies(&r.by_register, t))]),
        fill(t.cli_report_items, &[("items", &tallies(&r.by_item, t))]),
        fill(t.cli_report_desks, &[("desks", &tallies(&r.by_desk, t))]),
        fill(
            t.cli_report_refusals,
            &[("total", &f.refusals.total), ("reasons", &tallies(&f.refusals.by_reason, t))],
        ),
        fill(
            t.cli_report_completion,
            &[
                ("finished", &c.finished),
                ("median", &minutes(c.median_minutes, t)),
                ("mean", &minutes(c.mean_minutes, t)),
                ("longest", &minutes(c.longest_minutes, t)),
            ],
        ),
        fill(
            t.cli_report_sla,
            &[
                ("committed", &s.committed),
                ("met", &s.met),
                ("breached", &s.breached),
                ("open", &s.open),
                ("rate", &percent(s.met_per_mille, t)),
            ],
        ),
        fill(
            t.cli_report_follow_up,
            &[
                ("reschedules", &u.reschedules),
                ("cancellations", &u.cancellations),
                ("not_home", &u.not_home),
            ],
        ),
    ]
}

fn money_lines(f: &Figures, t: &Texts) -> Vec<String> {
    let (fees, cash, a, sh) = (&f.fees, &f.cash, &f.agreements, &f.shopping);
    let mut out = vec![fill(
        t.cli_report_fees,
        &[("agreed", &money(fees.agreed_fen)), ("collected", &money(fees.collected_fen))],
    )];
    out.extend(fee_lines(&fees.by_register, t));
    out.extend(fee_lines(&fees.by_item, t));
    let missing = missing_numbers(&sh.missing_numbers, t);
    out.push(fill(
        t.cli_report_cash,
        &[
            ("collections", &cash.collections),
            ("collected", &money(cash.collected_fen)),
            ("handovers", &cash.handovers),
            ("received", &money(cash.received_fen)),
            ("outstanding", &money(cash.outstanding_fen)),
        ],
    ));
    out.push(fill(
        t.cli_report_agreements,
        &[("new", &a.new), ("active", &a.active), ("ended", &a.ended), ("terminated", &a.terminated)],
    ));
    out.push(fill(
        t.cli_report_shopping,
        &[
            ("entries", &sh.entries),
            ("void", &sh.void),
            ("expected", &money(sh.expected_fen)),
            ("actual", &money(sh.actual_fen)),
            ("missing", &missing),
            ("concerns", &sh.concerns),
        ],
    ));
    out
}

fn quality_lines(f: &Figures, t: &Texts) -> Vec<String> {
    let v = &f.revisits;
    let mut out = vec![
        fill(
            t.cli_report_revisits,
            &[
                ("planned", &v.planned),
                ("served", &v.households_served),
                ("sample", &v.sample_size),
                ("revisited", &v.revisited),
                ("unreachable", &v.unreachable),
                ("todo", &v.to_do),
                ("coverage", &percent(v.coverage_per_mille, t)),
            ],
        ),
        fill(
            t.cli_report_satisfaction,
            &[
                ("timeliness", &satisfied(&v.timeliness, t)),
                ("skill", &satisfied(&v.skill, t)),
                ("attitude", &satisfied(&v.attitude, t)),
            ],
        ),
        fill(
            t.cli_report_complaints,
            &[
                ("total", &f.complaints.total),
                ("closed", &f.complaints.closed),
                ("by_staff", &tallies(&f.complaints.by_staff, t)),
            ],
        ),
        t.cli_report_needs.to_string(),
    ];
    if f.needs.is_empty() {
        out.push(format!("  {}", t.cli_report_none));
    }
    out.extend(f.needs.iter().map(|n| format!("  {} {}  {}", n.on, n.room, n.text)));
    out
}

fn staff_lines(f: &Figures, t: &Texts) -> Vec<String> {
    let mut out = vec![t.cli_report_staff.to_string()];
    out.extend(f.staff.iter().map(|s| {
        fill(
            t.cli_report_staff_line,
            &[
                ("name", &s.name),
                ("jobs", &s.jobs),
                ("finished", &s.finished),
                ("cancelled", &s.cancelled),
                ("not_home", &s.not_home),
                ("reschedules", &s.reschedules),
                ("breached", &s.sla_breached),
                ("collected", &money(s.collected_fen)),
                ("complaints", &s.complaints),
            ],
        )
    }));
    out
}

//! Every string a clerk sees, in one catalogue per language.
//!
//! [`Texts`] lists the keys; each language is one `const` of it (the compiler
//! refuses a catalogue with a key missing). Simplified Chinese is the default;
//! Traditional Chinese and English are added as further catalogues. Errors
//! from the library are turned into sentences here, never in the library.

mod en;
pub mod figures;
mod zh_hans;
mod zh_hant;

use std::cell::Cell;

use crate::app::{AppError, MIN_PASSWORD_CHARS};
use crate::domain::{
    AccessError, Action, AgreementError, AgreementField, AgreementPaper, AgreementState, AgreementStatus,
    AlarmWork, AmountWords, Category, Clash, Commitment, Concern, Desk, Entity, Field, Group, HandoverError,
    IntakeError, Lane, Language, MAX_BLANK_SLIPS, Money, MoneyError, OfficeError, Opinion, Permission,
    PriceBasis, PriceItemError, PrintLanguage, Rank, ReasonKind, RegisterKind, ReportError, ReportStatus,
    RequestStatus, ResidentError, ReviewError, RevisitError, RevisitMethod, RevisitReason, Schedule,
    Severity, ShoppingError, ShoppingField, ShoppingState, SlipError, StaffError, StepError, StepKind,
    TextError, TodoKind, Urgency, WhenError, shopping_no_text,
};
use crate::export::ExportError;
use crate::import::{ImportFault, ImportKind, ImportProblem};
use crate::print::PrintError;
use crate::store::{BackupFault, Link, Problem, StoreError, TriggerFault};

pub use en::EN;
pub use zh_hans::ZH_HANS;
pub use zh_hant::ZH_HANT;

/// Where a message is read: the window, whose form keeps what was typed,
/// or the command line, where a refused command has written nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Window,
    CommandLine,
}

macro_rules! catalogue {
    ($($key:ident),* $(,)?) => {
        /// One language's strings. Templates use `{name}` placeholders, filled by [`fill`].
        pub struct Texts { $(pub $key: &'static str,)* }
    };
}

catalogue! {
    app_title,
    // what joins the items of a list: 、 in Chinese, a comma in English
    list_sep,
    // sign-in and first start
    sign_in_button, login, password, password_again, desk_of_this_pc,
    setup_title, setup_intro, setup_office_name, setup_manager_name, setup_button, setup_phone_hint,
    err_office_phone_required, err_slip_no_phone,
    passwords_differ, sign_out, signed_in_as,
    // tabs
    tab_register, tab_settings, about, about_title, about_version, about_database, close,
    // registers
    register_housekeeping, register_repair, register_alarm, refusals,
    search, search_hint, filter_status, filter_all, filter_from, filter_to, filter_staff, clear_filters,
    new_request, new_refusal, rows_count, rows_count_at_most, no_rows, bad_date_filter, date_filter_any, date_filter_tip,
    col_no, col_received_at, col_received_by, col_room, col_resident, col_phone, col_service,
    col_details, col_appointment, col_staff, col_price, col_status, col_urgency, col_alarm_work,
    col_collected, col_signed_off, col_settled, col_notes, col_reason, col_desk, col_follow_up,
    // the intake form
    form_title_new, field_room, field_resident, field_phone, field_service, field_details,
    field_appointment, field_slack_reason, field_price, field_price_agreed, field_review_by,
    field_review_conclusion, field_urgency, field_alarm_work, field_staff, field_notes,
    field_relay_told, field_unlisted_service, service_unlisted, service_choose, staff_none,
    listed_price, agr_listed_band, household_new, household_known, recent_requests, relay_banner,
    desk_cannot_take, save, cancel, saved_as, refusal_title, field_asked_for, field_reason,
    refusal_saved, form_keys_hint, form_saving, form_saved_after_all, form_save_dropped, slips_issued_not_printed, discard_question, discard, keep_editing, appointment_hint, review_needed_hint,
    // detail and history
    detail_title, correct, correct_title, corrected, history_title, history_created, history_updated, history_password,
    history_reason, relay_note_of, relayed_to, yes, no,
    // settings
    settings_office, settings_staff, settings_prices, settings_residents,
    office_name, office_phone, office_address, new_window_days, settings_saved,
    staff_name, staff_group, staff_rank, staff_active, staff_first_job, staff_phone, staff_login,
    staff_new, staff_set_password, staff_inactive, change_reason,
    price_category, price_item, price_unit, price_listed, price_added_on, price_active, price_new,
    household_room, household_notes, resident_new, household_search, residents_of,
    edit, add, choose_one,
    // values
    desk_cs, desk_control,
    group_housekeeping, group_repair, group_engineering, group_finance, group_cs, group_control,
    rank_staff, rank_supervisor, rank_manager,
    kind_housekeeping, kind_repair, kind_alarm,
    urgency_emergency, urgency_small, urgency_big,
    alarm_open, alarm_relocate, alarm_repair,
    status_registered, status_dispatched, status_not_home, status_done, status_signed_off, status_settled,
    status_cancelled, status_relayed,
    category_cleaning, category_greening, category_repair, category_alarm,
    // errors
    err_required, err_room, err_phone, err_appointment_format, err_appointment_past,
    err_appointment_soon, err_price_band, err_review_required, err_item_other_register, err_item_inactive,
    err_price_not_agreed, err_wrong_provider, err_inactive_staff, err_row_closed, err_step_not_now, err_step_not_round,
    err_step_repair_copied, err_step_reason, err_step_apology, err_step_new_time, err_step_staff_told,
    err_step_slip, err_step_record_signed, err_step_record_times, err_step_collector, err_step_desk,
    err_step_copier, err_step_finance, err_wrong_desk,
    err_cs_repair, err_money_empty, err_money_negative, err_money_decimals, err_money_garbage,
    err_money_large, err_bad_credentials, err_inactive_user, err_password_short,
    err_already_set_up, err_resident_name, err_login_required, err_busy, err_newer_schema,
    cli_stdin_unreadable, err_sign_in_locked, cli_err_busy, err_kept_window, err_kept_cli, err_read_only,
    err_disk_full, err_folder, cli_bad_import_kind,
    cli_arg_value, cli_arg_valid, cli_arg_missing, cli_arg_unknown, cli_arg_command, cli_arg_no_command, cli_arg_other, cli_see_help, cli_see_help_plain, ent_sign_in, history_sign_in_failed, history_sign_in_while_locked, history_host,
    err_text_too_long, err_text_unprintable, err_when_before_office, err_when_future, err_when_before_call, err_when_too_far,
    err_not_a_database, err_foreign_database, err_duplicate_login, err_duplicate_item, err_not_found, err_cancelled, err_database,
    err_open, err_hashing, err_file, err_form_has_errors, err_office_name, err_window_range,
    err_staff_name, err_staff_group, err_staff_rank, err_login_spaces, err_price_unit,
    err_price_name, err_price_category, err_date,
    // command line
    cli_no_data_folder, cli_init_done, cli_demo_done, cli_demo_counts, cli_demo_accounts,
    err_server_open, err_server_empty, err_older_server_schema,
    err_target_not_empty, cli_copy_table, cli_copy_progress, cli_copy_count_equal, cli_copy_count_differs, cli_copy_check_ok,
    cli_copy_check_failed, cli_copy_done, cli_copy_failed, cli_copy_start, cli_restore_server_done,
    bk_server_daily, bk_server_restore, bk_copy_progress,
    // where the office is: the start's choice, connecting, failing (issue 21)
    loc_choose_title, loc_choose_intro, loc_file, loc_file_at, loc_file_none, loc_server, loc_host, loc_port, loc_database, loc_user, loc_remember, loc_remember_off, loc_test, loc_testing, loc_test_ok, loc_test_ok_unnamed, loc_test_empty, loc_open, loc_host_required, loc_bad_port, loc_password_needed, loc_connecting, loc_failed_title, loc_retry, loc_change, loc_why_password, loc_why_refused, loc_why_no_database, loc_why_unreachable, loc_why_empty, loc_place_section, loc_place_now, loc_change_note,
    loc_encryption, loc_tls_disable, loc_tls_prefer, loc_tls_require, loc_tls_verify_ca, loc_tls_verify_full, loc_root_cert, loc_pick_cert, loc_cert_dialog, loc_cert_required, loc_cert_missing, loc_pick_unavailable, loc_why_certificate, loc_place_encryption, cli_problem_term_count, cli_problem_history_term_count, cli_problem_shopping_term_count, cli_grant_done, cli_grant_file,
    // the server goes away (issue 21)
    err_server_lost, err_server_away, err_server_silent, err_commit_unconfirmed, err_server_certificate, conn_online, conn_lost, conn_back, conn_back_saved, conn_back_not_saved, conn_back_unknown,
    cli_db_missing, cli_check_header, cli_check_ok, cli_problem, cli_problem_count,
    cli_problem_integrity, cli_problem_foreign_key, cli_problem_gap, cli_problem_history,
    // tamper evidence (issue 20)
    cli_problem_chain, cli_problem_record_changed, cli_problem_record_deleted, cli_problem_trigger_missing,
    cli_problem_trigger_altered, cli_problem_trigger_unknown,
    // printing
    print_printed_at, print_page_of, print_day, print_period, print_desk, print_no_rows,
    print_collected_total, print_page_subtotal, print_carried_forward,
    // printed forms (issue 4)
    form_label, form_no, form_date, form_datetime, form_cut_here, form_slip_title,
    form_slip_greeting, form_slip_sentence, form_slip_stub_title, form_slip_stub_note,
    form_visit_at, form_returned_at, form_receiver, form_record_title, form_record_no,
    form_requirements, form_arrived_at, form_finished_at, form_work_done, form_materials,
    form_material_name, form_quantity, form_unit_price, form_amount, form_fee, form_fee_line,
    form_opinion, form_opinion_satisfied, form_opinion_fair, form_opinion_dissatisfied,
    form_comment, form_resident_signature, form_staff_signature, form_date_label, form_round_title,
    form_round_at, form_round_group, form_serial, form_copier_signature, form_time, form_round_cs,
    form_round_empty, form_cash_title, form_cash_payer, form_cash_count, form_collected_at,
    form_cash_total, form_cash_paid_by, form_cash_received_by, form_cash_received_at,
    form_cash_empty, form_repair_copy_title, form_copy_handed_over_by, form_copy_received_by,
    // agreements (issue 5)
    tab_agreements, agr_search_hint, agr_new, agr_none, agr_ending_soon, agr_form_new, agr_form_edit,
    agr_form_amend, agr_form_terminate, agr_terminate_hint, agr_form_renew, agr_renew_hint,
    agr_renew_until, agr_weekly, agr_monthly, agr_dates, agr_until, agr_saved, agr_terminated,
    agr_renewed, agr_edit, agr_confirm, agr_confirmed_note, agr_sign, agr_signed_note, agr_amend,
    agr_terminate, agr_renew, agr_print, agr_print_amendment, agr_print_renewal, agr_print_notice,
    agr_print_consolidated, file_consolidated, err_agr_no_such, err_agr_no_amendment, err_agr_no_renewal,
    err_agr_no_notice, err_agr_no_consolidated, ag_title_consolidated, ag_consolidated_note,
    ag_consolidated_amendment, ag_consolidated_signed,
    agr_amendments, agr_amendment_line, agr_calendar, agr_no_visits, agr_past_visits, agr_visits_added,
    agreement_badge, file_agreement, file_amendment, file_renewal, file_notice,
    ag_title, ag_amendment_title, ag_renewal_title, ag_notice_title, ag_draft, ag_draft_mark, ag_no,
    ag_renewal_of, ag_amendment_ref, ag_renewal_ref, ag_item_no, ag_none, ag_party_resident,
    ag_party_office, ag_resident_room, ag_resident_phone, ag_office_address, ag_office_manager,
    ag_office_phone, ag_preamble, ag_amount, ag_c1, ag_c1_service, ag_c1_place, ag_c1_area, ag_c1_persons,
    ag_c1_requirements, ag_c1_standard, ag_c2, ag_c2_schedule, ag_c2_visits, ag_c2_term, ag_c2_holidays,
    ag_c3, ag_c3_staff, ag_c3_staff_later, ag_c3_fit, ag_c3_replace, ag_c4, ag_c4_per_visit,
    ag_c4_per_month, ag_c4_estimate, ag_c4_payment, ag_c4_scope, ag_c4_receipt, ag_c5, ag_c5_1, ag_c5_2,
    ag_c5_3, ag_c5_4, ag_c5_5, ag_c6, ag_c6_1, ag_c6_2, ag_c6_3, ag_c6_4, ag_c6_5, ag_c7, ag_c7_1,
    ag_c7_2, ag_c7_3, ag_c7_4, ag_c7_5, ag_c8, ag_c8_1, ag_c8_2, ag_c8_3, ag_c8_4, ag_c8_5, ag_c9,
    ag_c9_text, ag_c10, ag_c10_1, ag_c10_2, ag_c10_3, ag_no_more_text, ag_sign_resident, ag_sign_office,
    ag_sign_manager, ag_col_clause, ag_col_before, ag_col_after, ag_amendment_intro, ag_amendment_empty,
    ag_amendment_reason, ag_amendment_effective, ag_amendment_copies, ag_renewal_intro, ag_renewal_term,
    ag_renewal_other, ag_renewal_unchanged, ag_renewal_copies, ag_notice_to, ag_notice_body,
    ag_notice_reason, ag_notice_stop, ag_notice_refund, ag_notice_no_refund, ag_notice_written,
    ag_notice_contact, ag_notice_received, ag_notice_received_on,
    // shopping forms (issue 6)
    sh_title, sh_part_first, sh_part_finance, sh_min_price_note, sh_item, sh_brand, sh_kind, sh_spec,
    sh_deadline, sh_taken_by, sh_taken_at, sh_buyer, sh_invoice_no, sh_actual, sh_bought_on, sh_signature,
    sh_delivered_on, sh_not_bought, sh_told_at, sh_money_line, sh_void_mark, sh_void_line, sh_finance_checked,
    sh_log_title,
    sh_col_item, sh_col_total, sh_col_actual, sh_col_deadline, sh_col_buyer, sh_log_empty, sh_log_totals,
    sh_col_unit_price, sh_log_not_bought_total, sh_log_continuity, sh_log_missing_list,
    relay_repair_of,
    // revisit forms (issue 7)
    rv_title_monthly, rv_title_quarterly, rv_list_monthly, rv_list_quarterly, rv_record_monthly,
    rv_record_quarterly, rv_households, rv_col_no, rv_col_revisited_on, rv_col_room, rv_col_resident,
    rv_col_phone, rv_col_service, rv_col_service_date, rv_col_staff, rv_col_reasons, rv_col_method,
    rv_col_timeliness, rv_col_skill, rv_col_attitude, rv_col_comments, rv_col_revisited_by,
    rv_method_phone, rv_method_visit, rv_satisfied, rv_fairly_satisfied, rv_dissatisfied,
    rv_unreachable, rv_empty, rv_coverage_monthly, rv_coverage_quarterly, rv_no_coverage,
    rv_prepared_by, rv_checked_by_cs, rv_checked_by_quality,
    print_prepared_by, print_checked_by, print_slack_reason, print_review,
    err_print_font, err_print_period, err_print_columns,
    cli_print_done, cli_bad_kind, cli_bad_date, print_register_button, printing,
    // dispatch board and follow-up (issue 4)
    tab_dispatch, view_board, view_day_review, view_repair_handover, view_cash, view_slips,
    view_finance, view_hazards, view_reasons, board_day, day_before, day_after, today, board_empty,
    board_row_gone, board_counts, board_due_soon, board_breached, round_label, round_past,
    round_waiting, lane_heading, lane_to_copy, lane_notify_now, lane_out, lane_to_sign_off, lane_closed,
    col_deadline, col_arrived, overdue, commitment_solve, commitment_answer, commitment_reach, sla_met,
    sla_met_late, sla_left, sla_due_soon, sla_breached, span_days, span_hours, span_minutes, job_path,
    job_path_empty, job_slips, stub_back, stub_out, slip_issued, step_kind_dispatch,
    step_kind_transfer, step_kind_return, step_kind_reschedule, step_kind_cancel, step_kind_not_home,
    step_kind_done, step_kind_collect, step_kind_sign_off, step_kind_settle, step_kind_arrive,
    step_kind_follow_up, step_kind_spot_check, step_kind_hazard, step_form_title, step_saved,
    step_staff, step_transfer_to, step_choose_staff, step_channel, step_direct, step_round,
    step_reason_list, step_reason_pick, step_reason, step_told_at, step_asked_by, step_asked_by_staff,
    step_asked_by_resident, step_apologised, step_new_time, step_slip_no, step_slip_hint,
    step_arrived_at, step_finished_at, step_work_done, step_opinion, step_resident_signed, step_comment,
    step_amount, step_collector, step_collect_hint, step_signer, step_sign_off_hint, step_settle_hint,
    step_note, step_hazard, step_told_resident, step_copier, opinion_satisfied, opinion_fairly_satisfied,
    opinion_dissatisfied, err_date_time, review_summary, review_nothing, review_answered, review_save, save_as, saved_copy_to, cli_bad_desk, cli_bad_time, cli_bad_slip_no,
    cli_bad_running_no, file_slips, file_records, file_round, file_cash, file_repair_copy, print_menu,
    print_slip_button, print_record_button, print_day_records, print_day_slips, print_round_sheet,
    print_day_register, print_cash_button, print_repair_copy_button,
    review_unanswered, review_reason, review_expected, review_handling, review_saved, handover_done,
    handover_late, handover_receiver, handover_button, handover_saved, handover_not_yet, handover_hint,
    cash_nothing, cash_jobs, cash_collected, cash_received, cash_outstanding, cash_receive,
    cash_received_note, cash_finance_only, stub_no, stub_return_button, stub_returned_note,
    blank_slip_count, blank_slip_button, blank_slips_issued, stubs_out_title, slip_visit_at,
    slip_issued_at, finance_not_reported, finance_not_reported_hint, finance_to_settle, settled_note,
    hazards_title, hazard_at, hazard_by, reason_kind_reschedule, reason_kind_cancel, reason_retire,
    reason_restore, reason_new, reason_add, reason_supervisor_only, reasons_saved,
    // agreements (issue 5)
    agreement_state_confirmed, agreement_state_terminating,
    agreement_status_draft, agreement_status_signed, agreement_status_active, agreement_status_ended,
    agreement_status_terminated, basis_per_visit, basis_per_month, weekday_1, weekday_2, weekday_3,
    weekday_4, weekday_5, weekday_6, weekday_7, schedule_weekly, schedule_monthly, agr_field_room,
    agr_field_resident, agr_field_phone, agr_field_service, agr_field_details, agr_field_persons,
    agr_field_requirements, agr_field_staff, agr_field_schedule, agr_field_times, agr_field_term_start,
    agr_field_term_end, agr_field_price, agr_field_basis, agr_field_review, agr_field_payment,
    agr_field_reason, agr_field_effective, agr_field_notice, agr_field_stop, err_agr_required,
    err_agr_room, err_agr_phone, err_agr_date, err_agr_time, err_agr_times_order, err_agr_no_days,
    err_agr_dates, err_agr_end_before_start, err_agr_hourly, err_agr_staff, err_agr_inactive_staff,
    err_agr_price_band, err_agr_review, agr_field_area, err_agr_area_required, err_agr_area_bad,
    agr_area_band, agr_area_pending, area_value, err_agr_not_housekeeping, err_agr_inactive_item,
    err_agr_not_draft, err_agr_not_cs, err_agr_not_manager, err_agr_not_confirmed, err_agr_not_running,
    err_agr_reason, err_agr_outside_term, err_agr_notice, err_agr_not_amendable,
    err_agr_nothing_changed, err_agr_not_renewable, agr_term, agr_confirmed, agr_signed, agr_termination, err_agr_term_long, err_agr_effective_late,
    err_agr_renewed, cli_bad_agreement_no,
    // shopping log (issue 6)
    shop_filter_buyer, err_shop_deadline_far, shop_no_prefix, cli_problem_shopping_gap,
    tab_shopping, shop_view_log, shop_view_followups, shop_search_hint, shop_new, shop_print_log,
    shop_totals, shop_none, shop_col_taken, shop_col_expected, shop_col_concern, shop_col_entry,
    shop_step_buy, shop_step_deliver, shop_step_settle, shop_step_not_bought, shop_step_void,
    shop_print_form, shop_show_investigated, shop_no_followups, shop_investigate,
    shop_investigate_title, shop_threshold_hint, shop_settle_hint, shop_recorded, shop_step_done,
    shop_investigated, file_shopping, file_shopping_log,
    cli_bad_shopping_no, cli_shopping_empty, cli_shopping_continuous, cli_shopping_gaps, cli_shopping_followup, cli_shopping_finding,
    shop_state_recorded, shop_state_bought, shop_state_delivered, shop_state_settled,
    shop_state_not_bought, shop_state_void, shop_field_room, shop_field_resident, shop_field_item,
    shop_field_brand, shop_field_kind, shop_field_quantity, shop_field_unit, shop_field_spec,
    shop_field_price, shop_field_deadline, shop_field_buyer, shop_field_invoice, shop_field_actual,
    shop_field_date, shop_field_signed, shop_field_reason, shop_field_told, shop_field_finding,
    err_shop_required, err_shop_room, err_shop_quantity, err_shop_date, err_shop_deadline,
    err_shop_not_now, err_shop_invoice, err_shop_date_order, err_shop_signed, err_shop_told,
    err_shop_reason, err_shop_large, concern_missing, concern_open, concern_not_delivered,
    concern_not_settled,
    // revisits (issue 7)
    rv_view_month, rv_view_complaints, rv_view_quarter, rv_month, rv_quarter, rv_no_plan, rv_draw,
    rv_draw_quarter, rv_drawn, rv_progress, rv_progress_quarter, rv_filter_reason, rv_print_list, rv_print_record,
    rv_redraw_reason, rv_redraw, rv_service_date, rv_reasons, rv_reason_job, rv_done, rv_state_unreachable, rv_todo,
    rv_recorded, rv_method, rv_reached, rv_timeliness, rv_skill, rv_attitude, rv_attempts, rv_comments,
    rv_needs, rv_complaint, rv_severity, rv_save, rv_keys_hint, rv_saved, rv_no_complaints, rv_complaint_at,
    rv_handling, rv_open, rv_close_complaint, rv_complaint_closed, file_revisit_list,
    file_revisit_record,
    cli_no_plan, cli_plan_saved, cli_plan_preview, cli_plan_header,
    tab_revisits, rv_reason_sample, rv_reason_new_agreement, rv_reason_new_item, rv_reason_new_staff,
    rv_reason_complained_staff, rv_reason_repair_handover, rv_method_in_person,
    severity_minor, severity_major, err_rv_in_person, err_rv_attempts, err_rv_complaint,
    err_rv_complaint_empty, err_rv_handling, err_rv_plan_exists, err_rv_reason, err_rv_in_use, err_rv_already,
    err_rv_month,
    // follow-up errors (issue 4)
    err_step_arrival, err_step_round_time, err_step_told_time, err_step_collected, err_step_arrived, err_step_not_repair, err_step_spot_check, err_step_hazard, err_step_note,
    err_slip_unknown, err_slip_other_job, err_slip_stub_returned, err_slip_stub_desk, err_slip_blank_count, err_slip_posted, err_slip_not_posted,
    err_review_reason, err_review_handling, err_review_expected, err_review_not_for_review,
    err_handover_desk, err_handover_receiver, err_handover_day, err_handover_done, err_cash_finance,
    err_cash_nothing, err_needs_supervisor, view_breaches, breaches_title, col_promise, col_met_at, col_over,
    // figures (issue 8)
    cli_report_header, cli_report_requests, cli_report_items, cli_report_desks, cli_report_refusals, cli_report_completion, cli_report_sla, cli_report_follow_up, cli_report_fees, cli_report_fee_line, cli_report_cash, cli_report_agreements, cli_report_shopping, cli_report_revisits, cli_report_satisfaction, cli_report_complaints, cli_report_needs, cli_report_staff, cli_report_staff_line, cli_report_none, cli_report_no_value,
    // Excel export (issue 8)
    xl_col_signed_off_at, xl_col_collected, xl_col_collected_by, xl_period_from, xl_period_to, xl_period_all,
    export_excel_button, exporting, export_done, export_filter_name, err_export_workbook,
    // the 统计 tab (issue 8)
    fd_path, fd_path_hint, fd_unavailable, fd_import, fd_backup_to, fd_restore_from, fd_save_to,
    clash_line, tab_todo, tab_todo_count, todo_title, todo_hint, todo_none, todo_heading, todo_open,
    todo_confirm_agreement, todo_sign_agreement, todo_approve_report, todo_revise_report, todo_investigate,
    todo_stub_out, todo_review_yesterday, todo_receive_cash, todo_close_complaint, todo_agreement_ending,
    tab_stats, st_mode_month, st_mode_range, st_month, st_prev_month, st_next_month, st_prev_month_hint, st_next_month_hint, st_from, st_to, st_bad_month, st_bad_range, st_computing, st_period, st_sec_requests, st_sec_refusals, st_sec_completion, st_sec_sla, st_sec_follow_up, st_sec_fees, st_sec_cash, st_sec_agreements, st_sec_shopping, st_sec_revisits, st_sec_complaints, st_sec_needs, st_sec_staff, st_sec_charts, st_requests_total, st_refusals_total, st_col_register, st_col_item, st_col_desk, st_col_count, st_col_reason, st_col_figure, st_col_value, st_col_agreed, st_col_collected, st_col_staff, st_col_jobs, st_col_finished, st_col_cancelled, st_col_not_home, st_col_reschedules, st_col_breached, st_col_complaints, st_col_question, st_col_satisfied, st_col_fairly, st_col_dissatisfied, st_col_rate, st_rate_note, st_col_room, st_col_date, st_col_need, st_total, st_finished, st_median, st_mean, st_longest, st_committed, st_met, st_breached, st_open, st_met_rate, st_reschedules, st_cancellations, st_not_home, st_cash_collections, st_cash_collected, st_cash_handovers, st_cash_received, st_cash_outstanding, st_agr_new, st_agr_active, st_agr_ended, st_agr_terminated, st_shop_entries, st_shop_void, st_shop_expected, st_shop_actual, st_shop_missing, st_shop_concerns, st_rv_served, st_rv_sample, st_rv_planned, st_rv_revisited, st_rv_unreachable, st_rv_todo, st_rv_coverage, st_q_timeliness, st_q_skill, st_q_attitude, st_cmp_total, st_cmp_closed, st_chart_requests, st_chart_fees, st_none, st_figure_pending, st_failed,
    // the monthly report (R-RV-4)
    err_rp_bad_month, err_rp_month_not_over, err_rp_exists, err_rp_none, err_rp_cs_only, err_rp_needs_manager, err_rp_locked, err_rp_awaiting, err_rp_not_submitted, err_rp_analysis, err_rp_comment, err_rp_too_long, rp_status_draft, rp_status_submitted, rp_status_returned, rp_status_approved, st_bucket_within_2h, st_bucket_within_8h, st_bucket_within_1d, st_bucket_within_3d, st_bucket_over_3d, st_chart_satisfaction, st_chart_completion, rp_view_figures, rp_view_report, rp_none, rp_generate, rp_refresh, rp_save, rp_submit, rp_approve, rp_send_back, rp_print, rp_analysis, rp_suggestions, rp_comment, rp_comment_hint, rp_title, rp_status_line, rp_prepared, rp_generated, rp_submitted_at, rp_decided, rp_returned_comment, rp_approved_comment, rp_saved, rp_generated_ok, rp_refreshed_ok, rp_submitted_ok, rp_approved_ok, rp_sent_back_ok, rp_confirm_approve, rp_confirm_refresh, rp_month_only, rp_summary, rp_working, rp_confirm, rp_unsaved, st_drill_title, st_drill_hint, st_col_duration, file_report, st_axis_month, st_axis_month_year, rp_sum_requests, rp_sum_finished, rp_sum_median, rp_sum_sla, rp_sum_fees, rp_sum_coverage, rp_sum_satisfied, rp_sum_complaints, rp_months, st_xl_title, st_xl_summary, st_col_group, st_col_month,
    // the change history view (R-FU-6)
    ent_request, ent_refusal, ent_household, ent_resident, ent_staff, ent_price_item, ent_office, ent_step_reason, ent_slip, ent_day_review, ent_repair_handover, ent_cash_receipt, ent_agreement, ent_amendment, ent_shopping, ent_investigation, ent_revisit_plan, ent_revisit, ent_complaint, ent_monthly_report, tab_history, hs_col_at, hs_col_user, hs_col_entity, hs_col_record, hs_col_action, hs_col_field, hs_col_old, hs_col_new, hs_col_reason, hs_col_changes, hs_filter_user, hs_filter_entity, hs_filter_action, hs_search_hint, hs_count, hs_count_capped, hs_read_only,
    // roles (issue 9)
    err_access_manager, err_access_supervisor, perm_edit_office, perm_edit_staff, perm_edit_price_list, perm_set_others_password, perm_void_shopping, perm_read_history,
    lock_title, lock_text, lock_unlock, lock_wrong_password, settings_mine, mine_old_password, mine_new_password, mine_new_again, mine_change_password, mine_password_changed, mine_lock_minutes, mine_lock_bad, mine_lock_saved, mine_lock_never, settings_managers_only, perm_see_full_phones, perm_import, reg_full_phones, reg_full_phones_hint,
    // history field names (R-FU-6)
    hf_agreement, hf_effective_on, hf_seq, hf_amount, hf_day, hf_handling, hf_severity, hf_what, hf_expected_at, hf_reason, hf_request, hf_concern, hf_finding, hf_analysis, hf_suggestions, hf_month, hf_generated_at, hf_received_by, hf_rows, hf_arrived_at, hf_finished_at, hf_follow_up, hf_household, hf_method, hf_plan, hf_deadline, hf_delivered_on, hf_quantity, hf_not_bought, hf_purchase, hf_shopping_state, hf_void, hf_posted_at, hf_stub_returned, hf_visit_at, hf_kind, hf_text, hs_from, hs_to,
    // backups, restore and the damaged file at start (issue 9)
    err_backups_kept_range, err_backup_unsound, bk_fault_unreadable, bk_fault_damaged, bk_fault_not_homedesk, bk_fault_newer, settings_backups, bk_backup_now, bk_restore, bk_check, bk_checking, bk_check_ok, bk_check_problems, bk_list_title, bk_col_time, bk_col_size, size_bytes, bk_col_file, bk_none, bk_kept, bk_working, bk_done, bk_daily_done, bk_daily_failed, bk_confirm_title, bk_confirm_text, bk_confirm_button, bk_restored, bk_dialog_save, bk_dialog_open, bk_inspecting, dmg_title, dmg_text, dmg_offer, dmg_no_backup, dmg_restore_button, dmg_confirm, dmg_quit, dmg_restore_failed, cli_backup_done, cli_restore_done, cli_restore_safety, cli_restore_refused, cli_damaged_hint, cli_damaged_no_backup,
    // data safety, second pass (issue 20): missing, empty and damaged files, restore
    err_db_missing, err_db_empty, err_db_damaged, err_restore_onto_itself, err_restore_busy, ui_restored_elsewhere, bk_source_damaged,
    // the monthly report's PDF (R-RV-4)
    rpt_title, rpt_month, rpt_month_short, rpt_running_head, rpt_preview, rpt_department, rpt_prepared_by, rpt_prepared_on, rpt_data_as_of, rpt_status, rpt_sec_summary, rpt_sec_charts, rpt_sec_details, rpt_sec_analysis, rpt_sec_suggestions, rpt_sec_approval, rpt_sub_heading, rpt_col_indicator, rpt_col_share, rpt_sum_requests, rpt_sum_finished, rpt_sum_median, rpt_sum_sla, rpt_sum_refusals, rpt_sum_agreed, rpt_sum_collected, rpt_sum_outstanding, rpt_sum_agr_new, rpt_sum_agr_active, rpt_sum_shopping, rpt_sum_missing, rpt_sum_concerns, rpt_sum_coverage, rpt_sum_satisfaction, rpt_sub_by_register, rpt_sub_by_item, rpt_sub_by_desk, rpt_sub_refusals, rpt_sub_fees_register, rpt_sub_fees_item, rpt_sub_opinions, rpt_sub_complaints, rpt_sub_staff, rpt_chart_caption, rpt_chart_span, rpt_approval_status, rpt_approval_opinion, rpt_approver, rpt_approval_date,
    // import from Excel and CSV (issue 9)
    settings_import, im_kind, im_kind_residents, im_kind_staff, im_kind_prices, im_choose_file, im_dialog_title, im_checking, im_writing, im_done, im_refused, im_col_file, im_col_row, im_col_column, im_col_problem, im_kind_hint, im_line, im_line_file, im_fault_unreadable, im_fault_encoding, im_fault_workbook, im_fault_column_twice, im_fault_format, im_fault_no_header, im_fault_no_rows, im_fault_required, im_fault_room, im_fault_phone, im_fault_date, im_fault_yes_no, im_fault_group, im_fault_rank, im_fault_category, im_fault_login_spaces, im_fault_repeated, im_fault_on_file, cli_import_refused,
    // import of historical register rows (issue 9)
    im_kind_register, im_fault_running_no, im_fault_register, im_fault_no_register, im_fault_other_register, im_fault_date_time, im_fault_status, im_fault_choice, im_fault_staff_unknown, im_fault_year_on_file, im_reason, im_reason_renumbered,
    // ten years of history (issue 10)
    hs_count_over, hs_searching,
    // import of historical shopping-log entries (issue 9, R-SH-6)
    im_kind_shopping, im_fault_shopping_no, im_fault_shopping_used, im_fault_shopping_gap, im_fault_shopping_moved, im_fault_total, im_fault_not_for_state, im_fault_deadline_before,
    // the desk in daily use (issue 19, items 1-7 and 12-14)
    confirm_back, step_confirm_return, step_confirm_cancel, step_confirm_act, step_amount_reason,
    step_agreed_price, err_step_before_dispatch, err_step_not_home_early, err_step_amount_reason,
    cash_confirm, cash_confirm_yes, settle_confirm, settle_confirm_yes, settle_not_collected, err_rv_answers,
    // languages (issue 22); a language's own name reads the same in every catalogue
    language_screen, language_print, language_yuan_word, lang_zh_hans, lang_zh_hant, lang_en, month_words, rv_quarter_text,
}

thread_local! {
    /// The language this thread speaks: the window's thread the signed-in
    /// person's, a print job's thread the office's (see [`with_language`]).
    static SPEAKING: Cell<PrintLanguage> = Cell::new(PrintLanguage::default());
}

/// The catalogue in use on this thread.
pub fn t() -> &'static Texts {
    texts(language())
}

/// The catalogue of `language`.
pub fn texts(language: Language) -> &'static Texts {
    match language {
        Language::ZhHans => &ZH_HANS,
        Language::ZhHant => &ZH_HANT,
        Language::English => &EN,
    }
}

/// The language this thread speaks.
pub fn language() -> Language {
    SPEAKING.with(|s| s.get().language)
}

/// This thread speaks `language` from now on (the window: at sign-in, or
/// when a person picks another language).
pub fn set_language(language: Language) {
    SPEAKING.with(|s| s.set(PrintLanguage { language, ..s.get() }));
}

/// Runs `f` speaking the office's print language (forms, exports, the
/// command line), then goes back to the language spoken before.
pub fn with_language<R>(speech: PrintLanguage, f: impl FnOnce() -> R) -> R {
    let before = SPEAKING.with(|s| s.replace(speech));
    let out = f();
    SPEAKING.with(|s| s.set(before));
    out
}

/// A worker thread that speaks the language of the thread starting it, so
/// that its messages read like the window's.
pub fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> std::thread::JoinHandle<T> {
    let speech = SPEAKING.with(Cell::get);
    std::thread::spawn(move || with_language(speech, f))
}

/// An amount in words as the forms of the language spoken write it (R-FEE-5).
pub fn amount_words(money: Money) -> String {
    let speech = SPEAKING.with(Cell::get);
    money.in_words(match speech.language {
        Language::ZhHans => AmountWords::Simplified,
        Language::ZhHant => AmountWords::Traditional(speech.yuan),
        Language::English => AmountWords::English,
    })
}

/// Fills `{name}` placeholders of a catalogue template.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

impl Texts {
    /// The kind of file an import reads (住户 / 员工 / 价目表).
    pub fn import_kind(&self, kind: ImportKind) -> &'static str {
        match kind {
            ImportKind::Residents => self.im_kind_residents,
            ImportKind::Staff => self.im_kind_staff,
            ImportKind::Prices => self.im_kind_prices,
            ImportKind::Register => self.im_kind_register,
            ImportKind::Shopping => self.im_kind_shopping,
        }
    }

    /// What is wrong with an imported file, row or cell, in the clerk's words.
    pub fn import_fault(&self, fault: &ImportFault) -> String {
        match fault {
            ImportFault::Unreadable(cause) => fill(self.im_fault_unreadable, &[("cause", cause)]),
            ImportFault::Encoding => self.im_fault_encoding.into(),
            ImportFault::Text(e) => self.text_error(e),
            ImportFault::When(e) => self.when_error(e).into(),
            ImportFault::ColumnTwice { first } => fill(self.im_fault_column_twice, &[("first", first)]),
            ImportFault::NotAWorkbook(cause) => fill(self.im_fault_workbook, &[("cause", cause)]),
            ImportFault::UnknownFormat => self.im_fault_format.into(),
            ImportFault::NoHeader(missing) => {
                fill(self.im_fault_no_header, &[("columns", &missing.join(self.list_sep))])
            }
            ImportFault::NoRows => self.im_fault_no_rows.into(),
            ImportFault::Required => self.im_fault_required.into(),
            ImportFault::Room => self.im_fault_room.into(),
            ImportFault::Phone => self.im_fault_phone.into(),
            ImportFault::Money(e) => self.money_error(e).into(),
            ImportFault::Date => self.im_fault_date.into(),
            ImportFault::YesNo => self.im_fault_yes_no.into(),
            ImportFault::Group => self.im_fault_group.into(),
            ImportFault::Rank => self.im_fault_rank.into(),
            ImportFault::Category => self.im_fault_category.into(),
            ImportFault::LoginHasSpaces => self.im_fault_login_spaces.into(),
            ImportFault::RepeatedInFile(row) => fill(self.im_fault_repeated, &[("row", row)]),
            ImportFault::AlreadyOnFile => self.im_fault_on_file.into(),
            ImportFault::RunningNo => self.im_fault_running_no.into(),
            ImportFault::Register => self.im_fault_register.into(),
            ImportFault::NoRegister => self.im_fault_no_register.into(),
            ImportFault::OtherRegister { row, register } => fill(
                self.im_fault_other_register,
                &[("row", row), ("register", &self.register_title(*register))],
            ),
            ImportFault::DateTime => self.im_fault_date_time.into(),
            ImportFault::Status => {
                let all: Vec<&str> = RequestStatus::ALL.iter().map(|s| self.status(*s)).collect();
                fill(self.im_fault_status, &[("all", &all.join(self.list_sep))])
            }
            ImportFault::Choice(all) => fill(self.im_fault_choice, &[("all", &all.join(self.list_sep))]),
            ImportFault::StaffUnknown => self.im_fault_staff_unknown.into(),
            ImportFault::RegisterYearOnFile { register, year } => fill(
                self.im_fault_year_on_file,
                &[("register", &self.register_title(*register)), ("year", year)],
            ),
            ImportFault::ShoppingNo => self.im_fault_shopping_no.into(),
            ImportFault::ShoppingNoUsed { no, last } => fill(
                self.im_fault_shopping_used,
                &[
                    ("no", &shopping_no_text(*no)),
                    ("last", &shopping_no_text(*last)),
                    ("next", &shopping_no_text(last + 1)),
                ],
            ),
            ImportFault::ShoppingGap { next, from, to } => {
                let missing = if from == to {
                    shopping_no_text(*from)
                } else {
                    format!("{}～{}", shopping_no_text(*from), shopping_no_text(*to))
                };
                fill(self.im_fault_shopping_gap, &[("missing", &missing), ("next", &shopping_no_text(*next))])
            }
            ImportFault::ShoppingLogMoved { last } => {
                fill(self.im_fault_shopping_moved, &[("last", &shopping_no_text(*last))])
            }
            ImportFault::Shopping(ShoppingError::DeadlinePast) => self.im_fault_deadline_before.into(),
            ImportFault::Shopping(e) => self.shopping_error(e),
            ImportFault::TotalMismatch(total) => fill(self.im_fault_total, &[("total", total)]),
            ImportFault::NotForState(state) => {
                fill(self.im_fault_not_for_state, &[("state", &self.shopping_state(*state))])
            }
        }
    }

    /// One line of an import's report: `文件 第N行 【列】 问题`.
    pub fn import_problem(&self, problem: &ImportProblem) -> String {
        let fault = self.import_fault(&problem.fault);
        match (problem.row, &problem.column) {
            (Some(row), Some(column)) => fill(
                self.im_line,
                &[("file", &problem.file), ("row", &row), ("column", column), ("problem", &fault)],
            ),
            _ => fill(self.im_line_file, &[("file", &problem.file), ("problem", &fault)]),
        }
    }

    pub fn desk(&self, desk: Desk) -> &'static str {
        match desk {
            Desk::CsCenter => self.desk_cs,
            Desk::ControlCenter => self.desk_control,
        }
    }

    pub fn group(&self, group: Group) -> &'static str {
        match group {
            Group::Housekeeping => self.group_housekeeping,
            Group::PublicRepair => self.group_repair,
            Group::Engineering => self.group_engineering,
            Group::Finance => self.group_finance,
            Group::CsCenter => self.group_cs,
            Group::ControlCenter => self.group_control,
        }
    }

    pub fn rank(&self, rank: Rank) -> &'static str {
        match rank {
            Rank::Staff => self.rank_staff,
            Rank::Supervisor => self.rank_supervisor,
            Rank::Manager => self.rank_manager,
        }
    }

    /// The register's short name (家政 / 维修 / 报警).
    pub fn kind(&self, kind: RegisterKind) -> &'static str {
        match kind {
            RegisterKind::Housekeeping => self.kind_housekeeping,
            RegisterKind::Repair => self.kind_repair,
            RegisterKind::Alarm => self.kind_alarm,
        }
    }

    /// The register's full title, as printed on the paper ledger.
    pub fn register_title(&self, kind: RegisterKind) -> &'static str {
        match kind {
            RegisterKind::Housekeeping => self.register_housekeeping,
            RegisterKind::Repair => self.register_repair,
            RegisterKind::Alarm => self.register_alarm,
        }
    }

    pub fn urgency(&self, urgency: Urgency) -> &'static str {
        match urgency {
            Urgency::Emergency => self.urgency_emergency,
            Urgency::Small => self.urgency_small,
            Urgency::Big => self.urgency_big,
        }
    }

    pub fn alarm_work(&self, work: AlarmWork) -> &'static str {
        match work {
            AlarmWork::Open => self.alarm_open,
            AlarmWork::Relocate => self.alarm_relocate,
            AlarmWork::Repair => self.alarm_repair,
        }
    }

    pub fn step_kind(&self, kind: StepKind) -> &'static str {
        match kind {
            StepKind::Dispatch => self.step_kind_dispatch,
            StepKind::Transfer => self.step_kind_transfer,
            StepKind::Return => self.step_kind_return,
            StepKind::Reschedule => self.step_kind_reschedule,
            StepKind::Cancel => self.step_kind_cancel,
            StepKind::NotHome => self.step_kind_not_home,
            StepKind::Done => self.step_kind_done,
            StepKind::Collect => self.step_kind_collect,
            StepKind::SignOff => self.step_kind_sign_off,
            StepKind::Settle => self.step_kind_settle,
            StepKind::Arrive => self.step_kind_arrive,
            StepKind::FollowUp => self.step_kind_follow_up,
            StepKind::SpotCheck => self.step_kind_spot_check,
            StepKind::Hazard => self.step_kind_hazard,
        }
    }

    /// A button that opens the step's form: `派单…`.
    pub fn step_button(&self, kind: StepKind) -> String {
        format!("{}…", self.step_kind(kind))
    }

    pub fn lane(&self, lane: Lane) -> &'static str {
        match lane {
            Lane::ToCopy => self.lane_to_copy,
            Lane::NotifyNow => self.lane_notify_now,
            Lane::Out => self.lane_out,
            Lane::ToSignOff => self.lane_to_sign_off,
            Lane::Closed => self.lane_closed,
        }
    }

    pub fn commitment(&self, commitment: Commitment) -> &'static str {
        match commitment {
            Commitment::SolveIn24Hours => self.commitment_solve,
            Commitment::AnswerIn3Days => self.commitment_answer,
            Commitment::ReachIn10Minutes => self.commitment_reach,
        }
    }

    pub fn opinion(&self, opinion: Opinion) -> &'static str {
        match opinion {
            Opinion::Satisfied => self.opinion_satisfied,
            Opinion::FairlySatisfied => self.opinion_fairly_satisfied,
            Opinion::Dissatisfied => self.opinion_dissatisfied,
        }
    }

    pub fn reason_kind(&self, kind: ReasonKind) -> &'static str {
        match kind {
            ReasonKind::Reschedule => self.reason_kind_reschedule,
            ReasonKind::Cancel => self.reason_kind_cancel,
        }
    }

    /// A staff member booked twice (issue 19), the other booking named.
    pub fn clash_text(&self, clash: &Clash) -> String {
        let at = clash.at.format("%Y-%m-%d %H:%M");
        fill(
            self.clash_line,
            &[("staff", &clash.staff), ("at", &at), ("with", &clash.with), ("room", &clash.room)],
        )
    }

    /// A kind of thing on the 待办 list, as its heading.
    pub fn todo_kind(&self, kind: TodoKind) -> &'static str {
        match kind {
            TodoKind::ConfirmAgreement => self.todo_confirm_agreement,
            TodoKind::SignAgreement => self.todo_sign_agreement,
            TodoKind::ApproveReport => self.todo_approve_report,
            TodoKind::ReviseReport => self.todo_revise_report,
            TodoKind::Investigate => self.todo_investigate,
            TodoKind::StubOut => self.todo_stub_out,
            TodoKind::ReviewYesterday => self.todo_review_yesterday,
            TodoKind::ReceiveCash => self.todo_receive_cash,
            TodoKind::CloseComplaint => self.todo_close_complaint,
            TodoKind::AgreementEnding => self.todo_agreement_ending,
        }
    }

    /// 草稿 / 已确认待签 / 已签订 / 执行中 / 终止中 / 已提前终止 / 已到期.
    pub fn agreement_state(&self, state: AgreementState) -> &'static str {
        match state {
            AgreementState::Draft => self.agreement_status_draft,
            AgreementState::ConfirmedToSign => self.agreement_state_confirmed,
            AgreementState::Signed => self.agreement_status_signed,
            AgreementState::Active => self.agreement_status_active,
            AgreementState::Terminating => self.agreement_state_terminating,
            AgreementState::Terminated => self.agreement_status_terminated,
            AgreementState::Ended => self.agreement_status_ended,
        }
    }

    pub fn agreement_status(&self, status: AgreementStatus) -> &'static str {
        match status {
            AgreementStatus::Draft => self.agreement_status_draft,
            AgreementStatus::Signed => self.agreement_status_signed,
            AgreementStatus::Active => self.agreement_status_active,
            AgreementStatus::Ended => self.agreement_status_ended,
            AgreementStatus::Terminated => self.agreement_status_terminated,
        }
    }

    pub fn basis(&self, basis: PriceBasis) -> &'static str {
        match basis {
            PriceBasis::PerVisit => self.basis_per_visit,
            PriceBasis::PerMonth => self.basis_per_month,
        }
    }

    /// 周一 … 周日 for ISO weekday 1 … 7.
    pub fn weekday(&self, n: u32) -> &'static str {
        [
            self.weekday_1,
            self.weekday_2,
            self.weekday_3,
            self.weekday_4,
            self.weekday_5,
            self.weekday_6,
            self.weekday_7,
        ]
        .get(n.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("")
    }

    /// `每周一、三、五 09:00–11:00` or `每月1、15日 14:00–16:00`.
    pub fn schedule_text(&self, schedule: &Schedule) -> String {
        let (start, end) = (schedule.start().format("%H:%M"), schedule.end().format("%H:%M"));
        match schedule {
            Schedule::Weekly { days, .. } => {
                let names: Vec<&str> = days.iter().map(|d| self.weekday(*d)).collect();
                fill(
                    self.schedule_weekly,
                    &[("days", &names.join(self.list_sep)), ("start", &start), ("end", &end)],
                )
            }
            Schedule::Monthly { dates, .. } => {
                let dates: Vec<String> = dates.iter().map(u32::to_string).collect();
                fill(
                    self.schedule_monthly,
                    &[("dates", &dates.join(self.list_sep)), ("start", &start), ("end", &end)],
                )
            }
        }
    }

    pub fn agreement_field(&self, field: AgreementField) -> &'static str {
        use AgreementField as F;
        match field {
            F::Room => self.agr_field_room,
            F::ResidentName => self.agr_field_resident,
            F::Phone => self.agr_field_phone,
            F::Service => self.agr_field_service,
            F::Area => self.agr_field_area,
            F::Details => self.agr_field_details,
            F::Staff => self.agr_field_staff,
            F::Schedule => self.agr_field_schedule,
            F::Times => self.agr_field_times,
            F::TermStart => self.agr_field_term_start,
            F::TermEnd => self.agr_field_term_end,
            F::Price => self.agr_field_price,
            F::Basis => self.agr_field_basis,
            F::Review => self.agr_field_review,
            F::PaymentTerms => self.agr_field_payment,
            F::Reason => self.agr_field_reason,
            F::EffectiveOn => self.agr_field_effective,
            F::NoticeOn => self.agr_field_notice,
            F::StopOn => self.agr_field_stop,
        }
    }

    /// A refused agreement step as a sentence naming its rule.
    pub fn agreement_error(&self, e: &AgreementError) -> String {
        use AgreementError as E;
        match e {
            E::Required => self.err_agr_required.into(),
            E::BadRoom => self.err_agr_room.into(),
            E::BadPhone => self.err_agr_phone.into(),
            E::BadDate => self.err_agr_date.into(),
            E::BadTime => self.err_agr_time.into(),
            E::TimesOrder => self.err_agr_times_order.into(),
            E::NoDays => self.err_agr_no_days.into(),
            E::BadDates => self.err_agr_dates.into(),
            E::EndBeforeStart => self.err_agr_end_before_start.into(),
            E::HourlyService => self.err_agr_hourly.into(),
            E::StaffRequired => self.err_agr_staff.into(),
            E::WrongProvider { group } => fill(self.err_wrong_provider, &[("group", &self.group(*group))]),
            E::InactiveStaff => self.err_agr_inactive_staff.into(),
            E::BadPrice(m) => self.money_error(m).into(),
            E::PriceOutsideBand { low, high } => {
                fill(self.err_agr_price_band, &[("low", low), ("high", high)])
            }
            E::ReviewRequired => self.err_agr_review.into(),
            E::AreaRequired => self.err_agr_area_required.into(),
            E::BadArea { max } => fill(self.err_agr_area_bad, &[("max", max)]),
            E::NotHousekeeping => self.err_agr_not_housekeeping.into(),
            E::InactiveItem => self.err_agr_inactive_item.into(),
            E::NotDraft => self.err_agr_not_draft.into(),
            E::NotCsCenter => self.err_agr_not_cs.into(),
            E::NotManager => self.err_agr_not_manager.into(),
            E::NotConfirmed => self.err_agr_not_confirmed.into(),
            E::NotRunning => self.err_agr_not_running.into(),
            E::ReasonRequired => self.err_agr_reason.into(),
            E::OutsideTerm => self.err_agr_outside_term.into(),
            E::NoticeDate => self.err_agr_notice.into(),
            E::NotAmendable => self.err_agr_not_amendable.into(),
            E::NothingChanged => self.err_agr_nothing_changed.into(),
            E::NotRenewable => self.err_agr_not_renewable.into(),
            E::TermTooLong => self.err_agr_term_long.into(),
            E::EffectiveTooLate => self.err_agr_effective_late.into(),
            E::AlreadyRenewed => self.err_agr_renewed.into(),
        }
    }

    pub fn shopping_state(&self, state: ShoppingState) -> &'static str {
        match state {
            ShoppingState::Recorded => self.shop_state_recorded,
            ShoppingState::Bought => self.shop_state_bought,
            ShoppingState::Delivered => self.shop_state_delivered,
            ShoppingState::Settled => self.shop_state_settled,
            ShoppingState::NotBought => self.shop_state_not_bought,
            ShoppingState::Void => self.shop_state_void,
        }
    }

    pub fn concern(&self, concern: Concern) -> &'static str {
        match concern {
            Concern::Missing => self.concern_missing,
            Concern::OpenPastDeadline => self.concern_open,
            Concern::NotDelivered => self.concern_not_delivered,
            Concern::NotSettled => self.concern_not_settled,
        }
    }

    pub fn shopping_field(&self, field: ShoppingField) -> &'static str {
        use ShoppingField as F;
        match field {
            F::Room => self.shop_field_room,
            F::ResidentName => self.shop_field_resident,
            F::Item => self.shop_field_item,
            F::Brand => self.shop_field_brand,
            F::Kind => self.shop_field_kind,
            F::Quantity => self.shop_field_quantity,
            F::Spec => self.shop_field_spec,
            F::Unit => self.shop_field_unit,
            F::UnitPrice => self.shop_field_price,
            F::Deadline => self.shop_field_deadline,
            F::Buyer => self.shop_field_buyer,
            F::Invoice => self.shop_field_invoice,
            F::Actual => self.shop_field_actual,
            F::Date => self.shop_field_date,
            F::Signed => self.shop_field_signed,
            F::Reason => self.shop_field_reason,
            F::ToldAt => self.shop_field_told,
            F::Finding => self.shop_field_finding,
        }
    }

    pub fn shopping_error(&self, e: &ShoppingError) -> String {
        use ShoppingError as E;
        match e {
            E::Required => self.err_shop_required.into(),
            E::BadRoom => self.err_shop_room.into(),
            E::BadQuantity => self.err_shop_quantity.into(),
            E::BadPrice(m) => self.money_error(m).into(),
            E::BadDate => self.err_shop_date.into(),
            E::DeadlinePast => self.err_shop_deadline.into(),
            E::DeadlineTooFar => self.err_shop_deadline_far.into(),
            E::NotNow { from } => fill(self.err_shop_not_now, &[("state", &self.shopping_state(*from))]),
            E::InvoiceRequired => self.err_shop_invoice.into(),
            E::DateOutOfOrder => self.err_shop_date_order.into(),
            E::NotSigned => self.err_shop_signed.into(),
            E::NotTold => self.err_shop_told.into(),
            E::ReasonRequired => self.err_shop_reason.into(),
            E::TooLarge => self.err_shop_large.into(),
            E::Text(e) => self.text_error(e),
        }
    }

    pub fn revisit_reason(&self, reason: RevisitReason) -> &'static str {
        match reason {
            RevisitReason::Sample => self.rv_reason_sample,
            RevisitReason::NewAgreement => self.rv_reason_new_agreement,
            RevisitReason::NewItem => self.rv_reason_new_item,
            RevisitReason::NewStaff => self.rv_reason_new_staff,
            RevisitReason::ComplainedStaff => self.rv_reason_complained_staff,
            RevisitReason::RepairHandover => self.rv_reason_repair_handover,
        }
    }

    pub fn revisit_method(&self, method: RevisitMethod) -> &'static str {
        match method {
            RevisitMethod::Phone => self.rv_method_phone,
            RevisitMethod::InPerson => self.rv_method_in_person,
        }
    }

    pub fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Minor => self.severity_minor,
            Severity::Major => self.severity_major,
        }
    }

    /// A refusal for want of rank, naming what was needed and for what.
    pub fn access_error(&self, e: &AccessError) -> String {
        let action = match e.permission {
            Permission::EditOffice => self.perm_edit_office,
            Permission::EditStaff => self.perm_edit_staff,
            Permission::EditPriceList => self.perm_edit_price_list,
            Permission::SetOthersPassword => self.perm_set_others_password,
            Permission::VoidShopping => self.perm_void_shopping,
            Permission::ReadHistory => self.perm_read_history,
            Permission::SeeFullPhones => self.perm_see_full_phones,
            Permission::Import => self.perm_import,
        };
        let template = match e.needs {
            Rank::Manager => self.err_access_manager,
            Rank::Supervisor | Rank::Staff => self.err_access_supervisor,
        };
        fill(template, &[("action", &action)])
    }

    pub fn report_error(&self, e: &ReportError) -> &'static str {
        match e {
            ReportError::BadMonth => self.err_rp_bad_month,
            ReportError::MonthNotOver => self.err_rp_month_not_over,
            ReportError::AlreadyExists => self.err_rp_exists,
            ReportError::NoReport => self.err_rp_none,
            ReportError::CsCenterOnly => self.err_rp_cs_only,
            ReportError::NeedsManager => self.err_rp_needs_manager,
            ReportError::Locked => self.err_rp_locked,
            ReportError::AwaitingApproval => self.err_rp_awaiting,
            ReportError::NotSubmitted => self.err_rp_not_submitted,
            ReportError::AnalysisRequired => self.err_rp_analysis,
            ReportError::CommentRequired => self.err_rp_comment,
            ReportError::TooLong => self.err_rp_too_long,
        }
    }

    pub fn report_status(&self, s: ReportStatus) -> &'static str {
        match s {
            ReportStatus::Draft => self.rp_status_draft,
            ReportStatus::Submitted => self.rp_status_submitted,
            ReportStatus::Returned => self.rp_status_returned,
            ReportStatus::Approved => self.rp_status_approved,
        }
    }

    /// A completion-time bucket of `domain::stats::COMPLETION_BUCKETS`.
    pub fn completion_bucket(&self, code: &str) -> Option<&'static str> {
        Some(match code {
            "within_2h" => self.st_bucket_within_2h,
            "within_8h" => self.st_bucket_within_8h,
            "within_1d" => self.st_bucket_within_1d,
            "within_3d" => self.st_bucket_within_3d,
            "over_3d" => self.st_bucket_over_3d,
            _ => return None,
        })
    }

    pub fn revisit_error(&self, e: &RevisitError) -> &'static str {
        match e {
            RevisitError::InPersonNotAgreement => self.err_rv_in_person,
            RevisitError::AttemptsRequired => self.err_rv_attempts,
            RevisitError::AnswersMissing => self.err_rv_answers,
            RevisitError::ComplaintRequired => self.err_rv_complaint,
            RevisitError::ComplaintEmpty => self.err_rv_complaint_empty,
            RevisitError::HandlingRequired => self.err_rv_handling,
            RevisitError::PlanExists => self.err_rv_plan_exists,
            RevisitError::ReasonRequired => self.err_rv_reason,
            RevisitError::PlanInUse => self.err_rv_in_use,
            RevisitError::AlreadyRevisited => self.err_rv_already,
            RevisitError::BadMonth => self.err_rv_month,
        }
    }

    pub fn status(&self, status: RequestStatus) -> &'static str {
        match status {
            RequestStatus::Registered => self.status_registered,
            RequestStatus::Dispatched => self.status_dispatched,
            RequestStatus::NotHome => self.status_not_home,
            RequestStatus::Done => self.status_done,
            RequestStatus::SignedOff => self.status_signed_off,
            RequestStatus::Settled => self.status_settled,
            RequestStatus::Cancelled => self.status_cancelled,
            RequestStatus::Relayed => self.status_relayed,
        }
    }

    pub fn category(&self, category: Category) -> &'static str {
        match category {
            Category::Cleaning => self.category_cleaning,
            Category::Greening => self.category_greening,
            Category::Repair => self.category_repair,
            Category::Alarm => self.category_alarm,
        }
    }

    /// The label of a form field, for messages that name it.
    pub fn field(&self, field: Field) -> &'static str {
        match field {
            Field::Kind => self.col_desk,
            Field::Room => self.field_room,
            Field::ResidentName => self.field_resident,
            Field::Phone => self.field_phone,
            Field::Service => self.field_service,
            Field::Details => self.field_details,
            Field::Appointment => self.field_appointment,
            Field::SlackReason => self.field_slack_reason,
            Field::Price => self.field_price,
            Field::Review => self.field_review_conclusion,
            Field::Urgency => self.field_urgency,
            Field::AlarmWork => self.field_alarm_work,
            Field::AssignedStaff => self.field_staff,
            Field::RelayTold => self.field_relay_told,
            Field::RefusalReason => self.field_reason,
            Field::ChangeReason => self.change_reason,
            Field::Notes => self.field_notes,
        }
    }

    /// The kind of record a history row changed.
    pub fn entity(&self, e: Entity) -> &'static str {
        match e {
            Entity::Request => self.ent_request,
            Entity::Refusal => self.ent_refusal,
            Entity::Household => self.ent_household,
            Entity::Resident => self.ent_resident,
            Entity::Staff => self.ent_staff,
            Entity::PriceItem => self.ent_price_item,
            Entity::Office => self.ent_office,
            Entity::StepReason => self.ent_step_reason,
            Entity::Slip => self.ent_slip,
            Entity::DayReview => self.ent_day_review,
            Entity::RepairHandover => self.ent_repair_handover,
            Entity::CashReceipt => self.ent_cash_receipt,
            Entity::Agreement => self.ent_agreement,
            Entity::Amendment => self.ent_amendment,
            Entity::Shopping => self.ent_shopping,
            Entity::Investigation => self.ent_investigation,
            Entity::RevisitPlan => self.ent_revisit_plan,
            Entity::Revisit => self.ent_revisit,
            Entity::Complaint => self.ent_complaint,
            Entity::MonthlyReport => self.ent_monthly_report,
            Entity::SignIn => self.ent_sign_in,
        }
    }

    pub fn history_action(&self, a: Action) -> &'static str {
        match a {
            Action::Create => self.history_created,
            Action::Update => self.history_updated,
            Action::SetPassword => self.history_password,
            Action::SignInFailed => self.history_sign_in_failed,
        }
    }

    /// A history row's field name in words; unknown keys are shown as stored.
    pub fn history_field<'a>(&self, key: &'a str) -> &'a str {
        match key {
            "running_no" => self.col_no,
            "room" => self.field_room,
            "resident_name" => self.field_resident,
            "phone" => self.field_phone,
            "service" => self.field_service,
            "details" => self.field_details,
            "appointment" => self.field_appointment,
            "slack_reason" => self.field_slack_reason,
            "price" => self.field_price,
            "price_agreed" => self.field_price_agreed,
            "review" => self.field_review_conclusion,
            "urgency" => self.field_urgency,
            "alarm_work" => self.field_alarm_work,
            "assigned_staff" => self.field_staff,
            "notes" => self.field_notes,
            "relay_told" => self.field_relay_told,
            "status" => self.col_status,
            "signed_off" => self.col_signed_off,
            "collected" => self.col_collected,
            "settled_at" => self.col_settled,
            "name" => self.staff_name,
            "group" => self.staff_group,
            "rank" => self.staff_rank,
            "active" => self.staff_active,
            "first_job_on" => self.staff_first_job,
            "login" => self.staff_login,
            "host" => self.history_host,
            "category" => self.price_category,
            "item" => self.price_item,
            "unit" => self.price_unit,
            "added_on" => self.price_added_on,
            "office_name" => self.office_name,
            "office_phone" => self.office_phone,
            "office_address" => self.office_address,
            "new_window_days" => self.new_window_days,
            "print_language" => self.language_print,
            "yuan_word" => self.language_yuan_word,
            "persons_served" => self.agr_field_persons,
            "area" => self.agr_field_area,
            "requirements" => self.agr_field_requirements,
            "staff" => self.agr_field_staff,
            "schedule" => self.agr_field_schedule,
            "term" => self.agr_term,
            "basis" => self.agr_field_basis,
            "payment_terms" => self.agr_field_payment,
            "confirmed" => self.agr_confirmed,
            "signed" => self.agr_signed,
            "no" => self.col_no,
            "termination" => self.agr_termination,
            "agreement" => self.hf_agreement,
            "effective_on" => self.hf_effective_on,
            "seq" => self.hf_seq,
            "amount" => self.hf_amount,
            "day" => self.hf_day,
            "handling" => self.hf_handling,
            "severity" => self.hf_severity,
            "what" => self.hf_what,
            "expected_at" => self.hf_expected_at,
            "reason" => self.hf_reason,
            "request" => self.hf_request,
            "concern" => self.hf_concern,
            "finding" => self.hf_finding,
            "analysis" => self.hf_analysis,
            "comment" => self.rp_comment,
            "suggestions" => self.hf_suggestions,
            "month" => self.hf_month,
            "generated_at" => self.hf_generated_at,
            "received_by" => self.hf_received_by,
            "received_at" => self.col_received_at,
            "rows" => self.hf_rows,
            "arrived_at" => self.hf_arrived_at,
            "finished_at" => self.hf_finished_at,
            "follow_up" => self.hf_follow_up,
            "household" => self.hf_household,
            "method" => self.hf_method,
            "plan" => self.hf_plan,
            "deadline" => self.hf_deadline,
            "delivered_on" => self.hf_delivered_on,
            "quantity" => self.hf_quantity,
            "not_bought" => self.hf_not_bought,
            "purchase" => self.hf_purchase,
            "shopping_state" => self.hf_shopping_state,
            "void" => self.hf_void,
            "posted_at" => self.hf_posted_at,
            "stub_returned" => self.hf_stub_returned,
            "visit_at" => self.hf_visit_at,
            "kind" => self.hf_kind,
            "text" => self.hf_text,
            other => other,
        }
    }

    /// A stored history value in words: codes of enums and booleans are translated.
    pub fn history_value(&self, key: &str, value: &str) -> String {
        let word = match key {
            "group" => Group::from_code(value).map(|g| self.group(g)),
            "rank" => Rank::from_code(value).map(|r| self.rank(r)),
            "urgency" => Urgency::from_code(value).map(|u| self.urgency(u)),
            "alarm_work" => AlarmWork::from_code(value).map(|a| self.alarm_work(a)),
            // Requests, agreements and monthly reports each keep a status.
            "status" => RequestStatus::from_code(value)
                .map(|s| self.status(s))
                .or_else(|| AgreementStatus::from_code(value).map(|s| self.agreement_status(s)))
                .or_else(|| ReportStatus::from_code(value).map(|s| self.report_status(s))),
            "shopping_state" => ShoppingState::from_code(value).map(|s| self.shopping_state(s)),
            "severity" => Severity::from_code(value).map(|s| self.severity(s)),
            "method" => RevisitMethod::from_code(value).map(|m| self.revisit_method(m)),
            "concern" => Concern::from_code(value).map(|c| self.concern(c)),
            "kind" => ReasonKind::from_code(value).map(|k| self.reason_kind(k)),
            "category" => Category::from_code(value).map(|c| self.category(c)),
            "basis" => PriceBasis::from_code(value).map(|b| self.basis(b)),
            "print_language" => Language::from_code(value).map(|l| self.language_name(l)),
            "area" if !value.is_empty() => return fill(self.area_value, &[("m2", &value)]),
            "schedule" => {
                return serde_json::from_str::<Schedule>(value)
                    .map(|s| self.schedule_text(&s))
                    .unwrap_or_default();
            }
            _ => match value {
                "true" => Some(self.yes),
                "false" => Some(self.no),
                _ => None,
            },
        };
        word.map(str::to_string).unwrap_or_else(|| value.to_string())
    }

    /// A language by its own name (简体中文, 繁體中文), whichever is spoken.
    pub fn language_name(&self, language: Language) -> &'static str {
        match language {
            Language::ZhHans => self.lang_zh_hans,
            Language::ZhHant => self.lang_zh_hant,
            Language::English => self.lang_en,
        }
    }

    /// How a date writes month `n` (1–12): its number in Chinese (3月), its
    /// name in English (3 July 2026).
    pub fn month_word(&self, n: u32) -> &'static str {
        let index = (n.clamp(1, 12) - 1) as usize;
        self.month_words.split(',').nth(index).unwrap_or_default()
    }

    pub fn money_error(&self, e: &MoneyError) -> &'static str {
        match e {
            MoneyError::Empty => self.err_money_empty,
            MoneyError::Negative => self.err_money_negative,
            MoneyError::TooManyDecimals => self.err_money_decimals,
            MoneyError::NotANumber => self.err_money_garbage,
            MoneyError::TooLarge => self.err_money_large,
        }
    }

    /// One intake error as a sentence for the field it belongs to.
    pub fn intake_error(&self, e: &IntakeError) -> String {
        match e {
            IntakeError::WrongDesk { desk, kind } => {
                fill(self.err_wrong_desk, &[("desk", &self.desk(*desk)), ("register", &self.kind(*kind))])
            }
            IntakeError::CsRepairNotEmergency => self.err_cs_repair.into(),
            IntakeError::Required => self.err_required.into(),
            IntakeError::BadRoom => self.err_room.into(),
            IntakeError::BadPhone => self.err_phone.into(),
            IntakeError::BadAppointment => self.err_appointment_format.into(),
            IntakeError::AppointmentInPast => self.err_appointment_past.into(),
            IntakeError::AppointmentTooSoon { earliest } => {
                fill(self.err_appointment_soon, &[("earliest", &earliest.format("%m-%d %H:%M"))])
            }
            IntakeError::BadPrice(m) => self.money_error(m).into(),
            IntakeError::PriceOutsideBand { low, high } => {
                fill(self.err_price_band, &[("low", low), ("high", high)])
            }
            IntakeError::ReviewRequired => self.err_review_required.into(),
            IntakeError::ItemOfOtherRegister => self.err_item_other_register.into(),
            IntakeError::InactiveItem => self.err_item_inactive.into(),
            IntakeError::PriceNotAgreed => self.err_price_not_agreed.into(),
            IntakeError::WrongProvider { group } => {
                fill(self.err_wrong_provider, &[("group", &self.group(*group))])
            }
            IntakeError::InactiveStaff => self.err_inactive_staff.into(),
            IntakeError::RowClosed => self.err_row_closed.into(),
            IntakeError::Text(e) => self.text_error(e),
            IntakeError::When(e) => self.when_error(e).into(),
        }
    }

    /// A text longer than its box on the form, or with a control character.
    pub fn text_error(&self, e: &TextError) -> String {
        match e {
            TextError::TooLong { max } => fill(self.err_text_too_long, &[("max", max)]),
            TextError::Unprintable => self.err_text_unprintable.into(),
        }
    }

    /// A time outside the office's life, or an appointment far from its call.
    pub fn when_error(&self, e: &WhenError) -> &'static str {
        match e {
            WhenError::BeforeOffice => self.err_when_before_office,
            WhenError::InFuture => self.err_when_future,
            WhenError::AppointmentBeforeCall => self.err_when_before_call,
            WhenError::AppointmentTooFar => self.err_when_too_far,
        }
    }

    /// A refused life-cycle step as a sentence naming its rule.
    pub fn step_error(&self, e: &StepError) -> String {
        match e {
            StepError::NotNow { from } => fill(self.err_step_not_now, &[("status", &self.status(*from))]),
            StepError::PriceNotAgreed => self.err_price_not_agreed.into(),
            StepError::WrongProvider { group } => {
                fill(self.err_wrong_provider, &[("group", &self.group(*group))])
            }
            StepError::InactiveStaff => self.err_inactive_staff.into(),
            StepError::NotARound { at } => fill(self.err_step_not_round, &[("at", &at.format("%H:%M"))]),
            StepError::RepairNotCopied => self.err_step_repair_copied.into(),
            StepError::ReasonRequired => self.err_step_reason.into(),
            StepError::ApologyRequired => self.err_step_apology.into(),
            StepError::NewTimeNotLater => self.err_step_new_time.into(),
            StepError::StaffNotTold => self.err_step_staff_told.into(),
            StepError::SlipRequired => self.err_step_slip.into(),
            StepError::RecordNotSigned => self.err_step_record_signed.into(),
            StepError::RecordTimes => self.err_step_record_times.into(),
            StepError::CollectorRank => self.err_step_collector.into(),
            StepError::WrongDesk => self.err_step_desk.into(),
            StepError::NotTheCopier => self.err_step_copier.into(),
            StepError::NotFinance => self.err_step_finance.into(),
            StepError::ArrivalTime => self.err_step_arrival.into(),
            StepError::RoundTime { at } => fill(self.err_step_round_time, &[("at", &at.format("%H:%M"))]),
            StepError::ToldTime => self.err_step_told_time.into(),
            StepError::AlreadyCollected => self.err_step_collected.into(),
            StepError::AlreadyArrived => self.err_step_arrived.into(),
            StepError::NotRepair => self.err_step_not_repair.into(),
            StepError::NotAlarmAtCsCenter => self.err_step_spot_check.into(),
            StepError::HazardNotPointedOut => self.err_step_hazard.into(),
            StepError::NoteRequired => self.err_step_note.into(),
            StepError::BeforeDispatch { dispatched_at } => {
                fill(self.err_step_before_dispatch, &[("at", &dispatched_at.format("%Y-%m-%d %H:%M"))])
            }
            StepError::NotHomeBeforeAppointment { appointment } => {
                fill(self.err_step_not_home_early, &[("at", &appointment.format("%Y-%m-%d %H:%M"))])
            }
            StepError::AmountDiffersWithoutReason => self.err_step_amount_reason.into(),
        }
    }

    /// A refused message slip or stub (R-FU-3).
    pub fn slip_error(&self, e: &SlipError) -> String {
        match e {
            SlipError::Unknown(no) => fill(self.err_slip_unknown, &[("no", no)]),
            SlipError::OtherJob(no) => fill(self.err_slip_other_job, &[("no", no)]),
            SlipError::StubAlreadyReturned(no) => fill(self.err_slip_stub_returned, &[("no", no)]),
            SlipError::StubNotAtCsCenter => self.err_slip_stub_desk.into(),
            SlipError::BlankCount => fill(self.err_slip_blank_count, &[("max", &MAX_BLANK_SLIPS)]),
            SlipError::AlreadyPosted(no) => fill(self.err_slip_posted, &[("no", no)]),
            SlipError::NotPosted(no) => fill(self.err_slip_not_posted, &[("no", no)]),
            SlipError::NoServicePhone => self.err_slip_no_phone.into(),
        }
    }

    /// A refused day-end answer (R-FU-4).
    pub fn review_error(&self, e: &ReviewError) -> &'static str {
        match e {
            ReviewError::ReasonRequired => self.err_review_reason,
            ReviewError::HandlingRequired => self.err_review_handling,
            ReviewError::ExpectedTime => self.err_review_expected,
            ReviewError::NotForReview => self.err_review_not_for_review,
        }
    }

    /// A refused handover of the repair register or of cash (R-FU-5, R-FEE-2).
    pub fn handover_error(&self, e: &HandoverError) -> &'static str {
        match e {
            HandoverError::NotControlCenter => self.err_handover_desk,
            HandoverError::ReceiverRequired => self.err_handover_receiver,
            HandoverError::DayNotOver => self.err_handover_day,
            HandoverError::AlreadyHandedOver => self.err_handover_done,
            HandoverError::NotFinance => self.err_cash_finance,
            HandoverError::NothingToHandOver => self.err_cash_nothing,
        }
    }

    /// A store failure as the window says it (a form keeps what was typed).
    pub fn store_error(&self, e: &StoreError) -> String {
        self.store_error_at(e, Place::Window)
    }

    /// A store failure as said at `place`: the window's form keeps what was
    /// typed; a command has written nothing.
    pub fn store_error_at(&self, e: &StoreError, place: Place) -> String {
        let kept = match place {
            Place::Window => self.err_kept_window,
            Place::CommandLine => self.err_kept_cli,
        };
        match e {
            StoreError::Busy if place == Place::CommandLine => self.cli_err_busy.into(),
            StoreError::ReadOnly(cause) => fill(self.err_read_only, &[("kept", &kept), ("cause", cause)]),
            StoreError::DiskFull(cause) => fill(self.err_disk_full, &[("kept", &kept), ("cause", cause)]),
            StoreError::Folder { dir, cause } => {
                fill(self.err_folder, &[("dir", &dir.display()), ("cause", cause)])
            }
            StoreError::Open { path, source } => {
                fill(self.err_open, &[("path", &path.display()), ("cause", source)])
            }
            StoreError::NewerSchema { found, known } => {
                fill(self.err_newer_schema, &[("found", found), ("known", known)])
            }
            StoreError::NotADatabase(detail) => fill(self.err_not_a_database, &[("cause", detail)]),
            StoreError::Foreign => self.err_foreign_database.into(),
            StoreError::Busy => self.err_busy.into(),
            StoreError::Duplicate("login") => self.err_duplicate_login.into(),
            StoreError::Duplicate(_) => self.err_duplicate_item.into(),
            StoreError::NotFound => self.err_not_found.into(),
            StoreError::Cancelled => self.err_cancelled.into(),
            StoreError::Sqlite(e) => fill(self.err_database, &[("cause", e)]),
            StoreError::Server(cause) => fill(self.err_database, &[("cause", cause)]),
            StoreError::ServerOpen { url, cause, .. } => {
                fill(self.err_server_open, &[("url", url), ("cause", cause)])
            }
            StoreError::ServerEmpty(url) => fill(self.err_server_empty, &[("url", url)]),
            StoreError::OlderServerSchema { found, known, role } => {
                fill(self.err_older_server_schema, &[("found", found), ("known", known), ("role", role)])
            }
            StoreError::TargetNotEmpty(target) => fill(self.err_target_not_empty, &[("target", target)]),
            StoreError::ServerCertificate { url, cause } => {
                fill(self.err_server_certificate, &[("url", url), ("cause", cause)])
            }
            StoreError::ServerLost(cause) => fill(self.err_server_lost, &[("kept", &kept), ("cause", cause)]),
            StoreError::ServerAway => fill(self.err_server_away, &[("kept", &kept)]),
            StoreError::ServerSilent(bound) => {
                fill(self.err_server_silent, &[("kept", &kept), ("s", &bound.as_secs())])
            }
            StoreError::CommitUnconfirmed(cause) => {
                fill(self.err_commit_unconfirmed, &[("kept", &kept), ("cause", cause)])
            }
            StoreError::Unsound { path, fault } => fill(
                self.err_backup_unsound,
                &[("path", &path.display()), ("fault", &self.backup_fault(fault))],
            ),
            StoreError::File { path, cause } => {
                fill(self.err_file, &[("path", &path.display()), ("cause", cause)])
            }
            StoreError::Missing(path) => fill(self.err_db_missing, &[("path", &path.display())]),
            StoreError::Empty(path) => fill(self.err_db_empty, &[("path", &path.display())]),
            StoreError::RestoreOntoItself(path) => {
                fill(self.err_restore_onto_itself, &[("path", &path.display())])
            }
            StoreError::RestoreBusy => self.err_restore_busy.into(),
        }
    }

    pub fn backup_fault(&self, fault: &BackupFault) -> String {
        match fault {
            BackupFault::Unreadable(cause) => fill(self.bk_fault_unreadable, &[("cause", cause)]),
            BackupFault::Damaged(first) => fill(self.bk_fault_damaged, &[("first", first)]),
            BackupFault::NotHomeDesk => self.bk_fault_not_homedesk.into(),
            BackupFault::Newer { found, known } => {
                fill(self.bk_fault_newer, &[("found", found), ("known", known)])
            }
        }
    }

    /// One broken invariant of `check`, in terms an IT person can act on.
    pub fn problem(&self, problem: &Problem) -> String {
        let t = self;
        match problem {
            Problem::Integrity(line) => fill(t.cli_problem_integrity, &[("line", line)]),
            Problem::ForeignKey { table, rowid } => {
                fill(t.cli_problem_foreign_key, &[("table", table), ("rowid", rowid)])
            }
            Problem::RunningNumberGap { kind, year, count, max_seq, last_issued } => fill(
                t.cli_problem_gap,
                &[
                    ("kind", kind),
                    ("year", year),
                    ("count", count),
                    ("max", max_seq),
                    ("issued", last_issued),
                ],
            ),
            Problem::MissingHistory { table, id } => {
                fill(t.cli_problem_history, &[("table", table), ("id", id)])
            }
            Problem::ShoppingGap { no } => {
                fill(t.cli_problem_shopping_gap, &[("no", &crate::domain::shopping_no_text(*no))])
            }
            Problem::TermCount { kind, term, kept, counted } => {
                let register = RegisterKind::from_code(kind).map_or(kind.as_str(), |k| t.kind(k));
                fill(
                    t.cli_problem_term_count,
                    &[("kind", &register), ("term", term), ("kept", kept), ("counted", counted)],
                )
            }
            Problem::HistoryTermCount { term, kept, counted } => fill(
                t.cli_problem_history_term_count,
                &[("term", term), ("kept", kept), ("counted", counted)],
            ),
            Problem::ShoppingTermCount { term, kept, counted } => fill(
                t.cli_problem_shopping_term_count,
                &[("term", term), ("kept", kept), ("counted", counted)],
            ),
            Problem::ChainBroken(link) => t.link_text(t.cli_problem_chain, link, "", 0),
            Problem::RecordChanged { table, id, last } => {
                t.link_text(t.cli_problem_record_changed, last, table, *id)
            }
            Problem::RecordDeleted { table, id, last } => {
                t.link_text(t.cli_problem_record_deleted, last, table, *id)
            }
            Problem::Trigger { name, fault } => {
                let text = match fault {
                    TriggerFault::Missing => t.cli_problem_trigger_missing,
                    TriggerFault::Altered => t.cli_problem_trigger_altered,
                    TriggerFault::Unknown => t.cli_problem_trigger_unknown,
                };
                fill(text, &[("name", name)])
            }
        }
    }

    /// `template` filled with a history row named by `check` — `{hid}`,
    /// `{record}` (its number or name, else its kind and id), `{at}`, `{who}`
    /// — and the record's `{table}` and `{id}`.
    fn link_text(&self, template: &str, link: &Link, table: &str, id: i64) -> String {
        let record = if link.record.is_empty() {
            let kind = Entity::from_code(&link.entity).map_or(link.entity.as_str(), |e| self.entity(e));
            format!("{kind} #{}", link.entity_id)
        } else {
            link.record.clone()
        };
        fill(
            template,
            &[
                ("hid", &link.history_id),
                ("record", &record),
                ("at", &link.at),
                ("who", &link.who),
                ("table", &table),
                ("id", &id),
            ],
        )
    }

    /// A file's size as Windows Explorer writes it, so that the figure the
    /// office sees here is the one its file manager shows (issue 23: a
    /// 119.2 million-byte file read "113.6 MB" here, "119.2 MB" elsewhere):
    /// units of 1024 named KB, MB, GB; three significant digits, cut, not
    /// rounded (`1.30 KB`, `22.9 KB`, `113 MB`); from 1000 of a unit on, the
    /// next unit (`0.98 MB`). Under 1 KB the bytes themselves.
    pub fn file_size(&self, bytes: u64) -> String {
        const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
        if bytes < 1024 {
            return fill(self.size_bytes, &[("n", &bytes)]);
        }
        let bytes = u128::from(bytes);
        let mut unit = 1024_u128;
        let mut name = UNITS[0];
        for next in &UNITS[1..] {
            if bytes < 1000 * unit {
                break;
            }
            unit *= 1024;
            name = next;
        }
        let hundredths = bytes * 100 / unit;
        let figure = match hundredths {
            0..1_000 => format!("{}.{:02}", hundredths / 100, hundredths % 100),
            1_000..10_000 => format!("{}.{}", hundredths / 100, hundredths / 10 % 10),
            _ => (hundredths / 100).to_string(),
        };
        format!("{figure} {name}")
    }

    /// The exact size, digits grouped by three: `119,200,000 字节`.
    pub fn file_size_exact(&self, bytes: u64) -> String {
        let digits = bytes.to_string();
        let mut grouped = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        fill(self.size_bytes, &[("n", &grouped)])
    }

    /// Any use-case failure as one sentence (a form shows field errors itself).
    /// What an agreement lacks when one of its papers is asked for.
    pub fn agreement_paper_missing(&self, paper: AgreementPaper) -> String {
        match paper {
            AgreementPaper::Amendment(n) => fill(self.err_agr_no_amendment, &[("n", &n)]),
            AgreementPaper::Renewal => self.err_agr_no_renewal.into(),
            AgreementPaper::Notice => self.err_agr_no_notice.into(),
            AgreementPaper::Consolidated => self.err_agr_no_consolidated.into(),
        }
    }

    pub fn app_error(&self, e: &AppError) -> String {
        self.app_error_at(e, Place::Window)
    }

    /// [`Texts::app_error`] as said at `place` (see [`Texts::store_error_at`]).
    pub fn app_error_at(&self, e: &AppError, place: Place) -> String {
        match e {
            AppError::Store(e) => self.store_error_at(e, place),
            AppError::Invalid(errors) => match errors.as_slice() {
                [one] => format!("{}：{}", self.field(one.field), self.intake_error(&one.error)),
                _ => self.err_form_has_errors.into(),
            },
            AppError::Staff(e) => match e {
                StaffError::NameRequired => self.err_staff_name.into(),
                StaffError::GroupRequired => self.err_staff_group.into(),
                StaffError::RankRequired => self.err_staff_rank.into(),
                StaffError::LoginHasSpaces => self.err_login_spaces.into(),
                StaffError::BadPhone => self.err_phone.into(),
                StaffError::Name(e) => format!("{}：{}", self.staff_name, self.text_error(e)),
                StaffError::Login(e) => format!("{}：{}", self.login, self.text_error(e)),
            },
            AppError::Office(e) => match e {
                OfficeError::NameRequired => self.err_office_name.into(),
                OfficeError::WindowOutOfRange => self.err_window_range.into(),
                OfficeError::BackupsKeptOutOfRange => self.err_backups_kept_range.into(),
                OfficeError::BadPhone => self.err_phone.into(),
                OfficeError::ServicePhoneRequired => self.err_office_phone_required.into(),
            },
            AppError::PriceItem(e) => match e {
                PriceItemError::CategoryRequired => self.err_price_category.into(),
                PriceItemError::NameRequired => self.err_price_name.into(),
                PriceItemError::UnitRequired => self.err_price_unit.into(),
                PriceItemError::Price(m) => self.money_error(m).into(),
                PriceItemError::Name(e) => format!("{}：{}", self.col_service, self.text_error(e)),
                PriceItemError::Unit(e) => format!("{}：{}", self.price_unit, self.text_error(e)),
            },
            AppError::Resident(ResidentError::NameRequired) => self.err_resident_name.into(),
            AppError::Resident(ResidentError::BadPhone) => self.err_phone.into(),
            AppError::Resident(ResidentError::Name(e)) => {
                format!("{}：{}", self.field_resident, self.text_error(e))
            }
            AppError::Resident(ResidentError::Notes(e)) => {
                format!("{}：{}", self.field_notes, self.text_error(e))
            }
            AppError::Step(e) => self.step_error(e),
            AppError::BadCredentials => self.err_bad_credentials.into(),
            AppError::SignInLocked { login, until, failures } => fill(
                self.err_sign_in_locked,
                &[("login", login), ("n", failures), ("until", &until.format("%H:%M:%S"))],
            ),
            AppError::InactiveUser => self.err_inactive_user.into(),
            AppError::PasswordTooShort => fill(self.err_password_short, &[("n", &MIN_PASSWORD_CHARS)]),
            AppError::AlreadySetUp => self.err_already_set_up.into(),
            AppError::LoginRequired => self.err_login_required.into(),
            AppError::BadRoom => self.err_room.into(),
            AppError::Hashing(cause) => fill(self.err_hashing, &[("cause", cause)]),
            AppError::Print(e) => self.print_error(e),
            AppError::Export(e) => self.export_error(e),
            AppError::Slip(e) => self.slip_error(e),
            AppError::Review(e) => self.review_error(e).into(),
            AppError::Handover(e) => self.handover_error(e).into(),
            AppError::NeedsSupervisor => self.err_needs_supervisor.into(),
            AppError::Revisit(e) => self.revisit_error(e).into(),
            AppError::Report(e) => self.report_error(e).into(),
            AppError::Access(e) => self.access_error(e),
            AppError::Shopping(errors) => match errors.as_slice() {
                [one] => format!("{}：{}", self.shopping_field(one.field), self.shopping_error(&one.error)),
                _ => self.err_form_has_errors.into(),
            },
            AppError::Agreement(errors) => match errors.as_slice() {
                [one] => format!("{}：{}", self.agreement_field(one.field), self.agreement_error(&one.error)),
                _ => self.err_form_has_errors.into(),
            },
            AppError::NoAgreement(no) => fill(self.err_agr_no_such, &[("no", no)]),
            AppError::NoAgreementPaper(paper) => self.agreement_paper_missing(*paper),
            AppError::File { path, cause } => {
                fill(self.err_file, &[("path", &path.display()), ("cause", cause)])
            }
        }
    }

    pub fn export_error(&self, e: &ExportError) -> String {
        match e {
            ExportError::Workbook(cause) => fill(self.err_export_workbook, &[("cause", cause)]),
            ExportError::PeriodReversed { from, to } => {
                fill(self.err_print_period, &[("from", from), ("to", to)])
            }
        }
    }

    pub fn print_error(&self, e: &PrintError) -> String {
        match e {
            PrintError::Font => self.err_print_font.into(),
            PrintError::PeriodReversed { from, to } => {
                fill(self.err_print_period, &[("from", from), ("to", to)])
            }
            PrintError::NoColumns => self.err_print_columns.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::t;

    /// Issue 23: 数据备份 said 113.6 MB for a file other tools called
    /// 119.2 MB. Sizes now read as Windows Explorer's (`StrFormatByteSize`).
    #[test]
    fn file_sizes_read_as_windows_explorer_writes_them() {
        let t = t();
        let cases: [(u64, &str); 9] = [
            (532, "532 字节"),
            (1_340, "1.30 KB"),
            (23_506, "22.9 KB"),
            (1_030_000, "0.98 MB"),
            (2_400_016, "2.28 MB"),
            (119_200_000, "113 MB"),
            (5 * 1024 * 1024, "5.00 MB"),
            (2_400_000_000, "2.23 GB"),
            (1023, "1023 字节"),
        ];
        for (bytes, shown) in cases {
            assert_eq!(t.file_size(bytes), shown, "{bytes} bytes");
        }
        assert_eq!(t.file_size_exact(119_200_000), "119,200,000 字节");
        assert_eq!(t.file_size_exact(999), "999 字节");
    }
}

//! The egui desktop app: the shell (sign-in, first start, tabs, status bar,
//! About box) and one module per tab. Draws from state it keeps; queries run
//! only when data or a filter changes; writes call `app` use cases.
//! Must not: issue SQL, or hold user data outside SQLite.

mod agreement_form;
mod agreement_tab;
mod backup_pane;
mod connection;
mod damaged_start;
mod dispatch_tab;
mod export_job;
mod file_dialog;
mod followup_views;
mod history_tab;
mod import_pane;
mod intake_form;
mod lock;
mod person;
mod poll;
mod print_job;
#[cfg(feature = "probe")]
mod probe;
mod reader_job;
mod register_tab;
mod report_pane;
mod revisit_tab;
mod row_query;
mod settings_tab;
mod shopping_tab;
mod sign_in;
mod start;
mod stats_charts;
mod stats_drill;
mod stats_tab;
mod step_form;
mod todo_tab;
pub mod widgets;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::{FontData, FontDefinitions, FontFamily};
use serde::{Deserialize, Serialize};

use crate::app::{AppError, DailyBackup, HomeDesk};
use crate::domain::{Desk, TodoTarget, User};
use crate::i18n::{fill, t};
use crate::store::{Location, StoreError};

pub use agreement_tab::AgreementTab;
pub use backup_pane::backup_error;
pub use damaged_start::DamagedStart;
pub use dispatch_tab::DispatchTab;
pub use history_tab::HistoryTab;
#[cfg(feature = "probe")]
pub use probe::CountingAlloc;
pub use register_tab::RegisterTab;
pub use revisit_tab::RevisitTab;
pub use row_query::FIRST_ROWS;
pub use settings_tab::SettingsTab;
pub use shopping_tab::ShoppingTab;
pub use sign_in::SignIn;
pub use start::{Outcome as StartOutcome, Place as DataPlace, Start};
pub use stats_tab::StatsTab;

pub use crate::assets::CJK_FONT;

/// Puts the vendored font first for every family; egui's own fonts stay
/// behind it for the symbols it lacks (arrows, emoji).
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert("wqy-microhei".into(), Arc::new(FontData::from_static(CJK_FONT)));
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        fonts.families.entry(family).or_default().insert(0, "wqy-microhei".into());
    }
    ctx.set_fonts(fonts);
}

/// Which tab is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Tab {
    /// 待办: opened at every sign-in (issue 19).
    Todo,
    #[default]
    Register,
    Dispatch,
    Agreements,
    Shopping,
    Revisits,
    Stats,
    History,
    Settings,
}

impl Tab {
    const ALL: [Tab; 9] = [
        Tab::Todo,
        Tab::Register,
        Tab::Dispatch,
        Tab::Agreements,
        Tab::Shopping,
        Tab::Revisits,
        Tab::Stats,
        Tab::History,
        Tab::Settings,
    ];

    /// Every tab a clerk reads, from the register and back to it: the walk
    /// of the benchmark's memory probe and of the real window's
    /// (`HOMEDESK_PROBE_WALK`), so that their numbers compare. Made from
    /// [`Tab::ALL`], so that a new tab joins it: `ALL` after 待办 (which the
    /// walk has never visited: the memory figures of docs/PERFORMANCE.md
    /// compare from session to session without it), then the register again.
    pub const WALK: [Tab; Tab::ALL.len()] = {
        assert!(matches!(Tab::ALL[0], Tab::Todo) && matches!(Tab::ALL[1], Tab::Register));
        let mut walk = [Tab::Register; Tab::ALL.len()];
        let mut i = 1;
        while i < Tab::ALL.len() {
            walk[i - 1] = Tab::ALL[i];
            i += 1;
        }
        walk
    };
}

/// What this PC remembers between runs (window geometry and column widths
/// are kept by eframe and egui themselves).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub tab: Tab,
    pub desk: Option<Desk>,
    pub last_login: String,
    pub register: register_tab::RegisterPrefs,
    pub dispatch: dispatch_tab::DispatchPrefs,
    /// Minutes of inactivity before the screen locks on this PC; `None`:
    /// [`lock::DEFAULT_LOCK_MINUTES`], 0: never.
    pub lock_minutes: Option<u32>,
    /// Each person's zoom on this PC, by login (issue 22).
    pub people: std::collections::BTreeMap<String, person::PersonPrefs>,
}

const PREFS_KEY: &str = "homedesk_prefs";

/// Where a status message was said: the tab and its view (e.g. 派单 ›
/// 现金交接). A message is shown only there (issue 19: "已收 … 的现金" must
/// not stand under 财务结算).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    tab: Tab,
    view: u8,
}

/// The status bar's message, and where it belongs: `None` for the app's
/// own news (the daily backup, visits added), shown on every view. It is
/// forgotten at sign-out: the next person does not read it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Status {
    text: String,
    place: Option<Place>,
}

impl Status {
    fn everywhere(text: String) -> Option<Status> {
        Some(Status { text, place: None })
    }

    fn shown_at(&self, place: Place) -> bool {
        self.place.is_none_or(|at| at == place)
    }
}

/// Tells views whether what they show is stale: it changes on every write
/// from this window and whenever another connection commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataStamp {
    pub own_writes: u64,
    pub data_version: i64,
}

/// Everything a tab needs for one frame.
pub struct TabCtx<'a> {
    pub desk: &'a mut HomeDesk,
    pub user: &'a User,
    pub stamp: DataStamp,
    /// Counts the automatic backups made while the window is open: the
    /// 数据备份 list re-reads the folder when it moves. A backup changes
    /// no data, so it leaves `stamp` alone (issue 23: every view, 统计's
    /// ten years of figures among them, was computed again after it).
    pub backups_made: u64,
    /// Set by a tab after a successful write so every view re-queries.
    pub wrote: bool,
    /// Open printed PDFs in the system viewer (UI tests leave it closed).
    pub open_printed: bool,
    pub status: &'a mut Option<String>,
    /// The last printed file, offered for "save as".
    pub last_printed: &'a mut Option<PathBuf>,
    /// This PC's lock setting (设置 › 本机与密码).
    pub lock_minutes: &'a mut Option<u32>,
    /// Set by 设置 › 本机与密码 › 更换数据位置: the window signs out and
    /// shows the choice of data location (issue 21).
    pub change_location: &'a mut bool,
}

impl TabCtx<'_> {
    pub fn after_write(&mut self, message: String) {
        self.wrote = true;
        *self.status = Some(message);
    }

    /// A finished print: its status line, and the file offered for "save as".
    pub fn printed(&mut self, outcome: Result<print_job::Printed, String>) {
        match outcome {
            Ok(printed) => {
                *self.status = Some(printed.message);
                *self.last_printed = Some(printed.path);
            }
            Err(message) => *self.status = Some(message),
        }
    }
}

/// The whole app's runtime state.
pub struct HomeDeskApp {
    desk: HomeDesk,
    pub prefs: Prefs,
    user: Option<User>,
    sign_in: SignIn,
    register: RegisterTab,
    dispatch: DispatchTab,
    agreements: AgreementTab,
    shopping: ShoppingTab,
    revisits: RevisitTab,
    stats: StatsTab,
    history: HistoryTab,
    settings: SettingsTab,
    todo: todo_tab::TodoTab,
    /// Set at sign-in to the tab shown then: once the person's 待办 is
    /// counted, it opens if anything waits and they are still on that tab.
    todo_opens_from: Option<Tab>,
    /// The day the agreements' visits were last brought up to date (R-DSP-4).
    agreements_kept_on: Option<chrono::NaiveDate>,
    revisit_plan_checked_on: Option<chrono::NaiveDate>,
    stamp: DataStamp,
    backups_made: u64,
    last_poll: Instant,
    status: Option<Status>,
    last_printed: Option<PathBuf>,
    save_as: Option<print_job::SaveAs>,
    about_open: bool,
    open_printed: bool,
    lock: lock::Lock,
    /// The day the automatic backup was last looked at, and its run.
    backup_checked_on: Option<chrono::NaiveDate>,
    daily_backup: Option<backup_pane::Job<Result<DailyBackup, String>>>,
    /// Whether the signed-in person's zoom has been put back (issue 22).
    view_applied: bool,
    /// On a server, the thread that looks for other desks' commits.
    server_poll: Option<poll::ServerPoll>,
    /// 更换数据位置 was clicked: the shell takes the window back.
    change_location: bool,
    /// The server connection's state, and connecting again when it broke.
    connection: connection::Connection,
    /// The tab whose save got no answer to its `COMMIT` (the connection
    /// broke on it), the pass it ran in, and whether a `SaveTurn` ran it:
    /// once connected again and told it was saved, the form that saved in
    /// that pass is closed (or the turn clears what it saved), so that it
    /// cannot be saved twice.
    unconfirmed_from: Option<(Tab, u64, bool)>,
    /// Another desk's commit heard while this desk's connection is broken:
    /// taken once connected again (views do not read a broken connection).
    heard_while_lost: Option<poll::Seen>,
}

/// How often another desk's commits are looked for.
const POLL_EVERY: Duration = Duration::from_secs(1);

impl HomeDeskApp {
    pub fn new(desk: HomeDesk, prefs: Prefs) -> HomeDeskApp {
        let desk = desk.answering_within(connection::SAVE_ANSWER_WITHIN);
        let register = RegisterTab::new(&prefs.register);
        let dispatch = DispatchTab::new(&prefs.dispatch);
        person::start_language(&prefs);
        let sign_in = SignIn::new(&desk, &prefs);
        HomeDeskApp {
            desk,
            prefs,
            user: None,
            sign_in,
            register,
            dispatch,
            agreements: AgreementTab::default(),
            shopping: ShoppingTab::default(),
            revisits: RevisitTab::default(),
            stats: StatsTab::default(),
            history: HistoryTab::default(),
            settings: SettingsTab::default(),
            todo: todo_tab::TodoTab::default(),
            todo_opens_from: None,
            agreements_kept_on: None,
            revisit_plan_checked_on: None,
            stamp: DataStamp::default(),
            backups_made: 0,
            last_poll: Instant::now(),
            status: None,
            last_printed: None,
            save_as: None,
            about_open: false,
            open_printed: true,
            lock: lock::Lock::default(),
            backup_checked_on: None,
            daily_backup: None,
            view_applied: false,
            server_poll: None,
            change_location: false,
            connection: connection::Connection::default(),
            unconfirmed_from: None,
            heard_while_lost: None,
        }
    }

    /// The same app with a first status line (e.g. the restore that opened it).
    pub fn with_status(self, message: String) -> HomeDeskApp {
        HomeDeskApp { status: Status::everywhere(message), ..self }
    }

    /// The same app, leaving printed PDFs unopened (for tests and scripts).
    pub fn without_opening_prints(self) -> HomeDeskApp {
        HomeDeskApp { open_printed: false, ..self }
    }

    /// The same app with `user` signed in already (a user only
    /// [`HomeDesk::sign_in`] hands out): for the benchmark, which times the
    /// password check apart from the screens.
    pub fn signed_in(mut self, user: User, login: &str) -> HomeDeskApp {
        self.enter(user, login.to_string());
        self
    }

    pub fn user(&self) -> Option<&User> {
        self.user.as_ref()
    }

    /// The desk the user signed in at becomes this PC's default.
    fn enter(&mut self, user: User, login: String) {
        // Another person starts on the register, not on the last one's tab.
        if login != self.prefs.last_login {
            self.prefs.tab = Tab::default();
        }
        self.prefs.desk = Some(user.desk);
        self.prefs.last_login = login;
        self.register.on_sign_in(&user);
        self.todo_opens_from = Some(self.prefs.tab);
        self.user = Some(user);
        self.view_applied = false;
    }

    pub fn desk(&self) -> &HomeDesk {
        &self.desk
    }

    /// Whether 更换数据位置 was clicked (once): the window is to show the
    /// choice of data location instead of this office.
    pub fn take_change_location(&mut self) -> bool {
        std::mem::take(&mut self.change_location)
    }

    /// Draws one frame. `eframe::App::ui` and the UI tests both call this.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        self.daily_backup(ui.ctx());
        // Also at the sign-in and lock screens: a server lost there is
        // connected again before the person signs in.
        self.keep_connected(ui.ctx());
        self.poll_data_version(ui.ctx());
        let Some(user) = self.user.clone() else {
            if let Some(user) = self.sign_in.ui(ui, &mut self.desk) {
                let login = self.sign_in.login().to_string();
                self.enter(user, login);
            }
            return;
        };
        person::keep_view(ui.ctx(), &mut self.prefs, &mut self.view_applied, self.sign_in.picked_language());
        let minutes = self.prefs.lock_minutes.unwrap_or(lock::DEFAULT_LOCK_MINUTES);
        if self.lock.watch(ui.ctx(), minutes) {
            let unlock =
                egui::CentralPanel::default().show(ui, |ui| self.lock.ui(ui, &self.desk, &user)).inner;
            if matches!(unlock, lock::Unlock::SignOut) {
                self.sign_out();
            }
            return;
        }
        self.keep_agreements_current(&user);
        self.draw_due_revisit_plan(&user);
        if self.prefs.tab == Tab::History && !user.rank.is_supervisor_or_above() {
            self.prefs.tab = Tab::Register;
        }
        self.todo.refresh(ui.ctx(), &self.desk, &user, self.stamp);
        self.open_todo_once_counted();
        self.top_bar_ui(ui, &user);
        let place = self.place();
        self.status_bar_ui(ui, place);
        // The tab sees (and may replace) only the message said at this place.
        let shown = self.status.as_ref().filter(|s| s.shown_at(place)).map(|s| s.text.clone());
        let mut status = shown.clone();
        // Only a write the tab made marks its form as the one to close once
        // saved: the agreements and revisit plan above write on their own.
        let unconfirmed_before = self.desk.store().unconfirmed_write().is_some();
        let mut tab_ctx = TabCtx {
            desk: &mut self.desk,
            user: &user,
            stamp: self.stamp,
            backups_made: self.backups_made,
            wrote: false,
            open_printed: self.open_printed,
            status: &mut status,
            last_printed: &mut self.last_printed,
            lock_minutes: &mut self.prefs.lock_minutes,
            change_location: &mut self.change_location,
        };
        let mut open = None;
        widgets::window_central_panel(ui).show(ui, |ui| match self.prefs.tab {
            Tab::Todo => open = self.todo.ui(ui, &tab_ctx),
            Tab::Register => self.register.ui(ui, &mut tab_ctx),
            Tab::Dispatch => self.dispatch.ui(ui, &mut tab_ctx),
            Tab::Agreements => self.agreements.ui(ui, &mut tab_ctx),
            Tab::Shopping => self.shopping.ui(ui, &mut tab_ctx),
            Tab::Revisits => self.revisits.ui(ui, &mut tab_ctx),
            Tab::Stats => self.stats.ui(ui, &mut tab_ctx),
            Tab::History => self.history.ui(ui, &mut tab_ctx),
            Tab::Settings => self.settings.ui(ui, &mut tab_ctx),
        });
        if tab_ctx.wrote {
            self.stamp.own_writes += 1;
        }
        if self.unconfirmed_from.is_none()
            && !unconfirmed_before
            && self.desk.store().unconfirmed_write().is_some()
        {
            let pass = ui.ctx().cumulative_pass_nr();
            // Asked now: a later turn's save (a retry refused at once)
            // would hide which pass a turn ran.
            self.unconfirmed_from = Some((place.tab, pass, widgets::turn_ran_in(ui.ctx(), pass)));
        }
        if status != shown {
            self.status = status.map(|text| Status { text, place: Some(place) });
        }
        if let Some(target) = open {
            self.open_record(&target);
        }
        self.prefs.register = self.register.prefs();
        self.prefs.dispatch = self.dispatch.prefs();
        self.about_ui(ui.ctx());
    }

    /// Forgets the user and everything they had open: the next person starts
    /// from clean forms (their filters stay: they belong to this PC).
    fn sign_out(&mut self) {
        self.user = None;
        // Messages and the last print were the person's; the next one
        // starts on the register (issue 19).
        self.status = None;
        self.last_printed = None;
        self.prefs.tab = Tab::default();
        for tab in Tab::ALL {
            self.start_afresh(tab);
        }
        self.sign_in = SignIn::new(&self.desk, &self.prefs);
    }

    /// `tab` as it opens at sign-in: its forms closed, its filters (this
    /// PC's) kept.
    fn start_afresh(&mut self, tab: Tab) {
        match tab {
            Tab::Todo => self.todo = todo_tab::TodoTab::default(),
            Tab::Register => self.register = RegisterTab::new(&self.prefs.register),
            Tab::Dispatch => self.dispatch = DispatchTab::new(&self.prefs.dispatch),
            Tab::Agreements => self.agreements = AgreementTab::default(),
            Tab::Shopping => self.shopping = ShoppingTab::default(),
            Tab::Revisits => self.revisits = RevisitTab::default(),
            Tab::Stats => self.stats = StatsTab::default(),
            Tab::History => self.history = HistoryTab::default(),
            Tab::Settings => self.settings = SettingsTab::default(),
        }
    }

    /// What waits for this person comes first (issue 19): the 待办 tab
    /// opens at sign-in once counted, if anything waits and the person has
    /// not moved to another tab meanwhile.
    fn open_todo_once_counted(&mut self) {
        let (Some(from), Some(count)) = (self.todo_opens_from, self.todo.count()) else { return };
        if count > 0 && self.prefs.tab == from {
            self.prefs.tab = Tab::Todo;
        }
        self.todo_opens_from = None;
    }

    /// A 待办 line clicked: its record in the tab that keeps it.
    fn open_record(&mut self, target: &TodoTarget) {
        let yesterday = self.desk.now().date().pred_opt();
        self.prefs.tab = match target {
            TodoTarget::Agreement(id) => {
                self.agreements.open(*id);
                Tab::Agreements
            }
            TodoTarget::Report(month) => {
                self.stats.open_report(month);
                Tab::Stats
            }
            TodoTarget::Shopping(_) => {
                self.shopping.open_followups();
                Tab::Shopping
            }
            TodoTarget::Slip(_) => {
                self.dispatch.open_view(dispatch_tab::DispatchView::Slips);
                Tab::Dispatch
            }
            TodoTarget::Cash(..) => {
                self.dispatch.open_view(dispatch_tab::DispatchView::Cash);
                Tab::Dispatch
            }
            TodoTarget::Request(id) => {
                self.dispatch.open_row(*id, yesterday);
                Tab::Dispatch
            }
            TodoTarget::Complaint(id) => {
                self.revisits.open_complaint(*id);
                Tab::Revisits
            }
        };
    }

    /// Once a day per session, the running agreements' visits of the coming
    /// days are put on the board (R-DSP-4); running it again adds nothing.
    fn keep_agreements_current(&mut self, user: &User) {
        let today = self.desk.now().date();
        if self.agreements_kept_on == Some(today) {
            return;
        }
        match self.desk.keep_agreements_current(user) {
            Ok(report) => {
                if report.changed() {
                    self.stamp.own_writes += 1;
                }
                if report.visits_added > 0 {
                    self.status =
                        Status::everywhere(fill(t().agr_visits_added, &[("n", &report.visits_added)]));
                }
                // An agreement that failed (e.g. the file was busy) is tried again on the next frame's day check.
                if report.failed == 0 {
                    self.agreements_kept_on = Some(today);
                }
            }
            Err(e) => self.status = Status::everywhere(t().app_error(&e)),
        }
    }

    /// Once a day per session, last month's revisit plan is drawn if no
    /// desk has drawn it yet (R-RV-1): the CS center finds it waiting.
    fn draw_due_revisit_plan(&mut self, user: &User) {
        let today = self.desk.now().date();
        if self.revisit_plan_checked_on == Some(today) {
            return;
        }
        self.revisit_plan_checked_on = Some(today);
        match self.desk.draw_due_revisit_plan(user) {
            Ok(Some(plan)) => {
                self.stamp.own_writes += 1;
                self.status = Status::everywhere(fill(t().rv_drawn, &[("n", &plan.rows.len())]));
            }
            Ok(None) => {}
            Err(e) => self.status = Status::everywhere(t().app_error(&e)),
        }
    }

    /// The first start of a day backs the file up on a worker thread (from a
    /// read-only handle: the window keeps drawing); the outcome goes to the
    /// status bar. An office not set up yet has nothing to back up.
    fn daily_backup(&mut self, ctx: &egui::Context) {
        if let Some(done) = self.daily_backup.as_ref().and_then(backup_pane::Job::poll) {
            self.daily_backup = None;
            let t = t();
            match done {
                Some(Ok(DailyBackup::Made { file, .. })) => {
                    // The 数据备份 list re-reads the folder; no view's data changed.
                    self.backups_made += 1;
                    // A clerk's own message stays; the backup only fills a quiet bar.
                    if self.status.is_none() {
                        self.status =
                            Status::everywhere(fill(t.bk_daily_done, &[("path", &file.path.display())]));
                    }
                }
                Some(Ok(DailyBackup::AlreadyDone | DailyBackup::OnServer)) => {}
                Some(Err(cause)) => {
                    self.status = Status::everywhere(fill(t.bk_daily_failed, &[("cause", &cause)]))
                }
                None => self.status = Status::everywhere(fill(t.bk_daily_failed, &[("cause", &"")])),
            }
        }
        let today = self.desk.now().date();
        if self.backup_checked_on == Some(today) || self.daily_backup.is_some() {
            return;
        }
        self.backup_checked_on = Some(today);
        if !self.desk.store().is_set_up().unwrap_or(false) {
            return;
        }
        match self.desk.reader() {
            Ok(reader) => {
                self.daily_backup = Some(backup_pane::Job::start(ctx, move || {
                    reader.daily_backup_if_due().map_err(|e| backup_pane::backup_error(&reader.path(), &e))
                }));
            }
            Err(e) => {
                self.status = Status::everywhere(fill(t().bk_daily_failed, &[("cause", &t().app_error(&e))]));
            }
        }
    }

    /// Another desk's commit changes `PRAGMA data_version`; checked once a
    /// second. On a server a worker thread asks (`poll.rs` says why) and
    /// tells when its connection broke; so does the desk's own connection
    /// once the driver has seen it close. Either way the desk's connection is
    /// made again in the background ([`connection`]), and not asked meanwhile.
    fn poll_data_version(&mut self, ctx: &egui::Context) {
        if let Some(poll) = &self.server_poll {
            for heard in poll.heard() {
                match heard {
                    // Read once connected again: a view that read the broken
                    // connection would show nothing, and grow back a frame after.
                    poll::Heard::Seen(seen) if self.connection.is_lost() => {
                        self.heard_while_lost = Some(seen)
                    }
                    poll::Heard::Seen(seen) => self.take_seen(seen),
                    // The desk's own connection goes too: a save is then
                    // refused at once, not left to wait for the network.
                    poll::Heard::Lost => {
                        self.desk.store().mark_connection_lost();
                        self.connection.lost();
                    }
                }
            }
            if self.desk.store().connection_broken() {
                self.connection.lost();
            }
            return;
        }
        let location = self.desk.location();
        if location.is_server() {
            self.server_poll = Some(poll::ServerPoll::start(location, POLL_EVERY, ctx));
            return;
        }
        if self.last_poll.elapsed() >= POLL_EVERY {
            self.last_poll = Instant::now();
            if let Ok(version) = self.desk.store().data_version()
                && version != self.stamp.data_version
            {
                self.stamp.data_version = version;
                let replaced = self.desk.store().replaced().unwrap_or(false);
                self.reload_if_restored(replaced);
            }
        }
        ctx.request_repaint_after(POLL_EVERY);
    }

    /// Another desk's commit (or a restore) the poller saw.
    fn take_seen(&mut self, seen: poll::Seen) {
        if seen.data_version != self.stamp.data_version {
            self.stamp.data_version = seen.data_version;
            self.reload_if_restored(seen.replaced);
        }
    }

    /// While the server connection is broken, connects again in the
    /// background; once back, every view re-queries on the new connection
    /// and the forms keep what was typed — but the form whose save the new
    /// connection says was saved after all is closed: saving it again would
    /// file it twice.
    fn keep_connected(&mut self, ctx: &egui::Context) {
        let Some(back) = self.connection.poll(ctx, &mut self.desk) else { return };
        self.status = Status::everywhere(back.message);
        self.stamp.own_writes += 1;
        if let Some(seen) = self.heard_while_lost.take() {
            self.take_seen(seen);
        }
        if let Some((tab, pass, by_turn)) = self.unconfirmed_from.take()
            && back.unconfirmed_saved
        {
            self.close_form_saved_in(ctx, tab, pass, by_turn);
        }
    }

    /// Closes the form of `tab` whose save ran in the pass `pass` and
    /// proved committed, leaving the tab's selection, lists and other
    /// forms. A save made outside a modal form (a pane of 设置, a revisit
    /// typed in 回访, the follow-up views) clears only what it saved, when
    /// next drawn ([`widgets::SaveTurn`]; `by_turn`: one ran it). A write no
    /// save button made would start its tab afresh (its filters kept), so
    /// that nothing saved can be saved twice.
    fn close_form_saved_in(&mut self, ctx: &egui::Context, tab: Tab, pass: u64, by_turn: bool) {
        let closed = match tab {
            Tab::Register => self.register.close_form_saved_in(pass),
            Tab::Dispatch => self.dispatch.close_form_saved_in(pass),
            Tab::Agreements => self.agreements.close_form_saved_in(pass),
            Tab::Shopping => self.shopping.close_form_saved_in(pass),
            _ => false,
        };
        if by_turn {
            widgets::prove_saved(ctx, pass);
        }
        if !closed && !by_turn {
            self.start_afresh(tab);
        }
    }

    /// A restore through another window or PC replaced the file: open it
    /// again (an older backup's schema is brought up to date) and have every
    /// view re-query; what the clerk typed stays in the forms.
    fn reload_if_restored(&mut self, replaced: bool) {
        if !replaced {
            return;
        }
        self.status = Status::everywhere(match self.desk.reopen() {
            Ok(()) => t().ui_restored_elsewhere.to_string(),
            Err(e) => t().app_error(&e),
        });
        self.stamp.own_writes += 1;
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui, user: &User) {
        let t = t();
        egui::Panel::top("top_bar").frame(widgets::window_bar_frame(ui)).show(ui, |ui| {
            // Wrapped: at 150 % on a laptop screen the person's name and the
            // buttons go to a second line instead of over the tabs (issue 22).
            ui.horizontal_wrapped(|ui| {
                ui.heading(t.app_title);
                ui.separator();
                let todo = match self.todo.count() {
                    Some(n) if n > 0 => fill(t.tab_todo_count, &[("n", &n)]),
                    _ => t.tab_todo.to_string(),
                };
                ui.selectable_value(&mut self.prefs.tab, Tab::Todo, todo);
                ui.selectable_value(&mut self.prefs.tab, Tab::Register, t.tab_register);
                ui.selectable_value(&mut self.prefs.tab, Tab::Dispatch, t.tab_dispatch);
                ui.selectable_value(&mut self.prefs.tab, Tab::Agreements, t.tab_agreements);
                ui.selectable_value(&mut self.prefs.tab, Tab::Shopping, t.tab_shopping);
                ui.selectable_value(&mut self.prefs.tab, Tab::Revisits, t.tab_revisits);
                ui.selectable_value(&mut self.prefs.tab, Tab::Stats, t.tab_stats);
                // R-FU-6: everyone's changes are for a supervisor or above to read.
                if user.rank.is_supervisor_or_above() {
                    ui.selectable_value(&mut self.prefs.tab, Tab::History, t.tab_history);
                }
                ui.selectable_value(&mut self.prefs.tab, Tab::Settings, t.tab_settings);
                ui.separator();
                // Whole: a name broken over two lines reads as two labels.
                let who = fill(
                    t.signed_in_as,
                    &[("name", &user.name), ("rank", &t.rank(user.rank)), ("desk", &t.desk(user.desk))],
                );
                ui.add(egui::Label::new(who).wrap_mode(egui::TextWrapMode::Extend));
                if ui.button(t.about).clicked() {
                    self.about_open = true;
                }
                if ui.button(t.sign_out).clicked() {
                    self.sign_out();
                }
            });
        });
    }

    /// The tab and view open now, where a message said now belongs.
    fn place(&self) -> Place {
        let view = match self.prefs.tab {
            Tab::Dispatch => self.dispatch.prefs().view as u8,
            Tab::Settings => self.settings.section_key(),
            _ => 0,
        };
        Place { tab: self.prefs.tab, view }
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui, place: Place) {
        if let Some(save_as) = &mut self.save_as {
            let (line, over) = save_as.ui(ui.ctx());
            if over {
                self.save_as = None;
            }
            if let Some(text) = line {
                self.status = Some(Status { text, place: Some(place) });
            }
        }
        let server = self.desk.location().is_server();
        egui::Panel::bottom("status_bar").frame(widgets::window_bar_frame(ui)).show(ui, |ui| {
            ui.horizontal(|ui| {
                if server {
                    self.connection.ui(ui);
                }
                ui.label(egui::RichText::new(self.desk.location().to_string()).small().weak());
                if let Some(status) = self.status.as_ref().filter(|s| s.shown_at(place)) {
                    ui.separator();
                    ui.label(&status.text);
                }
                if let Some(printed) = &self.last_printed
                    && self.save_as.is_none()
                    && ui.small_button(t().save_as).clicked()
                {
                    self.save_as = Some(print_job::SaveAs::start(printed.clone(), ui.ctx().clone()));
                }
            });
        });
    }

    fn about_ui(&mut self, ctx: &egui::Context) {
        if !self.about_open {
            return;
        }
        let t = t();
        let response = egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
            ui.heading(t.about_title);
            egui::Grid::new("about_grid").num_columns(2).show(ui, |ui| {
                ui.label(t.about_version);
                ui.label(crate::build_info::long_version());
                ui.end_row();
                ui.label(t.about_database);
                ui.label(self.desk.location().to_string());
                ui.end_row();
            });
            ui.button(t.close).clicked()
        });
        if response.inner || response.should_close() {
            self.about_open = false;
        }
    }
}

impl eframe::App for HomeDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        widgets::window_clear_color(visuals)
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }
}

/// What the window shows: the office, the damaged-file screen until a
/// backup has been restored, or the screens of where the office is
/// (`start.rs`: the first start's choice, connecting, a failed connection).
enum View {
    Open(Box<HomeDeskApp>),
    Damaged(Box<(damaged_start::DamagedStart, Prefs)>),
    Start(Box<(start::Start, Prefs)>),
}

/// The window: its view, and this PC's choice of data location to keep.
struct Shell {
    view: View,
    place: Option<start::Place>,
}

impl View {
    /// The office file at `path`, opened as `--db FILE` opens it; a file
    /// that would not open at all shows its reason with 重试 and 更换数据位置.
    fn of_file(path: PathBuf, prefs: Prefs) -> View {
        match open_file(&path) {
            Ok(opened) => View::opened(path, opened, prefs),
            Err(reason) => {
                View::Start(Box::new((start::Start::file_failed(path, reason, start::default_file()), prefs)))
            }
        }
    }

    fn opened(path: PathBuf, opened: Result<HomeDesk, String>, prefs: Prefs) -> View {
        match opened {
            Ok(desk) => View::Open(Box::new(HomeDeskApp::new(desk, prefs))),
            Err(cause) => View::Damaged(Box::new((damaged_start::DamagedStart::new(path, cause), prefs))),
        }
    }
}

impl eframe::App for Shell {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        match &mut self.view {
            View::Open(app) => {
                app.ui_root(ui);
                if app.take_change_location() {
                    let here = app.desk().location();
                    let prefs = std::mem::take(&mut app.prefs);
                    let start = start::Start::change_from(&here, start::default_file());
                    self.view = View::Start(Box::new((start, prefs)));
                }
            }
            View::Damaged(damaged) => {
                let (screen, prefs) = &mut **damaged;
                if let Some((desk, status)) = screen.ui(ui) {
                    let app = HomeDeskApp::new(desk, std::mem::take(prefs)).with_status(status);
                    self.view = View::Open(Box::new(app));
                }
            }
            View::Start(started) => {
                let (screen, prefs) = &mut **started;
                let outcome = screen.ui(ui);
                if let Some(place) = screen.take_chosen() {
                    self.place = Some(place);
                }
                match outcome {
                    Some(start::Outcome::File(path)) => {
                        self.view = View::of_file(path, std::mem::take(prefs))
                    }
                    Some(start::Outcome::Server(desk)) => {
                        self.view = View::Open(Box::new(HomeDeskApp::new(*desk, std::mem::take(prefs))));
                    }
                    None => {}
                }
            }
        }
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        widgets::window_clear_color(visuals)
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let View::Open(app) = &self.view {
            eframe::set_value(storage, PREFS_KEY, &app.prefs);
        }
        if let Some(place) = &self.place {
            eframe::set_value(storage, start::PLACE_KEY, place);
        }
    }
}

/// Opens the office file at `db` (creating it at the first start, no file
/// yet); `Ok(Err(cause))` for a file that is damaged or not a database,
/// shown on the damaged-file screen; `Err` for any other failure.
fn open_file(db: &std::path::Path) -> Result<Result<HomeDesk, String>, String> {
    // Only the first start (no file yet) makes an office: an empty file is
    // shown as one that cannot be opened, with the latest good backup.
    let opened = if db.exists() { HomeDesk::open_existing(db) } else { HomeDesk::open(db) };
    match opened {
        Ok(desk) => Ok(Ok(desk)),
        Err(AppError::Store(StoreError::NotADatabase(detail))) => Ok(Err(detail)),
        Err(e @ AppError::Store(StoreError::Empty(_))) => Ok(Err(t().app_error(&e))),
        Err(e) => Err(t().app_error(&e)),
    }
}

/// The title bar's and the taskbar's 居 icon.
fn window_icon() -> Arc<egui::IconData> {
    let icon =
        eframe::icon_data::from_png_bytes(crate::assets::ICON_PNG).expect("the icon compiled in is a PNG");
    Arc::new(icon)
}

/// Keeps the window's memory in 4 KiB pages (Linux; elsewhere nothing to
/// do): mimalloc asks for transparent huge pages on its arena, so every
/// 2 MiB of it that one small block touched was resident whole, and pages
/// it gave back within such a region stayed resident. On the ten-year
/// office's real window (llvmpipe) the peak after every tab fell from
/// 164–171 MB to 143–147 MB with huge pages off (issue 23, docs/PERFORMANCE.md).
/// `PR_SET_THP_DISABLE` is the process's: Mesa's and SQLite's memory keep
/// small pages too. Only the window: the commands' bulk work (the demo
/// office) keeps the system's choice. Returns whether it is now so.
pub fn no_transparent_huge_pages() -> bool {
    #[cfg(target_os = "linux")]
    {
        const PR_SET_THP_DISABLE: std::ffi::c_int = 41;
        unsafe extern "C" {
            fn prctl(option: std::ffi::c_int, ...) -> std::ffi::c_int;
        }
        // SAFETY: prctl(2) with an option that takes four unsigned longs
        // (the flag, then zeros) and touches no memory of ours.
        let set = unsafe {
            prctl(
                PR_SET_THP_DISABLE,
                1 as std::ffi::c_ulong,
                0 as std::ffi::c_ulong,
                0 as std::ffi::c_ulong,
                0 as std::ffi::c_ulong,
            )
        };
        set == 0
    }
    #[cfg(not(target_os = "linux"))]
    true
}

/// Opens the GUI (issue 21): on `given` (`--db`), else on this PC's saved
/// choice, else on its default data file if there is one, else on the
/// first start's choice between a file and the office's server. A file
/// named by `--db` is opened before the window, and its failure is the
/// command line's; a file that is damaged or not a database opens the
/// damaged-file screen instead, which touches nothing unless asked to
/// restore a backup. A server is connected to inside the window, off its
/// UI thread ("正在连接…").
pub fn run(given: Option<Location>) -> Result<(), String> {
    let early = match &given {
        Some(Location::File(db)) => Some((db.clone(), open_file(db)?)),
        _ => None,
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(t().app_title)
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([960.0, 600.0])
            .with_icon(window_icon()),
        // Dithering adds noise below one step of 8-bit colour to every pixel
        // drawn: invisible on this flat UI, and a tenth of the drawing on a PC
        // whose OpenGL is software (issue 23, docs/PERFORMANCE.md).
        dithering: false,
        ..Default::default()
    };
    #[cfg(feature = "probe")]
    let options = probe::options_from_env(options);
    eframe::run_native(
        "HomeDesk",
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            // Paper-like and the same on every PC, whatever the system theme.
            cc.egui_ctx.set_theme(egui::Theme::Light);
            let prefs = cc.storage.and_then(|s| eframe::get_value(s, PREFS_KEY)).unwrap_or_default();
            let saved = cc.storage.and_then(|s| eframe::get_value(s, start::PLACE_KEY));
            let view = match early {
                Some((db, opened)) => View::opened(db, opened, prefs),
                None => match start::plan(given, saved, start::default_file()) {
                    start::Plan::File(path) => View::of_file(path, prefs),
                    start::Plan::Start(screen) => View::Start(Box::new((*screen, prefs))),
                },
            };
            let shell = Shell { view, place: None };
            #[cfg(feature = "probe")]
            let app = probe::Probed::wrap(shell);
            #[cfg(not(feature = "probe"))]
            let app: Box<dyn eframe::App> = Box::new(shell);
            Ok(app)
        }),
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    /// Issue 23: the daily backup changes no data, yet it marked every
    /// view's data as changed, and 统计 computed its figures of ten years
    /// again (greyed, a second after signing in). It moves only the count
    /// by which the 数据备份 list reads the folder again.
    #[test]
    fn the_daily_backup_changes_no_views_data() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut desk =
            crate::app::HomeDesk::open(&dir.path().join("east.db")).unwrap_or_else(|e| panic!("{e:?}"));
        desk.set_up_office("东区管理处", "王建林", "wangjl", "demo-1234").unwrap_or_else(|e| panic!("{e:?}"));
        let mut app = super::HomeDeskApp::new(desk, super::Prefs::default());
        let ctx = egui::Context::default();
        let before = app.stamp;
        for _ in 0..500 {
            app.daily_backup(&ctx);
            if app.backups_made > 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(app.backups_made, 1, "the backup was made: {:?}", app.status.as_ref().map(|s| &s.text));
        assert_eq!(app.stamp, before, "no view is to read its data again");
        assert_eq!(app.desk.list_backups().map(|b| b.len()).ok(), Some(1), "the list has it to show");
    }

    /// The memory walk (benchmark and real window) is made from `Tab::ALL`:
    /// from the register through every tab but 待办, in the tab bar's
    /// order, and back to the register, as the hand-kept list was.
    #[test]
    fn the_memory_walk_visits_every_tab_but_todo_from_the_register_back_to_it() {
        use super::Tab;
        let (first, rest) = Tab::WALK.split_first().expect("a walk");
        let (last, between) = rest.split_last().expect("a walk of more than one tab");
        assert_eq!((*first, *last), (Tab::Register, Tab::Register), "{:?}", Tab::WALK);
        let others: Vec<Tab> =
            Tab::ALL.into_iter().filter(|tab| !matches!(tab, Tab::Todo | Tab::Register)).collect();
        assert_eq!(between, others.as_slice(), "the other tabs, once each, in the tab bar's order");
    }

    /// Issue 23: the window's memory is not kept in transparent huge pages
    /// (mimalloc's arena in 2 MiB pages held 20 MB more than it used).
    #[cfg(target_os = "linux")]
    #[test]
    fn the_window_process_uses_no_transparent_huge_pages() {
        assert!(super::no_transparent_huge_pages(), "prctl(PR_SET_THP_DISABLE) refused");
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        // Kernels before 6.x do not show the flag: the call's success is then all there is to see.
        if let Some(thp) = status.lines().find_map(|l| l.strip_prefix("THP_enabled:")).map(str::trim) {
            assert_eq!(thp, "0", "the kernel's view of this process");
        }
    }

    /// The window icon decodes from the PNG compiled in, at the size drawn.
    #[test]
    fn the_window_icon_is_the_256_pixel_square_of_assets_icon() {
        let icon = super::window_icon();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }
}

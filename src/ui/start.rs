//! Where the office is (issue 21): the first start's choice between a data
//! file on this PC and the office's server (with a connection test), the
//! "正在连接…" screen while a server is reached off the UI thread, and a
//! failed connection's reason in the clerk's words with 重试 and 更换数据位置.
//!
//! What the PC chose is kept in eframe's storage under [`PLACE_KEY`], beside
//! the [`super::Prefs`] and not in them; the server's password only when
//! 记住密码 was ticked. The server's form also says how the connection is
//! encrypted (加密方式, libpq's `sslmode`) and, to check the server's
//! certificate, which certificate file (`sslrootcert`) signed it. A
//! password is never shown: the screens show the server's URL through
//! `redact_url`.
//! Must not: issue SQL (the store connects; `app` opens), or block the UI
//! thread on the network.

use std::path::PathBuf;

use egui::RichText;
use serde::{Deserialize, Serialize};

use super::backup_pane::Job;
use super::file_dialog::{self, Picked};
use super::widgets::{FIELD_WIDTH, error_cell, form_combo, password_row, text_row};
use crate::app::{self, AppError, HomeDesk};
use crate::i18n::{Texts, fill, t};
use crate::store::{Encryption, Location, ServerAddress, ServerFault, StoreError, redact_url};

/// The eframe storage key of this PC's [`Place`].
pub const PLACE_KEY: &str = "homedesk_data_place";

/// What this PC chose at its first start (or since, 更换数据位置).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Place {
    File(PathBuf),
    /// `address.password` is empty unless `remembered`; a server that
    /// needs no password is remembered with an empty one.
    Server {
        address: ServerAddress,
        remembered: bool,
    },
}

/// How the window starts, from `--db`, the PC's choice and its default file.
pub enum Plan {
    /// A file: opened on the UI thread as before issue 21 (it is local).
    File(PathBuf),
    /// A screen of this module first.
    Start(Box<Start>),
}

/// `--db` first, then the PC's saved choice; with neither, a PC that has
/// the default data file already uses it (as before issue 21); any other
/// PC is at its first start and is offered both.
pub fn plan(given: Option<Location>, saved: Option<Place>, default_file: Option<PathBuf>) -> Plan {
    match (given, saved) {
        (Some(Location::File(path)), _) => Plan::File(path),
        (Some(Location::Server(url)), _) => Plan::Start(Box::new(Start::connect(url, default_file))),
        (None, Some(Place::File(path))) => Plan::File(path),
        (None, Some(Place::Server { address, remembered: true })) => {
            Plan::Start(Box::new(Start::connect(address.url(), default_file)))
        }
        (None, Some(Place::Server { address, remembered: false })) => {
            let mut start = Start::choose(default_file, Some(address));
            start.form.note = Some(t().loc_password_needed);
            Plan::Start(Box::new(start))
        }
        (None, None) => match default_file {
            Some(path) if path.exists() => Plan::File(path),
            default_file => Plan::Start(Box::new(Start::choose(default_file, None))),
        },
    }
}

/// What the start screens end with.
pub enum Outcome {
    /// The file to open (the shell opens it as it opens `--db FILE`).
    File(PathBuf),
    /// The office on its server, connected.
    Server(Box<HomeDesk>),
}

/// The start screens' state.
pub struct Start {
    screen: Screen,
    form: ChoiceForm,
    /// A choice made on the form, for the shell to keep in storage.
    chosen: Option<Place>,
}

enum Screen {
    Choose,
    /// The job starts on the first frame drawn (it needs the context).
    Connecting {
        url: String,
        job: Option<Job<Result<HomeDesk, AppError>>>,
    },
    Failed {
        shown: String,
        reason: String,
        retry: Location,
    },
}

impl Start {
    /// The choice screen, on the server's fields of `address` if given.
    pub fn choose(default_file: Option<PathBuf>, address: Option<ServerAddress>) -> Start {
        Start { screen: Screen::Choose, form: ChoiceForm::new(default_file, address), chosen: None }
    }

    /// Connects to the server at `url` at once ("正在连接…").
    pub fn connect(url: String, default_file: Option<PathBuf>) -> Start {
        let address = ServerAddress::from_url(&url);
        Start {
            screen: Screen::Connecting { url, job: None },
            form: ChoiceForm::new(default_file, address),
            chosen: None,
        }
    }

    /// The failed screen for a file that would not open: its reason, 重试
    /// and 更换数据位置.
    pub fn file_failed(path: PathBuf, reason: String, default_file: Option<PathBuf>) -> Start {
        let screen =
            Screen::Failed { shown: path.display().to_string(), reason, retry: Location::File(path) };
        Start { screen, form: ChoiceForm::new(default_file, None), chosen: None }
    }

    /// The choice screen reached from 设置 › 本机与密码 › 数据位置, on the
    /// location open now.
    pub fn change_from(current: &Location, default_file: Option<PathBuf>) -> Start {
        let mut start = Start::choose(default_file, None);
        if let Location::Server(url) = current {
            start.form.kind = Kind::Server;
            start.form.load(ServerAddress::from_url(url));
        }
        start
    }

    /// The choice made on the form, once (the shell keeps it in storage).
    pub fn take_chosen(&mut self) -> Option<Place> {
        self.chosen.take()
    }

    /// Draws the screen; the office to open once there is one.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Outcome> {
        let ctx = ui.ctx().clone();
        egui::CentralPanel::default()
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .show(ui, |ui| {
                        ui.add_space(24.0);
                        match &mut self.screen {
                            Screen::Choose => self.choose_ui(ui),
                            Screen::Connecting { url, job } => {
                                let job = job.get_or_insert_with(|| connect_job(&ctx, url.clone()));
                                let done = job.poll();
                                connecting_ui(ui, url);
                                done.and_then(|done| self.connected(done))
                            }
                            Screen::Failed { shown, reason, retry } => {
                                let (retry, change) = failed_ui(ui, shown, reason, retry.is_server());
                                if retry {
                                    return self.retry();
                                }
                                if change {
                                    self.screen = Screen::Choose;
                                }
                                None
                            }
                        }
                    })
                    .inner
            })
            .inner
    }

    /// A connection job's end: the office, or the failed screen.
    fn connected(&mut self, done: Option<Result<HomeDesk, AppError>>) -> Option<Outcome> {
        let Screen::Connecting { url, .. } = &self.screen else { return None };
        let url = url.clone();
        match done {
            Some(Ok(desk)) => Some(Outcome::Server(Box::new(desk))),
            Some(Err(e)) => {
                self.fail(&url, reason(&e, &url));
                None
            }
            // The worker died: nothing to say but that it did not connect.
            None => {
                self.fail(&url, t().loc_failed_title.to_string());
                None
            }
        }
    }

    fn fail(&mut self, url: &str, reason: String) {
        let shown = redact_url(url);
        self.screen = Screen::Failed { shown, reason, retry: Location::Server(url.to_string()) };
    }

    fn retry(&mut self) -> Option<Outcome> {
        let Screen::Failed { retry, .. } = &self.screen else { return None };
        match retry.clone() {
            Location::File(path) => Some(Outcome::File(path)),
            Location::Server(url) => {
                self.screen = Screen::Connecting { url, job: None };
                None
            }
        }
    }

    fn choose_ui(&mut self, ui: &mut egui::Ui) -> Option<Outcome> {
        let chosen = self.form.ui(ui)?;
        match chosen {
            Place::File(path) => {
                self.chosen = Some(Place::File(path.clone()));
                Some(Outcome::File(path))
            }
            Place::Server { address, remembered } => {
                let url = address.url();
                let kept = if remembered { address } else { address.without_password() };
                self.chosen = Some(Place::Server { address: kept, remembered });
                self.screen = Screen::Connecting { url, job: None };
                None
            }
        }
    }
}

/// Opens the office on the server on a worker thread: connecting may take
/// seconds, or the connect timeout.
fn connect_job(ctx: &egui::Context, url: String) -> Job<Result<HomeDesk, AppError>> {
    Job::start(ctx, move || HomeDesk::open_existing_at(&Location::Server(url)))
}

fn connecting_ui(ui: &mut egui::Ui, url: &str) {
    ui.vertical_centered(|ui| {
        ui.add(egui::Spinner::new().size(32.0));
        ui.add_space(8.0);
        ui.heading(t().loc_connecting);
        ui.label(RichText::new(redact_url(url)).weak());
    });
}

/// The failed screen; which of 重试 and 更换数据位置 was clicked.
fn failed_ui(ui: &mut egui::Ui, shown: &str, reason: &str, server: bool) -> (bool, bool) {
    let t = t();
    ui.heading(if server { t.loc_failed_title } else { t.loc_place_section });
    ui.add_space(8.0);
    ui.label(RichText::new(shown).weak());
    ui.add_space(8.0);
    ui.label(RichText::new(reason).color(ui.visuals().error_fg_color));
    ui.add_space(12.0);
    ui.horizontal(|ui| (ui.button(t.loc_retry).clicked(), ui.button(t.loc_change).clicked())).inner
}

/// A failed connection in the clerk's words: what to check, or whom to ask.
fn reason(e: &AppError, url: &str) -> String {
    let t = t();
    let address = ServerAddress::from_url(url).unwrap_or_default();
    match e {
        AppError::Store(StoreError::ServerOpen { fault, cause, .. }) => match fault {
            ServerFault::Password => fill(t.loc_why_password, &[("user", &address.user)]),
            ServerFault::Refused => fill(t.loc_why_refused, &[("user", &address.user)]),
            ServerFault::NoDatabase => fill(t.loc_why_no_database, &[("database", &address.database)]),
            ServerFault::Unreachable => fill(
                t.loc_why_unreachable,
                &[("host", &address.host), ("port", &address.port), ("cause", cause)],
            ),
            ServerFault::Other => t.app_error(e),
        },
        AppError::Store(StoreError::ServerEmpty(_)) => fill(t.loc_why_empty, &[("url", &redact_url(url))]),
        AppError::Store(StoreError::ServerCertificate { cause, .. }) => {
            fill(t.loc_why_certificate, &[("host", &address.host), ("cause", cause)])
        }
        _ => t.app_error(e),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Server,
}

/// The choice form: the file or the server's fields, and the connection test.
struct ChoiceForm {
    kind: Kind,
    default_file: Option<PathBuf>,
    address: ServerAddress,
    port: String,
    remember: bool,
    /// Why the form is shown again (the password is to be typed).
    note: Option<&'static str>,
    test: Option<Job<Result<Option<String>, AppError>>>,
    /// The last test's words, and the address it was for.
    tested: Option<(ServerAddress, Result<String, String>)>,
    /// The certificate file's open dialog, while it is open.
    pick: Option<Job<Picked>>,
    /// The dialog could not open: the path is to be typed.
    no_dialog: bool,
    /// The certificate path last looked for, and whether it was a file.
    cert_seen: std::cell::RefCell<Option<(String, bool)>>,
}

impl ChoiceForm {
    fn new(default_file: Option<PathBuf>, address: Option<ServerAddress>) -> ChoiceForm {
        let kind = if default_file.is_some() && address.is_none() { Kind::File } else { Kind::Server };
        let mut form = ChoiceForm {
            kind,
            default_file,
            address: ServerAddress::default(),
            port: String::new(),
            remember: false,
            note: None,
            test: None,
            tested: None,
            pick: None,
            no_dialog: false,
            cert_seen: Default::default(),
        };
        form.load(address);
        form
    }

    fn load(&mut self, address: Option<ServerAddress>) {
        if let Some(address) = address {
            self.remember = !address.password.is_empty();
            self.address = address;
        }
        self.port = self.address.port.to_string();
    }

    /// The address typed, if whole: a host, a port, and the certificate
    /// file when the server's certificate is to be checked.
    fn typed(&self) -> Option<ServerAddress> {
        let port = self.port.trim().parse::<u16>().ok().filter(|p| *p > 0)?;
        let whole = !self.address.host.trim().is_empty() && self.cert_error(t()).is_none();
        whole.then(|| ServerAddress { port, ..self.address.clone() })
    }

    /// Whether the certificate file is there, looked at once per path typed:
    /// asked every frame, and a path on an unreachable share would hold the
    /// window for the network's timeout each time.
    fn cert_file_exists(&self, path: &str) -> bool {
        let mut seen = self.cert_seen.borrow_mut();
        match &*seen {
            Some((seen_path, exists)) if seen_path == path => *exists,
            _ => {
                let exists = std::path::Path::new(path).is_file();
                *seen = Some((path.to_string(), exists));
                exists
            }
        }
    }

    /// What is wrong with the certificate file's field, when the encryption
    /// chosen checks the server's certificate against it.
    fn cert_error(&self, t: &'static Texts) -> Option<&'static str> {
        let path = self.address.root_cert.trim();
        match self.address.encryption.checks_certificate() {
            false => None,
            true if path.is_empty() => Some(t.loc_cert_required),
            true if !self.cert_file_exists(path) => Some(t.loc_cert_missing),
            true => None,
        }
    }

    /// Draws the form; the place chosen when 开始使用 is clicked.
    fn ui(&mut self, ui: &mut egui::Ui) -> Option<Place> {
        let t = t();
        ui.heading(t.loc_choose_title);
        ui.label(RichText::new(t.loc_choose_intro).weak());
        ui.add_space(12.0);
        let file_ok = self.default_file.is_some();
        ui.add_enabled_ui(file_ok, |ui| ui.radio_value(&mut self.kind, Kind::File, t.loc_file));
        ui.indent("file", |ui| match &self.default_file {
            Some(path) => ui.label(fill(t.loc_file_at, &[("path", &path.display())])),
            None => ui.label(RichText::new(t.loc_file_none).weak()),
        });
        ui.add_space(8.0);
        ui.radio_value(&mut self.kind, Kind::Server, t.loc_server);
        let server = self.kind == Kind::Server;
        ui.indent("server", |ui| ui.add_enabled_ui(server, |ui| self.server_ui(ui, server)));
        ui.add_space(12.0);
        if let Some(note) = self.note.filter(|_| server) {
            ui.label(note);
        }
        let typed = self.typed();
        let ready = !server || typed.is_some();
        if !ui.add_enabled(ready, egui::Button::new(t.loc_open)).clicked() {
            return None;
        }
        match (self.kind, typed, &self.default_file) {
            (Kind::File, _, Some(path)) => Some(Place::File(path.clone())),
            (Kind::Server, Some(address), _) => Some(Place::Server { address, remembered: self.remember }),
            _ => None,
        }
    }

    /// The server's fields; their errors only while the server is chosen.
    fn server_ui(&mut self, ui: &mut egui::Ui, chosen: bool) {
        let t = t();
        egui::Grid::new("server_fields").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            let host_error = (chosen && self.address.host.trim().is_empty()).then_some(t.loc_host_required);
            text_row(ui, t.loc_host, &mut self.address.host, host_error);
            let port_ok = !chosen || self.port.trim().parse::<u16>().is_ok_and(|p| p > 0);
            text_row(ui, t.loc_port, &mut self.port, (!port_ok).then_some(t.loc_bad_port));
            text_row(ui, t.loc_database, &mut self.address.database, None);
            text_row(ui, t.loc_user, &mut self.address.user, None);
            password_row(ui, t.password, &mut self.address.password, None);
            ui.label("");
            ui.checkbox(&mut self.remember, t.loc_remember);
            error_cell(ui, None);
            ui.end_row();
            self.encryption_rows(ui, chosen);
        });
        // Whole, under the fields: too long for a field's message cell. Its
        // line is kept when empty, so that the buttons below never move.
        let unavailable = self.no_dialog && self.address.encryption.checks_certificate();
        let words = if unavailable { t.loc_pick_unavailable } else { "" };
        ui.label(RichText::new(words).color(ui.visuals().error_fg_color));
        // Always a line, empty when ticked: 连接测试 below never moves.
        ui.label(RichText::new(if self.remember { "" } else { t.loc_remember_off }).weak());
        ui.add_space(4.0);
        self.test_ui(ui);
    }

    /// 加密方式 and the certificate file with its 选择… (the file only when
    /// the certificate is checked).
    fn encryption_rows(&mut self, ui: &mut egui::Ui, chosen: bool) {
        let t = t();
        if let Some(done) = self.pick.as_ref().and_then(Job::poll) {
            self.pick = None;
            match done {
                Some(Picked::Chosen(path)) => self.address.root_cert = path.display().to_string(),
                Some(Picked::Unavailable) => self.no_dialog = true,
                Some(Picked::Cancelled) | None => {}
            }
        }
        let label = ui.label(t.loc_encryption);
        let current = self.address.encryption;
        let mut offered = Encryption::CHOICES.to_vec();
        if !offered.contains(&current) {
            offered.push(current);
        }
        let combo = form_combo(
            ui,
            "server_encryption",
            |combo| combo.selected_text(encryption_name(t, current)).width(FIELD_WIDTH),
            |ui| {
                for choice in offered {
                    ui.selectable_value(&mut self.address.encryption, choice, encryption_name(t, choice));
                }
            },
        );
        combo.labelled_by(label.id);
        error_cell(ui, None);
        ui.end_row();

        let checks = self.address.encryption.checks_certificate();
        let label = ui.label(t.loc_root_cert);
        ui.add_enabled_ui(checks, |ui| {
            ui.horizontal(|ui| {
                let button_width = 64.0;
                let width = FIELD_WIDTH - button_width - ui.spacing().item_spacing.x;
                let edit = egui::TextEdit::singleline(&mut self.address.root_cert)
                    .hint_text("server.crt")
                    .desired_width(width)
                    .min_size(egui::vec2(width, 0.0));
                ui.add(edit).labelled_by(label.id);
                let idle = self.pick.is_none();
                let pick = egui::Button::new(t.loc_pick_cert).min_size(egui::vec2(button_width, 0.0));
                if ui.add_enabled(idle, pick).clicked() {
                    let title = t.loc_cert_dialog;
                    self.no_dialog = false;
                    self.pick = Some(Job::start(ui.ctx(), move || {
                        file_dialog::pick_file(
                            rfd::FileDialog::new().set_title(title).add_filter("PEM", &["crt", "pem", "cer"]),
                        )
                    }));
                }
            });
        });
        error_cell(ui, if chosen { self.cert_error(t) } else { None });
        ui.end_row();
    }

    /// 连接测试 and, beside it, the outcome: the button never moves.
    fn test_ui(&mut self, ui: &mut egui::Ui) {
        let t = t();
        if let Some(done) = self.test.as_ref().and_then(Job::poll) {
            self.test = None;
            if let Some(address) = self.typed() {
                let url = address.url();
                let words = match done {
                    Some(Ok(Some(name))) if name.is_empty() => Ok(t.loc_test_ok_unnamed.to_string()),
                    Some(Ok(Some(name))) => Ok(fill(t.loc_test_ok, &[("office", &name)])),
                    Some(Ok(None)) => Ok(fill(t.loc_test_empty, &[("url", &redact_url(&url))])),
                    Some(Err(e)) => Err(reason(&e, &url)),
                    None => Err(t.loc_failed_title.to_string()),
                };
                self.tested = Some((address, words));
            }
        }
        let typed = self.typed();
        // Two lines kept for the outcome whether or not one shows: a refusal
        // wraps to two, and 开始使用 below must not move when it appears.
        let top = ui.cursor().min.y;
        let two_lines = 2.0 * ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
        ui.horizontal(|ui| {
            let idle = self.test.is_none();
            if ui.add_enabled(idle && typed.is_some(), egui::Button::new(t.loc_test)).clicked()
                && let Some(address) = typed.clone()
            {
                let url = address.url();
                self.tested = None;
                self.test = Some(Job::start(ui.ctx(), move || app::peek_server(&url)));
            }
            if !idle {
                ui.spinner();
                ui.label(t.loc_testing);
            } else if let Some((_, words)) =
                self.tested.as_ref().filter(|(for_, _)| Some(for_) == typed.as_ref())
            {
                let text = match words {
                    Ok(text) => RichText::new(text),
                    Err(text) => RichText::new(text).color(ui.visuals().error_fg_color),
                };
                ui.add(egui::Label::new(text).wrap());
            }
        });
        let used = ui.cursor().min.y - top;
        ui.add_space((two_lines + ui.spacing().item_spacing.y - used).max(0.0));
    }
}

/// How an encryption reads in the form (and in 设置 › 数据位置).
pub fn encryption_name(t: &Texts, encryption: Encryption) -> &'static str {
    match encryption {
        Encryption::Disable => t.loc_tls_disable,
        Encryption::Prefer => t.loc_tls_prefer,
        Encryption::Require => t.loc_tls_require,
        Encryption::VerifyCa => t.loc_tls_verify_ca,
        Encryption::VerifyFull => t.loc_tls_verify_full,
    }
}

/// The file a PC without `--db` and without a choice would use.
pub fn default_file() -> Option<PathBuf> {
    app::default_db_path()
}

#[cfg(test)]
mod tests {
    use super::{PLACE_KEY, Place};
    use crate::store::{Encryption, ServerAddress};

    /// eframe's storage in memory: the RON text it keeps under each key.
    #[derive(Default)]
    struct Memory(std::collections::HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.into(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    /// A place saved before 加密方式 and the certificate file existed
    /// loads, as it connected then (`prefer`, no file); a new one keeps both.
    #[test]
    fn a_place_saved_before_the_encryption_fields_still_loads() {
        let mut storage = Memory::default();
        let old = r#"Server(address:(host:"10.0.0.5",port:5432,database:"homedesk",user:"homedesk",password:""),remembered:false)"#;
        storage.0.insert(PLACE_KEY.into(), old.into());
        let Some(Place::Server { address, remembered: false }) =
            eframe::get_value::<Place>(&storage, PLACE_KEY)
        else {
            panic!("the old place loads: {:?}", storage.0)
        };
        assert_eq!(
            (address.host.as_str(), address.encryption, address.root_cert.as_str()),
            ("10.0.0.5", Encryption::Prefer, "")
        );
        assert_eq!(address.url(), "postgresql://homedesk@10.0.0.5:5432/homedesk?connect_timeout=10");

        let checked = ServerAddress {
            encryption: Encryption::VerifyFull,
            root_cert: "/etc/homedesk/server.crt".into(),
            ..address
        };
        let place = Place::Server { address: checked, remembered: false };
        eframe::set_value(&mut storage, PLACE_KEY, &place);
        assert_eq!(eframe::get_value::<Place>(&storage, PLACE_KEY), Some(place));
    }
}

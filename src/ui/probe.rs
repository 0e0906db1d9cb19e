//! Issue 23's real-window probe: compiled only with the cargo feature
//! `probe`, which only the `homedesk-probe` binary requires and only
//! `cargo bench --bench performance -- --window` builds. The shipped
//! `homedesk` has none of this code (`tests/sign_in.rs` checks that it
//! does not even name the variables below).
//!
//! With `HOMEDESK_PROBE_LOG` set, the window writes a line per frame to that
//! file, so that the benchmark can time the real window from outside: when a
//! frame began (`begin`, which is also when the frame before it was on
//! screen), the text typed in it, and at its end what the register showed.
//! It signs in as `HOMEDESK_PROBE_LOGIN` with `HOMEDESK_PROBE_PASSWORD`
//! through the same password check as the sign-in screen: it types no
//! password that a clerk would not have to know.

use std::fs::File;
use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{HomeDeskApp, Shell, Tab, View};
use crate::domain::Desk;

/// How long the walk stays on a tab: every tab of the ten-year office is
/// complete well within it (the window-less benchmark: at most 0.3 s).
const DWELL: Duration = Duration::from_secs(3);

/// What the probe does, from the environment.
struct Orders {
    login: String,
    password: String,
    /// Close the window once the register's rows are on screen.
    close_when_ready: bool,
    walk: bool,
}

/// The probe's state, beside the app it watches.
pub(super) struct Probe {
    log: File,
    orders: Orders,
    signed_in: bool,
    ready_at_frame: Option<u64>,
    frames: u64,
    walk: Option<(usize, Instant)>,
    /// What the register showed at the end of the last frame.
    last_shown: Option<(usize, String)>,
    /// `HOMEDESK_PROBE_TEXTURE_SIDE`: the largest texture egui is told the GL allows.
    texture_side: Option<usize>,
}

/// The app with a probe, when `HOMEDESK_PROBE_LOG` names a log file.
pub(super) struct Probed {
    shell: Shell,
    probe: Probe,
}

impl Probed {
    /// `shell` with a probe if the environment asks for one.
    pub(super) fn wrap(shell: Shell) -> Box<dyn eframe::App> {
        match Probe::from_env() {
            Some(probe) => Box::new(Probed { shell, probe }),
            None => Box::new(shell),
        }
    }
}

impl Probe {
    fn from_env() -> Option<Probe> {
        let path = std::env::var_os("HOMEDESK_PROBE_LOG")?;
        let log = File::create(path).ok()?;
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        let orders = Orders {
            login: var("HOMEDESK_PROBE_LOGIN"),
            password: var("HOMEDESK_PROBE_PASSWORD"),
            close_when_ready: var("HOMEDESK_PROBE_CLOSE") == "1",
            walk: var("HOMEDESK_PROBE_WALK") == "1",
        };
        let texture_side = var("HOMEDESK_PROBE_TEXTURE_SIDE").parse().ok();
        Some(Probe {
            log,
            orders,
            signed_in: false,
            ready_at_frame: None,
            frames: 0,
            walk: None,
            last_shown: None,
            texture_side,
        })
    }

    fn line(&mut self, text: &str) {
        let micros = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_micros();
        let _ = writeln!(self.log, "{micros} {text}");
    }

    /// Signs in once, through the password check, on the register.
    fn sign_in(&mut self, app: &mut HomeDeskApp) {
        if self.signed_in || app.user.is_some() {
            return;
        }
        self.signed_in = true;
        let started = Instant::now();
        let signed = app.desk.sign_in(&self.orders.login, &self.orders.password, Desk::CsCenter);
        let took = started.elapsed().as_micros();
        match signed {
            Ok(user) => {
                app.enter(user, self.orders.login.clone());
                app.prefs.tab = Tab::Register;
                // The 待办 would open over the register the benchmark types into.
                app.todo_opens_from = None;
                self.line(&format!("signed-in {took}"));
            }
            Err(e) => self.line(&format!("sign-in-failed {e}")),
        }
    }

    /// After a frame: what the register shows, and the walk's next tab.
    fn after(&mut self, ctx: &egui::Context, app: &mut HomeDeskApp) {
        self.frames += 1;
        let shown = app.register.shown().filter(|_| app.prefs.tab == Tab::Register);
        // Why this frame was drawn (egui's repaint causes), after a `|`.
        let causes: Vec<String> =
            ctx.repaint_causes().iter().map(|c| format!("{}:{}", c.file, c.line)).collect();
        let causes = causes.join(",");
        match &shown {
            Some((rows, text)) => {
                self.line(&format!("frame {:?} rows {rows} {text} | {causes}", app.prefs.tab))
            }
            None => self.line(&format!("frame {:?} | {causes}", app.prefs.tab)),
        }
        // A new answer on screen: the next frame's `begin` tells when this
        // one was painted (the app asks for no frame after it).
        if shown.is_some() && shown != self.last_shown {
            ctx.request_repaint();
        }
        self.last_shown.clone_from(&shown);
        if shown.is_some_and(|(rows, _)| rows > 0) && self.ready_at_frame.is_none() {
            self.ready_at_frame = Some(self.frames);
            // The next frame's `begin` tells when this one was on screen.
            ctx.request_repaint();
        }
        if self.orders.close_when_ready && self.ready_at_frame.is_some_and(|f| f < self.frames) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        if self.orders.walk && self.ready_at_frame.is_some() {
            self.walk_on(ctx, app);
        }
    }

    fn walk_on(&mut self, ctx: &egui::Context, app: &mut HomeDeskApp) {
        let (index, since) = *self.walk.get_or_insert((0, Instant::now()));
        // No frames of its own until the dwell is over: the benchmark reads
        // a tab's completion from where the app's frames stop.
        if let Some(left) = DWELL.checked_sub(since.elapsed()).filter(|left| !left.is_zero()) {
            ctx.request_repaint_after(left);
            return;
        }
        let next = index + 1;
        match Tab::WALK.get(next) {
            Some(tab) => {
                app.prefs.tab = *tab;
                self.walk = Some((next, Instant::now()));
                self.line(&format!("tab {tab:?}"));
                ctx.request_repaint();
            }
            None => {
                let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
                let kb = |name: &str| {
                    status
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default()
                };
                let [width, height] = ctx.fonts(|f| f.font_image_size());
                self.line(&format!(
                    "memory rss {} hwm {} atlas {width}x{height}",
                    kb("VmRSS:"),
                    kb("VmHWM:")
                ));
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}

/// The benchmark's comparisons of eframe's options in one build:
/// `HOMEDESK_PROBE_VSYNC` and `HOMEDESK_PROBE_DITHERING`, `0` or `1`.
pub(super) fn options_from_env(mut options: eframe::NativeOptions) -> eframe::NativeOptions {
    let flag = |name: &str| std::env::var(name).ok().map(|v| v == "1");
    if let Some(vsync) = flag("HOMEDESK_PROBE_VSYNC") {
        options.glow_options.vsync = vsync;
    }
    if let Some(dithering) = flag("HOMEDESK_PROBE_DITHERING") {
        options.dithering = dithering;
    }
    options
}

impl eframe::App for Probed {
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        eframe::App::raw_input_hook(&mut self.shell, ctx, raw_input);
        // The benchmark compares the font atlas's widths in one build.
        if let Some(side) = self.probe.texture_side {
            raw_input.max_texture_side = Some(side);
        }
        let typed: String = raw_input
            .events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect();
        self.probe.line(&format!("begin {typed}"));
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if let View::Open(app) = &mut self.shell.view {
            self.probe.sign_in(app);
        }
        eframe::App::ui(&mut self.shell, ui, frame);
        if let View::Open(app) = &mut self.shell.view {
            self.probe.after(ui.ctx(), app);
        }
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        eframe::App::clear_color(&self.shell, visuals)
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::App::save(&mut self.shell, storage);
    }
}

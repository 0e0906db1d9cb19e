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

/// The probe binary's allocator: mimalloc, counting the bytes the Rust
/// code holds (live now, and the most since the last [`take_rust_peak`]):
/// what of the window's memory is the app's own data, tab by tab (issue 23).
pub struct CountingAlloc;

static LIVE: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(0);
static PEAK: std::sync::atomic::AtomicIsize = std::sync::atomic::AtomicIsize::new(0);

impl CountingAlloc {
    fn count(change: isize) {
        use std::sync::atomic::Ordering::Relaxed;
        let now = LIVE.fetch_add(change, Relaxed) + change;
        PEAK.fetch_max(now, Relaxed);
    }
}

/// The Rust heap's live bytes now and their peak since the last call, in kB.
fn take_rust_peak() -> (isize, isize) {
    use std::sync::atomic::Ordering::Relaxed;
    let live = LIVE.load(Relaxed);
    (live / 1024, PEAK.swap(live, Relaxed) / 1024)
}

/// `HOMEDESK_PROBE_SYSTEM_ALLOC=1`: the C library's `malloc` instead of
/// mimalloc, so that heaptrack sees the Rust heap too (it sees only
/// `malloc`). Decided at the first allocation, before any other, with
/// `getenv` (which allocates nothing); fixed for the process after it.
fn use_system() -> bool {
    use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
    static CHOICE: AtomicU8 = AtomicU8::new(0);
    unsafe extern "C" {
        fn getenv(name: *const std::ffi::c_char) -> *const std::ffi::c_char;
    }
    match CHOICE.load(Relaxed) {
        1 => false,
        2 => true,
        _ => {
            // SAFETY: a C string constant; getenv only reads the environment.
            let set = unsafe { !getenv(c"HOMEDESK_PROBE_SYSTEM_ALLOC".as_ptr()).is_null() };
            CHOICE.store(if set { 2 } else { 1 }, Relaxed);
            set
        }
    }
}

// SAFETY: every call is mimalloc's or the system's, the same one for the
// whole process; the counting touches only atomics.
unsafe impl std::alloc::GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::count(layout.size() as isize);
        // SAFETY: the caller's layout, passed on.
        unsafe {
            if use_system() { std::alloc::System.alloc(layout) } else { mimalloc::MiMalloc.alloc(layout) }
        }
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::count(layout.size() as isize);
        // SAFETY: as above.
        unsafe {
            if use_system() {
                std::alloc::System.alloc_zeroed(layout)
            } else {
                mimalloc::MiMalloc.alloc_zeroed(layout)
            }
        }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        Self::count(-(layout.size() as isize));
        // SAFETY: as above.
        unsafe {
            if use_system() {
                std::alloc::System.dealloc(ptr, layout)
            } else {
                mimalloc::MiMalloc.dealloc(ptr, layout)
            }
        }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        Self::count(new_size as isize - layout.size() as isize);
        // SAFETY: as above.
        unsafe {
            if use_system() {
                std::alloc::System.realloc(ptr, layout, new_size)
            } else {
                mimalloc::MiMalloc.realloc(ptr, layout, new_size)
            }
        }
    }
}

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
        self.line(&format!("mem before-sign-in {}", memory_breakdown()));
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
        self.line(&format!("mem after-sign-in {}", memory_breakdown()));
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
        self.line(&format!("mem {:?} {}", Tab::WALK[index], memory_breakdown()));
        match Tab::WALK.get(next) {
            Some(tab) => {
                app.prefs.tab = *tab;
                self.walk = Some((next, Instant::now()));
                self.line(&format!("tab {tab:?}"));
                ctx.request_repaint();
            }
            None => {
                let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
                let kb = |name: &str| status_field(&status, name).to_string();
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

/// The value of `name` (`VmHWM:`…) in `/proc/self/status`'s text, trimmed.
fn status_field<'a>(status: &'a str, name: &str) -> &'a str {
    status.lines().find_map(|l| l.strip_prefix(name)).map_or("", str::trim)
}

/// Where the resident memory is, at the end of a tab's dwell: the
/// process's anonymous, file-backed and shared pages and its peak
/// (`/proc/self/status`), what mimalloc (the app's Rust data) has committed
/// now and at most, and what C `malloc` holds (Mesa, LLVM, SQLite, X11;
/// glibc's `mallinfo2`), in kB.
fn memory_breakdown() -> String {
    #[repr(C)]
    #[derive(Default)]
    struct MallInfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    unsafe extern "C" {
        // mimalloc.h, linked with the global allocator.
        fn mi_process_info(
            elapsed: *mut usize,
            user: *mut usize,
            system: *mut usize,
            current_rss: *mut usize,
            peak_rss: *mut usize,
            current_commit: *mut usize,
            peak_commit: *mut usize,
            page_faults: *mut usize,
        );
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe extern "C" {
        fn mallinfo2() -> MallInfo2;
    }
    let mut v = [0usize; 8];
    let [a, b, c, d, e, f, g, h] = &mut v;
    // SAFETY: eight out-parameters, as mimalloc.h declares them.
    unsafe { mi_process_info(a, b, c, d, e, f, g, h) };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: glibc's plain query, no arguments.
    let c_heap = unsafe { mallinfo2() };
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let c_heap = MallInfo2::default();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |name: &str| status_field(&status, name).split_whitespace().next().unwrap_or("?").to_string();
    let (rust_live, rust_peak) = take_rust_peak();
    format!(
        "rust_live {rust_live} rust_peak {rust_peak} rss {} hwm {} anon {} file {} shmem {} mi_commit {} mi_peak_commit {} c_used {} c_arena {} c_mmap {} threads {}",
        kb("VmRSS:"),
        kb("VmHWM:"),
        kb("RssAnon:"),
        kb("RssFile:"),
        kb("RssShmem:"),
        v[5] / 1024,
        v[6] / 1024,
        c_heap.uordblks / 1024,
        c_heap.arena / 1024,
        c_heap.hblkhd / 1024,
        kb("Threads:"),
    )
}

/// `HOMEDESK_PROBE_CLIP=1`: the tables clip each cell as before issue 23
/// (`widgets::clip_cells`), for an A/B in one build.
pub(super) fn clip_cells() -> bool {
    static CLIP: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CLIP.get_or_init(|| std::env::var("HOMEDESK_PROBE_CLIP").is_ok_and(|v| v == "1"))
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

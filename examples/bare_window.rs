//! The driver's share of the real window's memory (issue 23): an eframe
//! window with the app's options and nothing else, so that its VmHWM is
//! what the GL context, the driver and eframe cost on this PC. Run under
//! the same display as the probe: `cargo run --release --example
//! bare_window` prints `bare rss N kB hwm M kB renderer R` after a few
//! seconds and closes. `BARE_CJK=1` also installs the app's CJK font and
//! draws a line of it.

use std::time::{Duration, Instant};

fn status_kb(name: &str) -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
}

struct Bare {
    started: Instant,
    renderer: String,
    cjk: bool,
}

impl eframe::App for Bare {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("HomeDesk bare window");
            if self.cjk {
                ui.label("居家服务台 登记 派单 协议 代客购物 回访 统计 变更记录 设置");
            }
        });
        if self.started.elapsed() > Duration::from_secs(4) {
            println!(
                "bare rss {} hwm {} renderer {}",
                status_kb("VmRSS:"),
                status_kb("VmHWM:"),
                self.renderer
            );
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        ui.ctx().request_repaint_after(Duration::from_millis(100));
    }
}

fn main() -> eframe::Result {
    let cjk = std::env::var("BARE_CJK").is_ok_and(|v| v == "1");
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]),
        dithering: false,
        persist_window: false,
        ..Default::default()
    };
    eframe::run_native(
        "bare",
        options,
        Box::new(move |cc| {
            if cjk {
                homedesk::ui::install_fonts(&cc.egui_ctx);
            }
            let renderer = cc.gl.as_ref().map_or_else(String::new, |gl| {
                use eframe::glow::HasContext;
                // SAFETY: a plain query of the current context's renderer string.
                unsafe { gl.get_parameter_string(eframe::glow::RENDERER) }
            });
            Ok(Box::new(Bare { started: Instant::now(), renderer, cjk }))
        }),
    )
}

//! Shared widgets: labelled form rows with their error next to the field, and
//! small pickers. Every input is `labelled_by` its label so that screen
//! readers and UI tests find it by the label's text.

use std::collections::HashMap;
use std::hash::Hash;

use egui::{Response, RichText, TextEdit, Ui};

/// The width of a one-line form field.
pub const FIELD_WIDTH: f32 = 280.0;

/// The width kept for a form row's message, shown or not: a message that
/// appears must not widen the form and move its buttons (issue 19).
pub const ERROR_WIDTH: f32 = 200.0;

/// A table's count as the clerk reads it: `total` rows, or at most
/// `total` while its whole list is being counted (a first answer whose
/// count is a bound, `RequestPage::at_most`).
pub fn rows_count_text(total: usize, at_most: bool) -> String {
    let template = if at_most { crate::i18n::t().rows_count_at_most } else { crate::i18n::t().rows_count };
    crate::i18n::fill(template, &[("n", &total)])
}

/// The red message in the third column of a form row, in a cell of fixed
/// width whether empty or not; a long message is cut to one line (the whole
/// of it on hover, and under the form's buttons where the form says it).
pub fn error_cell(ui: &mut Ui, error: Option<&str>) {
    let height = ui.spacing().interact_size.y;
    let layout = egui::Layout::left_to_right(egui::Align::Center);
    ui.allocate_ui_with_layout(egui::vec2(ERROR_WIDTH, height), layout, |ui| {
        ui.set_width(ERROR_WIDTH);
        match error {
            Some(message) => {
                let text = RichText::new(message).color(ui.visuals().error_fg_color);
                ui.add(egui::Label::new(text).truncate()).on_hover_text(message);
            }
            None => {
                ui.label("");
            }
        }
    });
}

/// Issue 9 (privacy): phones in full in the lists only for a role that
/// needs them (a supervisor or above); for anyone else the box is not there.
pub fn full_phones_ui(ui: &mut Ui, user: &crate::domain::User, full: &mut bool) {
    let t = crate::i18n::t();
    if crate::domain::check_permission(user, crate::domain::Permission::SeeFullPhones).is_ok() {
        ui.checkbox(full, t.reg_full_phones).on_hover_text(t.reg_full_phones_hint);
    } else {
        *full = false;
    }
}

/// A phone as a list shows it: masked unless asked for in full (issue 9).
pub fn list_phone(phone: &str, full: bool) -> String {
    if full { phone.to_string() } else { crate::domain::mask_phone(phone) }
}

/// R-FEE-3: what finance settles — the job's agreed price, what was
/// collected and by whom — as the step form and the finance list show it.
pub fn settle_summary(job: &crate::domain::Request) -> String {
    let t = crate::i18n::t();
    let price = job.price.map(|p| p.to_string()).unwrap_or_default();
    let (collected, by) = match &job.collected {
        Some((amount, by)) => (amount.to_string(), by.clone()),
        None => (t.settle_not_collected.to_string(), String::new()),
    };
    crate::i18n::fill(
        t.settle_confirm,
        &[("no", &job.no), ("room", &job.room), ("price", &price), ("collected", &collected), ("by", &by)],
    )
}

/// What the clerk answered to "are you sure?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Yes,
    Back,
}

/// Asks once more before a step that cannot simply be taken back (a job
/// sent backwards, money received or settled): the question, what will
/// happen, and two buttons — the one that acts names the act.
pub fn confirm_ui(ui: &mut Ui, question: &str, act: &str) -> Option<Confirmed> {
    let t = crate::i18n::t();
    let mut answer = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(question).color(ui.visuals().warn_fg_color));
        ui.horizontal(|ui| {
            if ui.button(RichText::new(act).strong()).clicked() {
                answer = Some(Confirmed::Yes);
            }
            if ui.button(t.confirm_back).clicked() {
                answer = Some(Confirmed::Back);
            }
        });
    });
    answer
}

/// [`confirm_ui`] in a dialog over the view: nothing under it moves, and a
/// second click lands on the dialog, not on the next row's button.
pub fn confirm_modal(ctx: &egui::Context, id: &str, question: &str, act: &str) -> Option<Confirmed> {
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(520.0);
        confirm_ui(ui, question, act)
    });
    if modal.should_close() { Some(Confirmed::Back) } else { modal.inner }
}

/// A form row: label, one-line text field, error. Ends the grid row.
pub fn text_row(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>) -> Response {
    text_row_with(ui, label, value, error, |edit| edit)
}

/// A password row: like [`text_row`] with the text hidden.
pub fn password_row(ui: &mut Ui, label: &str, value: &mut String, error: Option<&str>) -> Response {
    text_row_with(ui, label, value, error, |edit| edit.password(true))
}

/// A form row whose text field the caller can configure (hint, width, ...).
pub fn text_row_with<'t>(
    ui: &mut Ui,
    label: &str,
    value: &'t mut String,
    error: Option<&str>,
    configure: impl FnOnce(TextEdit<'t>) -> TextEdit<'t>,
) -> Response {
    let label = ui.label(label);
    // A grid cell offers last frame's column width; the minimum keeps fields
    // from shrinking to that on the first frame.
    let edit = TextEdit::singleline(value).desired_width(FIELD_WIDTH).min_size(egui::vec2(FIELD_WIDTH, 0.0));
    let response = ui.add(configure(edit)).labelled_by(label.id);
    error_cell(ui, error);
    ui.end_row();
    response
}

/// A combo box over `options`, showing `name(option)`; `None` shows `empty`.
pub fn choice_combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    id_salt: &str,
    value: &mut Option<T>,
    options: &[T],
    empty: &str,
    name: impl Fn(T) -> String,
) -> Response {
    let selected = value.map(&name).unwrap_or_else(|| empty.to_string());
    form_combo(
        ui,
        id_salt,
        |combo| combo.selected_text(selected),
        |ui| {
            for option in options {
                ui.selectable_value(value, Some(*option), name(*option));
            }
        },
    )
}

/// Every drop-down of the desk: `configure` sets its text and width,
/// `contents` draws its options. Enter never opens it, and it keeps the
/// focus once closed ([`keep_focus_after_popup`]).
///
/// A focused button takes Enter for a click, and a closed drop-down keeps
/// the focus after a pick: Enter, meant for 保存（Enter）, saved the form
/// and opened the list again (issue 19). While Enter is down the drop-down
/// is drawn without the focus, which it gets back after, so Enter is left
/// to the form and Space still opens the list.
pub fn form_combo(
    ui: &mut Ui,
    id_salt: &str,
    configure: impl FnOnce(egui::ComboBox) -> egui::ComboBox,
    contents: impl FnOnce(&mut Ui),
) -> Response {
    // The id ComboBox gives its button.
    let button_id = ui.make_persistent_id(egui::IdSalt::new(id_salt));
    let closed = !egui::ComboBox::is_open(ui.ctx(), button_id);
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    let set_aside = closed && enter && ui.memory(|m| m.has_focus(button_id));
    if set_aside {
        ui.memory_mut(|m| m.surrender_focus(button_id));
    }
    // A pick from the keyboard (Space or Enter on an option) closes the list
    // as a click does: egui closes it on a pointer click only, and an open
    // list kept the form's Enter from saving (issue 22). Not in the frame
    // the list opens in, whose Space opened it.
    let picked = !closed && ui.input(|i| i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Space));
    let response = configure(egui::ComboBox::from_id_salt(id_salt))
        .show_ui(ui, |ui| {
            contents(ui);
            if picked {
                ui.close();
            }
        })
        .response;
    if set_aside {
        response.request_focus();
    }
    keep_focus_after_popup(ui, &response);
    response
}

/// When a drop-down closes, the keyboard focus goes back to its button, so
/// Tab moves on to the next field of the form. Without it the focus was on
/// the picked option, which is gone once the list closes, and Tab started
/// again at the form's first field (issue 19: text meant for later fields
/// overwrote the room and the resident).
fn keep_focus_after_popup(ui: &Ui, combo: &Response) {
    let open = egui::ComboBox::is_open(ui.ctx(), combo.id);
    let key = combo.id.with("popup_was_open");
    let was_open = ui.data_mut(|d| {
        let was_open = d.get_temp::<bool>(key).unwrap_or(false);
        d.insert_temp(key, open);
        was_open
    });
    if was_open && !open {
        combo.request_focus();
    }
}

/// A status line under a form: red for an error, plain for a success.
/// The small "×" that closes a pane or clears a filter, named `name`.
pub fn close_button(ui: &mut Ui, name: &str) -> Response {
    named_glyph(ui.small_button("×"), name)
}

/// A button showing only a glyph (◀ ▶), named `name` for a screen reader
/// and on hover: the glyph alone reads "black left-pointing triangle".
pub fn glyph_button(ui: &mut Ui, glyph: &str, name: &str) -> Response {
    named_glyph(ui.button(glyph), name)
}

fn named_glyph(response: Response, name: &str) -> Response {
    let response = response.on_hover_text(name);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    response
}

pub fn message_ui(ui: &mut Ui, message: &Option<Result<String, String>>) {
    match message {
        Some(Ok(text)) => {
            ui.label(text);
        }
        Some(Err(text)) => {
            ui.label(RichText::new(text).color(ui.visuals().error_fg_color));
        }
        None => {}
    }
}

/// The 保存（Enter） button of a form drawn in a tab (not a modal): clicked,
/// or Enter pressed while no drop-down is open (there Enter picks from it).
pub fn save_button_ui(ui: &mut Ui) -> bool {
    let popup_open = egui::Popup::is_any_open(ui.ctx());
    let enter = !popup_open && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
    ui.button(crate::i18n::t().save).clicked() || enter
}

/// What the footer of a modal form asks for this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Save,
    /// Close without saving (confirmed when something was typed).
    Discard,
}

/// The save / cancel footer of a modal form, with Enter and Esc.
///
/// Keys are ignored in a frame that began with a drop-down open: there Esc
/// closes the drop-down and Enter picks from it. Cancelling a form with
/// typed text asks once more, so a stray Esc never throws work away.
pub fn form_footer_ui(
    ui: &mut Ui,
    popup_was_open: bool,
    dirty: bool,
    confirm_discard: &mut bool,
) -> Option<FormAction> {
    let t = crate::i18n::t();
    let keys = !popup_was_open;
    let enter = keys && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
    let escape = keys && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
    let mut action = None;
    ui.horizontal(|ui| {
        if *confirm_discard {
            ui.label(RichText::new(t.discard_question).color(ui.visuals().warn_fg_color));
            if ui.button(t.discard).clicked() || escape {
                action = Some(FormAction::Discard);
            }
            if ui.button(t.keep_editing).clicked() || enter {
                *confirm_discard = false;
            }
            return;
        }
        let save = ui.button(t.save).clicked() || enter;
        let cancel = ui.button(t.cancel).clicked() || escape;
        ui.label(RichText::new(t.form_keys_hint).weak());
        if save {
            action = Some(FormAction::Save);
        } else if cancel && dirty {
            *confirm_discard = true;
        } else if cancel {
            action = Some(FormAction::Discard);
        }
    });
    action
}

/// What a modal form shows besides its fields: a message next to each field
/// after a refused save, one line under the form, and whether Esc is asking
/// to discard typed text. `K` names the form's fields.
pub struct FormState<K> {
    pub fields: HashMap<K, String>,
    pub message: Option<Result<String, String>>,
    pub confirm_discard: bool,
    /// 保存 answered a frame late, and the pass its save ran in.
    turn: SaveTurn,
}

impl<K> Default for FormState<K> {
    fn default() -> Self {
        FormState { fields: HashMap::new(), message: None, confirm_discard: false, turn: SaveTurn::default() }
    }
}

impl<K: Hash + Eq> FormState<K> {
    /// The message next to `field`, borrowed apart from the draft being edited.
    pub fn get(&self, field: K) -> Option<&str> {
        self.fields.get(&field).map(String::as_str)
    }

    pub fn clear(&mut self) {
        self.fields.clear();
        self.message = None;
    }

    /// Whether this form's save ran in the pass `pass`.
    pub fn saved_in(&self, pass: u64) -> bool {
        self.turn.saved_in(pass)
    }

    /// The Enter/Esc footer and the message line under it.
    ///
    /// 保存 is answered a frame late ([`SaveTurn`]): the frame of the click
    /// says 正在保存… in the message line, and the save runs in the next one.
    pub fn footer_ui(&mut self, ui: &mut Ui, popup_was_open: bool, dirty: bool) -> Option<FormAction> {
        let asked = form_footer_ui(ui, popup_was_open, dirty, &mut self.confirm_discard);
        if self.save_line_ui(ui, asked == Some(FormAction::Save)) {
            return Some(FormAction::Save);
        }
        asked.filter(|a| *a != FormAction::Save)
    }

    /// The form's message line under whatever asks for its save (the
    /// footer, or a second question): `asked` this frame, the save runs in
    /// the next; whether it runs now. The form saves after this returns, so
    /// the frame it runs in still says 正在保存….
    pub fn save_line_ui(&mut self, ui: &mut Ui, asked: bool) -> bool {
        // A form proved saved is closed by its tab (`close_saved_in`).
        let run = matches!(self.turn.take(ui), Turn::Save(()));
        // A second Enter or click in the frame the save runs in is not a new
        // ask: queued, it would answer the form's next question for the clerk.
        if asked && !run {
            self.turn.ask(ui, ());
        }
        if run {
            saving_ui(ui);
        } else {
            self.turn.line_ui(ui, &self.message);
        }
        run
    }

    /// Forgets a save asked for and not yet run: the form asks another
    /// question first (a step sending the job backwards).
    pub fn drop_ask(&mut self) {
        self.turn.asked = None;
    }
}

/// 正在保存…, weak: the line of a save waiting for its frame.
fn saving_ui(ui: &mut Ui) {
    ui.label(RichText::new(crate::i18n::t().form_saving).weak());
}

/// What a [`SaveTurn`] tells its save button's code to do this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn<A> {
    Idle,
    /// Run the save asked for (`A` says which) in the frame before.
    Save(A),
    /// The save `A`, whose `COMMIT` went unanswered when the server went
    /// away, was committed after all (the new connection said so): clear
    /// what it saved, as its success does, and do not save it again.
    SavedAfterAll(A),
}

/// A save answered a frame late, for every save of the window, in a modal
/// form or not, and the pass it ran in.
///
/// The frame of the click says 正在保存… in the save's message line
/// ([`SaveTurn::line_ui`]), and the save runs in the next one, so that the
/// clerk reads why the window waits. A save runs on the UI thread
/// (ARCHITECTURE.md: "A save never holds the window for long") and may wait
/// — up to 5 s for a silent server (`SAVE_ANSWER_WITHIN`) or for another
/// HomeDesk's write to a file (`busy_timeout`) — and a frame drawn before
/// the click would show nothing the whole time.
///
/// The passes its saves ran in are remembered: when the window is told,
/// once connected again, that the write of one was committed after all
/// ([`prove_saved`]), this turn alone says so ([`Turn::SavedAfterAll`]),
/// and its tab's selection, lists and other forms stay as they are. A
/// retry while the server is away (refused at once) does not hide the save
/// it retried.
#[derive(Debug)]
pub struct SaveTurn<A = ()> {
    /// Asked for in the frame before: runs in this one.
    /// Asked for in the frame before (egui's `cumulative_frame_nr` of the
    /// ask): runs in this one.
    asked: Option<(u64, A)>,
    /// The passes (egui's `cumulative_pass_nr`) its last saves ran in, and
    /// which, oldest first: since a write whose `COMMIT` went unanswered the
    /// connection is broken, and every save after it is refused at once
    /// until the window connects again and hears whether it was saved.
    saved: Vec<(u64, A)>,
    /// The line says "saved after all" until the next save is asked for.
    after_all: bool,
    /// A save asked for was not made: its fields were not drawn in the next
    /// frame (another view shown), and it would run late, on what the
    /// screen no longer shows. The line says so until the next ask.
    dropped: bool,
}

impl<A> Default for SaveTurn<A> {
    fn default() -> Self {
        SaveTurn { asked: None, saved: Vec::new(), after_all: false, dropped: false }
    }
}

/// How many saves a turn remembers: retries while the server is away.
const SAVES_KEPT: usize = 8;

/// The last pass any [`SaveTurn`] ran a save in, and the pass proved
/// committed once connected again: in egui's memory, so that the window
/// need not know which pane of which tab saved.
fn ran_id() -> egui::Id {
    egui::Id::unique("homedesk_save_turn_ran")
}

fn proven_id() -> egui::Id {
    egui::Id::unique("homedesk_save_turn_proven")
}

/// Whether a [`SaveTurn`] ran a save in the pass `pass`: asked by the
/// window in that pass, when its write went unconfirmed (a later turn's
/// pass overwrites it).
pub fn turn_ran_in(ctx: &egui::Context, pass: u64) -> bool {
    ctx.data(|d| d.get_temp::<u64>(ran_id())) == Some(pass)
}

/// The write a [`SaveTurn`] ran in pass `pass` was committed after all: that
/// turn says so, and clears what it saved, when next drawn.
pub fn prove_saved(ctx: &egui::Context, pass: u64) {
    ctx.data_mut(|d| d.insert_temp(proven_id(), pass));
}

impl<A: Clone + PartialEq> SaveTurn<A> {
    /// What to do this frame: run the save asked for in the frame before,
    /// or clear one proved saved after all. Called each frame the save's
    /// fields are drawn, before [`SaveTurn::ask`].
    pub fn take(&mut self, ui: &Ui) -> Turn<A> {
        let ctx = ui.ctx();
        let frame = ctx.cumulative_frame_nr();
        // A frame passed without its fields: not run late on what the
        // screen no longer shows, and said so.
        if self.asked.take_if(|(asked_in, _)| *asked_in + 1 < frame).is_some() {
            self.dropped = true;
        }
        // Not in the click's own frame, which egui may run twice (a new
        // Grid asks for a discard): 正在保存… is painted first.
        if let Some((_, what)) = self.asked.take_if(|(asked_in, _)| *asked_in < frame) {
            let pass = ctx.cumulative_pass_nr();
            if self.saved.len() == SAVES_KEPT {
                // The first is the save the window may be waiting on (those
                // after it were retries refused at once): it is kept.
                self.saved.remove(1);
            }
            self.saved.push((pass, what.clone()));
            ctx.data_mut(|d| d.insert_temp(ran_id(), pass));
            // The next frame shows the outcome.
            ctx.request_repaint();
            return Turn::Save(what);
        }
        let proven = ctx.data(|d| d.get_temp::<u64>(proven_id()));
        if let Some(at) = self.saved.iter().position(|(pass, _)| Some(*pass) == proven) {
            // The saves after it were refused at once: none is pending.
            let (_, what) = self.saved.swap_remove(at);
            self.saved.clear();
            self.after_all = true;
            // Its pane may have drawn its fields before clearing them.
            ctx.request_repaint();
            return Turn::SavedAfterAll(what);
        }
        Turn::Idle
    }

    /// [`SaveTurn::take`] and, if its button was `clicked`, [`SaveTurn::ask`]
    /// for `what`: for a save whose button is drawn before its outcome.
    pub fn button(&mut self, ui: &Ui, clicked: bool, what: A) -> Turn<A> {
        let turn = self.take(ui);
        if clicked {
            self.ask(ui, what);
        }
        turn
    }

    /// The save `what` was clicked (or its key pressed): it runs in the
    /// next frame, and this one says 正在保存….
    /// An ask in the pass a save of this turn ran in is ignored: a second
    /// Enter or click that landed in that frame is not a new save.
    pub fn ask(&mut self, ui: &Ui, what: A) {
        let pass = ui.ctx().cumulative_pass_nr();
        if self.saved.last().is_some_and(|(p, _)| *p == pass) {
            return;
        }
        if self.asked.is_none() {
            self.asked = Some((ui.ctx().cumulative_frame_nr(), what));
            self.dropped = false;
            self.after_all = false;
            ui.ctx().request_repaint();
        }
    }

    /// 正在保存… beside the button of `what` while it waits for its frame,
    /// for a save whose outcome is said elsewhere (the status bar) or out
    /// of sight; last in its row, it moves no button when it appears.
    pub fn beside_ui(&self, ui: &mut Ui, what: &A) {
        if self.asked.as_ref().is_some_and(|(_, asked)| asked == what) {
            saving_ui(ui);
        }
    }

    /// The line's "saved after all" is done with: what it was about is no
    /// longer shown (another household picked).
    pub fn said(&mut self) {
        (self.after_all, self.dropped) = (false, false);
    }

    /// Whether a save asked for was dropped ([`SaveTurn::take`]), for a
    /// turn without a line of its own (its outcome said in the status bar);
    /// told once.
    pub fn take_dropped(&mut self) -> bool {
        std::mem::take(&mut self.dropped)
    }

    /// Whether one of this turn's last saves ran in the pass `pass`.
    pub fn saved_in(&self, pass: u64) -> bool {
        self.saved.iter().any(|(p, _)| *p == pass)
    }

    /// The save's message line: 正在保存… while a save waits for its
    /// frame, else `message`. The line is kept while empty: a message that
    /// appears must not move what is under it, nor a centred form's fields
    /// and buttons by half a line.
    pub fn line_ui(&self, ui: &mut Ui, message: &Option<Result<String, String>>) {
        let t = crate::i18n::t();
        if self.asked.is_some() {
            saving_ui(ui);
        } else if self.dropped {
            message_ui(ui, &Some(Err(t.form_save_dropped.to_string())));
        } else if self.after_all {
            ui.label(t.form_saved_after_all);
        } else if message.is_none() {
            ui.label(" ");
        } else {
            message_ui(ui, message);
        }
    }
}

/// A form that saves through [`FormState::footer_ui`]: whether its save ran
/// in a given pass.
pub trait Saving {
    fn saved_in(&self, pass: u64) -> bool;
}

/// [`Saving`] for form types whose `state` field is their [`FormState`].
macro_rules! saving_by_state {
    ($($form:ty),+ $(,)?) => {$(
        impl $crate::ui::widgets::Saving for $form {
            fn saved_in(&self, pass: u64) -> bool {
                self.state.saved_in(pass)
            }
        }
    )+};
}
pub(crate) use saving_by_state;

/// Closes `form` if its save ran in the pass `pass` (its write was
/// committed, as the new connection said): whether it did. The tab's other
/// forms, its selection and its lists stay as they are.
pub fn close_saved_in<F: Saving>(form: &mut Option<F>, pass: u64) -> bool {
    let saved = form.as_ref().is_some_and(|f| f.saved_in(pass));
    if saved {
        *form = None;
    }
    saved
}

/// Whether a table's columns clip their cells: no. Each cell clipped to a
/// rectangle of its own is a mesh, a draw call and a scissor of its own, and
/// on software OpenGL (llvmpipe) each draw call is binned and shaded apart:
/// unclipped, the register's ~400 cells of a frame painted in half the time
/// (issue 23). The cells' labels are cut to their column ([`cell_ui`]), so
/// nothing runs over; a column is then no narrower than what it shows.
/// `homedesk-probe` can clip them again for an A/B (`HOMEDESK_PROBE_CLIP=1`).
pub fn clip_cells() -> bool {
    #[cfg(feature = "probe")]
    if super::probe::clip_cells() {
        return true;
    }
    false
}

/// A table cell's text: cut to the column, and not selectable, so that a
/// click anywhere on the row selects the row.
pub fn cell_ui(ui: &mut Ui, text: impl Into<egui::WidgetText>) -> Response {
    ui.add(egui::Label::new(text).truncate().selectable(false))
}

/// Column widths that show each column's title and cells whole, for a
/// table whose rows are all in memory (issue 19: 协议's 服务时间 was cut
/// while 状态 had room to spare). A column is at most [`MAX_FITTED`] wide,
/// so that one long text does not push the others out of the window.
pub fn fitted_widths<'a>(ui: &Ui, titles: &[&str], rows: impl Iterator<Item = &'a [String]>) -> Vec<f32> {
    let width = |text: &str| {
        let galley = egui::WidgetText::from(text).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        );
        // A little air, as a label's rounding otherwise cuts the last glyph.
        galley.size().x.ceil() + 4.0
    };
    let mut widths: Vec<f32> = titles.iter().map(|title| width(title)).collect();
    for row in rows {
        for (column, text) in widths.iter_mut().zip(row) {
            *column = column.max(width(text));
        }
    }
    widths.into_iter().map(|w| w.min(MAX_FITTED)).collect()
}

/// The widest a column fitted to its contents is drawn.
const MAX_FITTED: f32 = 320.0;

/// A table's heading row: one bold title per column.
pub fn headings_ui(mut header: egui_extras::TableRow<'_, '_>, titles: &[&str]) {
    for title in titles {
        header.col(|ui| {
            heading_cell_ui(ui, title);
        });
    }
}

/// One heading on one line: a narrow column shows it cut with "…" (whole on
/// hover), never wrapped with a bracket left on a line of its own (issue 19).
fn heading_cell_ui(ui: &mut Ui, title: &str) {
    ui.add(egui::Label::new(RichText::new(title).strong()).truncate());
}

/// Headings over a table whose money columns (`money`, by index) are
/// right-aligned like their amounts (issue 19: 收费交接's amounts stood
/// apart from their headings).
pub fn headings_with_money_ui(mut header: egui_extras::TableRow<'_, '_>, titles: &[&str], money: &[usize]) {
    for (i, title) in titles.iter().enumerate() {
        header.col(|ui| {
            if money.contains(&i) {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    heading_cell_ui(ui, title)
                });
            } else {
                heading_cell_ui(ui, title);
            }
        });
    }
}

/// A money cell: right-aligned, as on the office's paper ledgers.
pub fn money_cell_ui(ui: &mut Ui, text: impl Into<egui::WidgetText>) {
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.add(egui::Label::new(text).selectable(false));
    });
}

/// A date filter's field. Empty, it reads 不限 (no limit): an example date
/// in grey looked like a filter in force (issue 23: 受理自 2026-01-01 至
/// 2026-12-31 over a count of ten years). The format is on hover.
pub fn date_filter_ui(ui: &mut Ui, label: &str, value: &mut String) -> Response {
    let t = crate::i18n::t();
    let label = ui.label(label);
    ui.add(TextEdit::singleline(value).hint_text(t.date_filter_any).desired_width(90.0))
        .on_hover_text(t.date_filter_tip)
        .labelled_by(label.id)
}

/// A time in a table cell: month to minute for this year's rows, with the
/// year for any other's (issue 23: on ten years of rows, 03-05 09:12 did
/// not say which March). The one format every table's time column uses.
pub fn table_time(at: chrono::NaiveDateTime, today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if at.year() == today.year() { at.format("%m-%d %H:%M") } else { at.format("%Y-%m-%d %H:%M") }.to_string()
}

/// A day in a table cell, by the same rule as [`table_time`].
pub fn table_day(on: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if on.year() == today.year() { on.format("%m-%d") } else { on.format("%Y-%m-%d") }.to_string()
}

/// A central panel inside the tab's own: egui's margins without a fill.
/// The tab's panel has painted that background already, and every
/// covering of the window is shaded pixel by pixel on a PC whose OpenGL is
/// software (issue 23: a second layer on most tabs, every frame). The
/// scroll areas' fades take their colour from the tab's panel below.
pub fn nested_central_panel() -> egui::CentralPanel {
    egui::CentralPanel::default().frame(egui::Frame::new().inner_margin(8))
}

/// The window is cleared to the panels' colour (issue 23): its panels
/// then need no fill of their own, and software GL (llvmpipe) shades the
/// window's million pixels once a frame instead of twice.
pub fn window_clear_color(visuals: &egui::Visuals) -> [f32; 4] {
    visuals.panel_fill.to_normalized_gamma_f32()
}

/// The tab's panel, which covers most of the window, on the cleared
/// window without a fill (see [`window_clear_color`]).
pub fn window_central_panel(ui: &egui::Ui) -> egui::CentralPanel {
    egui::CentralPanel::default()
        .frame(egui::Frame::central_panel(ui.style()).fill(egui::Color32::TRANSPARENT))
}

/// The top bar's and the status bar's frame, without a fill (see [`window_clear_color`]).
pub fn window_bar_frame(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::side_top_panel(ui.style()).fill(egui::Color32::TRANSPARENT)
}

/// A side panel inside the tab's panel, without a fill (see
/// [`nested_central_panel`]).
pub fn nested_side_panel(panel: egui::Panel) -> egui::Panel {
    panel.frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(8, 2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> chrono::NaiveDateTime {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn a_table_time_names_the_year_only_when_it_is_not_this_one() {
        let today = at("2026-12-04 21:00").date();
        assert_eq!(table_time(at("2026-03-05 09:12"), today), "03-05 09:12");
        assert_eq!(table_time(at("2016-03-05 09:12"), today), "2016-03-05 09:12");
        assert_eq!(table_time(at("2027-01-02 08:00"), today), "2027-01-02 08:00");
        assert_eq!(table_day(at("2025-12-31 00:00").date(), today), "2025-12-31");
        assert_eq!(table_day(at("2026-01-01 00:00").date(), today), "01-01");
    }
}

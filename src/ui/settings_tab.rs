//! The 设置 tab: the office's settings, staff (and their sign-in), the price
//! list (常规服务项目表) and the residents' households. Each list reloads
//! when data changes; each form validates in `domain` via `app` and shows the
//! message next to the field it concerns.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::widgets::{
    SaveTurn, Turn, choice_combo, clip_cells, error_cell, nested_central_panel, nested_side_panel,
    password_row, save_button_ui, text_row,
};
use super::{DataStamp, TabCtx};
use crate::app::AppError;
use crate::domain::{
    Category, Group, Household, OfficeSettings, PriceItem, PriceItemDraft, PriceItemError, PriceItemId,
    PrintLanguage, Rank, Resident, Staff, StaffDraft, StaffError, StaffId, YuanWord, mask_phone, parse_date,
};
use crate::i18n::{fill, t};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Section {
    #[default]
    Office,
    Staff,
    Prices,
    Residents,
    Mine,
    /// A manager's only: others do not see it.
    Backups,
    /// A manager's only, as the staff and price forms are.
    Import,
}

type Message = Option<Result<String, String>>;

#[derive(Default)]
pub struct SettingsTab {
    section: Section,
    stamp: Option<DataStamp>,
    office: OfficeForm,
    staff: Vec<Staff>,
    staff_form: StaffForm,
    prices: Vec<PriceItem>,
    price_form: PriceForm,
    residents: ResidentsView,
    mine: MineForm,
    backups: super::backup_pane::BackupPane,
    import: super::import_pane::ImportPane,
}

impl SettingsTab {
    /// Which section is open: a status message belongs to it.
    pub fn section_key(&self) -> u8 {
        self.section as u8
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        self.reload(tab);
        // Issue 9: the office, its staff and prices are the manager's to keep
        // (the app refuses the others too); so are the backups, which hold
        // every resident's data (a restore replaces the office's file).
        // Everyone files residents and keeps their own password.
        let manager = tab.user.rank == Rank::Manager;
        let managers_only =
            [Section::Office, Section::Staff, Section::Prices, Section::Backups, Section::Import];
        if !manager && managers_only.contains(&self.section) {
            self.section = Section::Residents;
        }
        ui.horizontal_wrapped(|ui| {
            let managers = [
                (Section::Office, t.settings_office),
                (Section::Staff, t.settings_staff),
                (Section::Prices, t.settings_prices),
            ];
            let everyone = [(Section::Residents, t.settings_residents), (Section::Mine, t.settings_mine)];
            let shown = managers.iter().filter(|_| manager).chain(everyone.iter());
            for (section, title) in shown {
                ui.selectable_value(&mut self.section, *section, RichText::new(*title).size(15.0));
            }
            if !manager {
                ui.separator();
                ui.label(RichText::new(t.settings_managers_only).weak());
            }
            if manager {
                ui.selectable_value(
                    &mut self.section,
                    Section::Backups,
                    RichText::new(t.settings_backups).size(15.0),
                );
                ui.selectable_value(
                    &mut self.section,
                    Section::Import,
                    RichText::new(t.settings_import).size(15.0),
                );
            }
        });
        ui.separator();
        match self.section {
            Section::Mine => self.mine.ui(ui, tab),
            Section::Office => self.office.ui(ui, tab),
            Section::Staff => staff_ui(ui, tab, &self.staff, &mut self.staff_form),
            Section::Prices => prices_ui(ui, tab, &self.prices, &mut self.price_form),
            Section::Residents => self.residents.ui(ui, tab),
            Section::Backups => self.backups.ui(ui, tab),
            Section::Import => self.import.ui(ui, tab),
        }
    }

    fn reload(&mut self, tab: &TabCtx<'_>) {
        if self.stamp == Some(tab.stamp) {
            return;
        }
        self.stamp = Some(tab.stamp);
        let store = tab.desk.store();
        self.staff = store.list_staff().unwrap_or_default();
        self.prices = store.list_price_items().unwrap_or_default();
        if let Ok(Some(office)) = store.office() {
            self.office.load(office);
        }
        self.residents.stale = true;
    }
}

#[derive(Default)]
struct OfficeForm {
    name: String,
    phone: String,
    address: String,
    window_days: String,
    print: PrintLanguage,
    /// What was last loaded: the form is replaced only while it still shows it.
    loaded: Option<OfficeSettings>,
    message: Message,
    turn: SaveTurn,
}

impl OfficeForm {
    /// Shows the stored settings, unless the clerk is editing the form (a
    /// commit from another desk must not overwrite what they type).
    fn load(&mut self, office: OfficeSettings) {
        let edited = self.loaded.as_ref().is_some_and(|old| {
            (
                old.name.as_str(),
                old.phone.as_str(),
                old.address.as_str(),
                old.new_window_days.to_string(),
                old.print,
            ) != (
                self.name.as_str(),
                self.phone.as_str(),
                self.address.as_str(),
                self.window_days.clone(),
                self.print,
            )
        });
        if edited {
            return;
        }
        self.name = office.name.clone();
        self.phone = office.phone.clone();
        self.address = office.address.clone();
        self.window_days = office.new_window_days.to_string();
        self.print = office.print;
        self.loaded = Some(office);
    }

    fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        let days = self.window_days.trim().parse::<u32>().ok();
        egui::Grid::new("office_grid").num_columns(3).spacing([12.0, 8.0]).show(ui, |ui| {
            let name_error = self.name.trim().is_empty().then_some(t.err_office_name);
            text_row(ui, t.office_name, &mut self.name, name_error);
            text_row(ui, t.office_phone, &mut self.phone, None);
            text_row(ui, t.office_address, &mut self.address, None);
            let days_error = days.is_none_or(|d| !(1..=365).contains(&d)).then_some(t.err_window_range);
            text_row(ui, t.new_window_days, &mut self.window_days, days_error);
            super::person::language_row(ui, t.language_print, &mut self.print.language);
            ui.label(t.language_yuan_word);
            ui.horizontal(|ui| {
                for word in [YuanWord::Yuan, YuanWord::Round] {
                    ui.radio_value(&mut self.print.yuan, word, word.code());
                }
            });
            error_cell(ui, None);
            ui.end_row();
        });
        let clicked = save_button_ui(ui);
        let turn = self.turn.button(ui, clicked, ());
        // Saved after all: the next reload shows what is stored.
        if turn == Turn::SavedAfterAll(()) {
            self.loaded = None;
        }
        if turn == Turn::Save(()) {
            let office = OfficeSettings {
                name: self.name.clone(),
                phone: self.phone.clone(),
                address: self.address.clone(),
                new_window_days: days.unwrap_or(0),
                print: self.print,
            };
            self.message = Some(match tab.desk.save_office(tab.user, &office) {
                Ok(()) => {
                    // Saved: the next reload shows what is stored (trimmed).
                    self.loaded = None;
                    tab.after_write(t.settings_saved.into());
                    Ok(t.settings_saved.into())
                }
                Err(e) => Err(t.app_error(&e)),
            });
        }
        self.turn.line_ui(ui, &self.message);
    }
}

/// The messages of a settings form: one next to the field it concerns, or
/// one under the form.
#[derive(Default)]
struct FormStatus {
    field_error: Option<(&'static str, String)>,
    message: Message,
}

impl FormStatus {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.field_error.as_ref().filter(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    fn saved(&mut self, tab: &mut TabCtx<'_>) {
        tab.after_write(t().settings_saved.into());
        self.message = Some(Ok(t().settings_saved.into()));
    }

    /// A refused save: next to `field` (cut to its cell) and, whole, under
    /// the form's buttons, where it moves nothing.
    fn failed(&mut self, field: &'static str, e: &AppError) {
        let text = t().app_error(e);
        if !field.is_empty() {
            self.field_error = Some((field, text.clone()));
        }
        self.message = Some(Err(text));
    }
}

/// What the clerk picked in a list: a new record, or row `n`.
enum ListPick {
    New,
    Row(usize),
}

/// A two-pane list/editor layout: a "new" button and the list on the left,
/// the form on the right. Returns what was picked in the list this frame.
fn list_and_form(
    ui: &mut egui::Ui,
    id: &str,
    new_label: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    selected: Option<usize>,
    form: impl FnOnce(&mut egui::Ui),
) -> Option<ListPick> {
    nested_side_panel(egui::Panel::right(format!("{id}_form")))
        .default_size(460.0)
        .min_size(420.0)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, form);
        });
    nested_central_panel()
        .show(ui, |ui| {
            let new = ui.button(new_label).clicked().then_some(ListPick::New);
            let row = simple_table(ui, &format!("{id}_table"), headers, rows, selected).map(ListPick::Row);
            row.or(new)
        })
        .inner
}

/// A plain striped table: headers, then one row of cells per item; a click
/// on a row returns its index.
fn simple_table(
    ui: &mut egui::Ui,
    id: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    selected: Option<usize>,
) -> Option<usize> {
    let mut clicked = None;
    let widths = column_widths(ui, headers, rows);
    let mut table =
        TableBuilder::new(ui).id_salt(id).striped(true).resizable(true).sense(egui::Sense::click());
    for (i, width) in widths.into_iter().enumerate() {
        // Issue 19: `Column::auto` measured the truncated cells and cut the
        // item names and dates while the last column took half the table.
        let column = if i + 1 == headers.len() { Column::remainder() } else { Column::initial(width) };
        table = table.column(column.at_least(50.0).clip(clip_cells()));
    }
    table
        .header(26.0, |mut header| {
            for title in headers {
                header.col(|ui| {
                    ui.strong(*title);
                });
            }
        })
        .body(|body| {
            body.rows(24.0, rows.len(), |mut row| {
                let index = row.index();
                row.set_selected(selected == Some(index));
                for cell in &rows[index] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(cell.as_str()).truncate().selectable(false));
                    });
                }
                if row.response().clicked() {
                    clicked = Some(index);
                }
            });
        });
    clicked
}

/// Each column as wide as its widest text (the first rows', a long list
/// being alike), within reason.
fn column_widths(ui: &egui::Ui, headers: &[&str], rows: &[Vec<String>]) -> Vec<f32> {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let width = |text: &str| {
        ui.painter().layout_no_wrap(text.to_string(), font.clone(), egui::Color32::BLACK).size().x
    };
    (0..headers.len())
        .map(|i| {
            let cells = rows.iter().take(200).filter_map(|row| row.get(i)).map(|cell| width(cell));
            let widest = cells.fold(width(headers[i]), f32::max);
            (widest + 16.0).clamp(50.0, 360.0)
        })
        .collect()
}

/// What a staff or price form sends: its draft (its date parsed as the
/// save parses it), the date as typed, and an edit's reason.
type Sent<D> = (D, String, String);

/// A form's save `sent` proved saved after all: as its success does, but
/// only where the form still shows what was sent (`now`) — a new one left
/// empty for the next (its turn, and its line saying so, kept), an edit's
/// reason used. What was typed over since is the clerk's next edit, kept.
fn saved_after_all<F: Default, D: PartialEq, A>(
    form: &mut F,
    new: bool,
    (now, sent): (Sent<D>, Sent<D>),
    parts: fn(&mut F) -> (&mut String, &mut FormStatus, &mut SaveTurn<A>),
) {
    if new {
        if (now.0, now.1) == (sent.0, sent.1) {
            let kept = std::mem::take(parts(form).2);
            *form = F::default();
            *parts(form).2 = kept;
        }
        return;
    }
    let (reason, status, _) = parts(form);
    *status = FormStatus::default();
    if *reason == sent.2 {
        reason.clear();
    }
}

/// The staff form's two saves, which share its message line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StaffSave {
    Member(Sent<StaffDraft>),
    /// The password, as typed when asked.
    Password(String),
}

struct StaffForm {
    id: Option<StaffId>,
    draft: StaffDraft,
    first_job: String,
    reason: String,
    password: String,
    status: FormStatus,
    turn: SaveTurn<StaffSave>,
}

impl Default for StaffForm {
    /// An empty form for a new member, who is active until said otherwise.
    fn default() -> StaffForm {
        StaffForm {
            id: None,
            draft: StaffDraft { active: true, ..StaffDraft::default() },
            first_job: String::new(),
            reason: String::new(),
            password: String::new(),
            status: FormStatus::default(),
            turn: SaveTurn::default(),
        }
    }
}

impl StaffForm {
    fn edit(staff: &Staff) -> StaffForm {
        StaffForm {
            id: Some(staff.id),
            draft: StaffDraft {
                name: staff.name.clone(),
                group: Some(staff.group),
                rank: Some(staff.rank),
                active: staff.active,
                first_job_on: staff.first_job_on,
                phone: staff.phone.clone(),
                login: staff.login.clone().unwrap_or_default(),
            },
            first_job: staff.first_job_on.map(|d| d.to_string()).unwrap_or_default(),
            ..StaffForm::default()
        }
    }

    /// What 保存 sends now ([`Sent`]).
    fn sent(&self) -> Sent<StaffDraft> {
        let draft = StaffDraft { first_job_on: parse_date(&self.first_job), ..self.draft.clone() };
        (draft, self.first_job.clone(), self.reason.clone())
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) {
        self.status = FormStatus::default();
        self.draft.first_job_on = parse_date(&self.first_job);
        if !self.first_job.trim().is_empty() && self.draft.first_job_on.is_none() {
            self.status.field_error = Some(("first_job", t().err_date.into()));
            return;
        }
        match tab.desk.save_staff(tab.user, self.id, &self.draft, &self.reason) {
            Ok(id) => {
                self.id = Some(id);
                self.reason.clear();
                self.status.saved(tab);
            }
            Err(e) => {
                let field = match &e {
                    AppError::Staff(StaffError::NameRequired | StaffError::Name(_)) => "name",
                    AppError::Staff(StaffError::GroupRequired) => "group",
                    AppError::Staff(StaffError::RankRequired) => "rank",
                    AppError::Staff(StaffError::LoginHasSpaces | StaffError::Login(_))
                    | AppError::Store(crate::store::StoreError::Duplicate(_)) => "login",
                    AppError::Staff(StaffError::BadPhone) => "phone",
                    _ => "",
                };
                self.status.failed(field, &e);
            }
        }
    }

    fn set_password(&mut self, tab: &mut TabCtx<'_>) {
        let Some(id) = self.id else { return };
        self.status = FormStatus::default();
        match tab.desk.set_password(tab.user, id, &self.password) {
            Ok(()) => {
                self.password.clear();
                self.status.saved(tab);
            }
            Err(e) => self.status.failed("password", &e),
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        match self.turn.take(ui) {
            Turn::Save(StaffSave::Member(_)) => self.save(tab),
            Turn::Save(StaffSave::Password(_)) => self.set_password(tab),
            // Saved after all: a new member is in the list; an edit's
            // reason, or the password, was used (unless typed over since).
            Turn::SavedAfterAll(StaffSave::Member(sent)) => {
                let sides = (self.sent(), sent);
                saved_after_all(self, self.id.is_none(), sides, |f| {
                    (&mut f.reason, &mut f.status, &mut f.turn)
                });
            }
            Turn::SavedAfterAll(StaffSave::Password(sent)) => {
                self.status = FormStatus::default();
                if self.password == sent {
                    self.password.clear();
                }
            }
            Turn::Idle => {}
        }
        ui.heading(if self.id.is_some() { t.edit } else { t.staff_new });
        egui::Grid::new("staff_grid").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            let name_error = self.status.error_for("name").map(str::to_owned);
            text_row(ui, t.staff_name, &mut self.draft.name, name_error.as_deref());
            let label = ui.label(t.staff_group);
            choice_combo(ui, "staff_group", &mut self.draft.group, Group::ALL, t.choose_one, |g| {
                t.group(g).into()
            })
            .labelled_by(label.id);
            error_cell(ui, self.status.error_for("group"));
            ui.end_row();
            let label = ui.label(t.staff_rank);
            choice_combo(ui, "staff_rank", &mut self.draft.rank, Rank::ALL, t.choose_one, |r| {
                t.rank(r).into()
            })
            .labelled_by(label.id);
            error_cell(ui, self.status.error_for("rank"));
            ui.end_row();
            let label = ui.label(t.staff_active);
            ui.checkbox(&mut self.draft.active, "").labelled_by(label.id);
            ui.label("");
            ui.end_row();
            let date_error = self.status.error_for("first_job").map(str::to_owned);
            text_row(ui, t.staff_first_job, &mut self.first_job, date_error.as_deref());
            let phone_error = self.status.error_for("phone").map(str::to_owned);
            text_row(ui, t.staff_phone, &mut self.draft.phone, phone_error.as_deref());
            let login_error = self.status.error_for("login").map(str::to_owned);
            text_row(ui, t.staff_login, &mut self.draft.login, login_error.as_deref());
            if self.id.is_some() {
                text_row(ui, t.change_reason, &mut self.reason, None);
            }
        });
        if save_button_ui(ui) {
            self.turn.ask(ui, StaffSave::Member(self.sent()));
        }
        if self.id.is_some() && !self.draft.login.trim().is_empty() {
            ui.separator();
            egui::Grid::new("staff_password_grid").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
                let password_error = self.status.error_for("password").map(str::to_owned);
                password_row(ui, t.password, &mut self.password, password_error.as_deref());
            });
            if ui.button(t.staff_set_password).clicked() {
                self.turn.ask(ui, StaffSave::Password(self.password.clone()));
            }
        }
        self.turn.line_ui(ui, &self.status.message);
    }
}

fn staff_ui(ui: &mut egui::Ui, tab: &mut TabCtx<'_>, staff: &[Staff], form: &mut StaffForm) {
    let t = t();
    let rows: Vec<Vec<String>> = staff
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                t.group(s.group).into(),
                t.rank(s.rank).into(),
                if s.active { t.staff_active } else { t.staff_inactive }.into(),
                s.first_job_on.map(|d| d.to_string()).unwrap_or_default(),
                s.phone.clone(),
                s.login.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let selected = form.id.and_then(|id| staff.iter().position(|s| s.id == id));
    let headers = [
        t.staff_name,
        t.staff_group,
        t.staff_rank,
        t.staff_active,
        t.staff_first_job,
        t.staff_phone,
        t.staff_login,
    ];
    match list_and_form(ui, "staff", t.staff_new, &headers, &rows, selected, |ui| form.ui(ui, tab)) {
        Some(ListPick::New) => *form = StaffForm::default(),
        Some(ListPick::Row(i)) => *form = StaffForm::edit(&staff[i]),
        None => {}
    }
}

struct PriceForm {
    id: Option<PriceItemId>,
    draft: PriceItemDraft,
    added_on: String,
    reason: String,
    status: FormStatus,
    turn: SaveTurn<Sent<PriceItemDraft>>,
}

impl Default for PriceForm {
    /// An empty form for a new item, in use until said otherwise.
    fn default() -> PriceForm {
        PriceForm {
            id: None,
            draft: PriceItemDraft { active: true, ..PriceItemDraft::default() },
            added_on: String::new(),
            reason: String::new(),
            status: FormStatus::default(),
            turn: SaveTurn::default(),
        }
    }
}

impl PriceForm {
    fn edit(item: &PriceItem) -> PriceForm {
        PriceForm {
            id: Some(item.id),
            draft: PriceItemDraft {
                category: Some(item.category),
                name: item.name.clone(),
                unit: item.unit.clone(),
                price: item.price.to_plain(),
                added_on: Some(item.added_on),
                active: item.active,
            },
            added_on: item.added_on.to_string(),
            ..PriceForm::default()
        }
    }

    /// What 保存 sends now ([`Sent`]).
    fn sent(&self) -> Sent<PriceItemDraft> {
        let draft = PriceItemDraft { added_on: parse_date(&self.added_on), ..self.draft.clone() };
        (draft, self.added_on.clone(), self.reason.clone())
    }

    fn save(&mut self, tab: &mut TabCtx<'_>) {
        self.status = FormStatus::default();
        self.draft.added_on = parse_date(&self.added_on);
        if !self.added_on.trim().is_empty() && self.draft.added_on.is_none() {
            self.status.field_error = Some(("added_on", t().err_date.into()));
            return;
        }
        match tab.desk.save_price_item(tab.user, self.id, &self.draft, &self.reason) {
            Ok(id) => {
                self.id = Some(id);
                self.reason.clear();
                self.status.saved(tab);
            }
            Err(e) => {
                let field = match &e {
                    AppError::PriceItem(PriceItemError::CategoryRequired) => "category",
                    AppError::PriceItem(PriceItemError::NameRequired | PriceItemError::Name(_))
                    | AppError::Store(crate::store::StoreError::Duplicate(_)) => "item",
                    AppError::PriceItem(PriceItemError::UnitRequired | PriceItemError::Unit(_)) => "unit",
                    AppError::PriceItem(PriceItemError::Price(_)) => "price",
                    _ => "",
                };
                self.status.failed(field, &e);
            }
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        match self.turn.take(ui) {
            Turn::Save(_) => self.save(tab),
            // Saved after all: a new item is in the list.
            Turn::SavedAfterAll(sent) => {
                let sides = (self.sent(), sent);
                saved_after_all(self, self.id.is_none(), sides, |f| {
                    (&mut f.reason, &mut f.status, &mut f.turn)
                });
            }
            Turn::Idle => {}
        }
        ui.heading(if self.id.is_some() { t.edit } else { t.price_new });
        egui::Grid::new("price_grid").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            let label = ui.label(t.price_category);
            choice_combo(ui, "price_category", &mut self.draft.category, Category::ALL, t.choose_one, |c| {
                t.category(c).into()
            })
            .labelled_by(label.id);
            error_cell(ui, self.status.error_for("category"));
            ui.end_row();
            let errors: Vec<Option<String>> = ["item", "unit", "price", "added_on"]
                .iter()
                .map(|f| self.status.error_for(f).map(str::to_owned))
                .collect();
            text_row(ui, t.price_item, &mut self.draft.name, errors[0].as_deref());
            text_row(ui, t.price_unit, &mut self.draft.unit, errors[1].as_deref());
            text_row(ui, t.price_listed, &mut self.draft.price, errors[2].as_deref());
            text_row(ui, t.price_added_on, &mut self.added_on, errors[3].as_deref());
            let label = ui.label(t.price_active);
            ui.checkbox(&mut self.draft.active, "").labelled_by(label.id);
            ui.label("");
            ui.end_row();
            if self.id.is_some() {
                text_row(ui, t.change_reason, &mut self.reason, None);
            }
        });
        if save_button_ui(ui) {
            self.turn.ask(ui, self.sent());
        }
        self.turn.line_ui(ui, &self.status.message);
    }
}

fn prices_ui(ui: &mut egui::Ui, tab: &mut TabCtx<'_>, prices: &[PriceItem], form: &mut PriceForm) {
    let t = t();
    let rows: Vec<Vec<String>> = prices
        .iter()
        .map(|p| {
            vec![
                t.category(p.category).into(),
                p.name.clone(),
                p.unit.clone(),
                p.price.to_string(),
                p.added_on.to_string(),
                if p.active { t.yes } else { t.no }.into(),
            ]
        })
        .collect();
    let selected = form.id.and_then(|id| prices.iter().position(|p| p.id == id));
    let headers =
        [t.price_category, t.price_item, t.price_unit, t.price_listed, t.price_added_on, t.price_active];
    match list_and_form(ui, "prices", t.price_new, &headers, &rows, selected, |ui| form.ui(ui, tab)) {
        Some(ListPick::New) => *form = PriceForm::default(),
        Some(ListPick::Row(i)) => *form = PriceForm::edit(&prices[i]),
        None => {}
    }
}

/// Households found by a search, and the one being edited.
#[derive(Default)]
struct ResidentsView {
    search: String,
    searched: Option<String>,
    stale: bool,
    found: Vec<Household>,
    room: String,
    notes: String,
    editing: Option<Household>,
    resident: Resident,
    message: Message,
    /// The household's room and the resident sent with it.
    turn: SaveTurn<(String, Resident)>,
}

impl ResidentsView {
    fn refresh(&mut self, tab: &TabCtx<'_>) {
        if !self.stale && self.searched.as_deref() == Some(self.search.as_str()) {
            return;
        }
        self.stale = false;
        self.searched = Some(self.search.clone());
        self.found = tab.desk.store().search_households(&self.search, 10_000).unwrap_or_default();
        if let Some(editing) = &self.editing {
            self.editing = self.found.iter().find(|h| h.id == editing.id).cloned().or(self.editing.take());
        }
    }

    fn select(&mut self, household: &Household) {
        self.room = household.room.to_string();
        self.notes = household.notes.clone();
        self.editing = Some(household.clone());
        self.resident = Resident::default();
        self.message = None;
        self.turn.said();
    }

    fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        self.refresh(tab);
        let rows: Vec<Vec<String>> = self
            .found
            .iter()
            .map(|h| {
                let names: Vec<&str> = h.residents.iter().map(|r| r.name.as_str()).collect();
                // Issue 9 (privacy): masked in the list; the household's detail shows them.
                let phones: Vec<String> = h.residents.iter().map(|r| mask_phone(&r.phone)).collect();
                vec![h.room.to_string(), names.join(t.list_sep), phones.join(t.list_sep), h.notes.clone()]
            })
            .collect();
        let selected = self.editing.as_ref().and_then(|e| self.found.iter().position(|h| h.id == e.id));
        let mut clicked = None;
        nested_side_panel(egui::Panel::right("residents_form"))
            .default_size(460.0)
            .min_size(420.0)
            .resizable(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| self.form_ui(ui, tab));
            });
        nested_central_panel().show(ui, |ui| {
            ui.horizontal(|ui| {
                // Named, as every field is, for a screen reader (issue 22).
                let label = ui.label(t.search);
                ui.add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text(t.household_search)
                        .desired_width(300.0),
                )
                .labelled_by(label.id);
                if ui.button(t.add).clicked() {
                    self.editing = None;
                    self.room.clear();
                    self.notes.clear();
                    self.resident = Resident::default();
                    self.turn.said();
                }
            });
            let headers = [t.household_room, t.col_resident, t.col_phone, t.household_notes];
            clicked = simple_table(ui, "households_table", &headers, &rows, selected);
        });
        if let Some(index) = clicked {
            let household = self.found[index].clone();
            self.select(&household);
        }
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        match &self.editing {
            Some(h) => ui.heading(fill(t.residents_of, &[("room", &h.room)])),
            None => ui.heading(t.add),
        };
        let mut pick = None;
        if let Some(household) = &self.editing {
            for resident in &household.residents {
                if ui.link(format!("{}  {}  {}", resident.name, resident.phone, resident.notes)).clicked() {
                    pick = Some(resident.clone());
                }
            }
        }
        if let Some(resident) = pick {
            self.resident = resident;
        }
        egui::Grid::new("household_grid").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            if self.editing.is_none() {
                text_row(ui, t.household_room, &mut self.room, None);
            }
            text_row(ui, t.household_notes, &mut self.notes, None);
            ui.label(RichText::new(if self.resident.id == 0 { t.resident_new } else { t.edit }).strong());
            ui.label("");
            ui.label("");
            ui.end_row();
            text_row(ui, t.field_resident, &mut self.resident.name, None);
            text_row(ui, t.field_phone, &mut self.resident.phone, None);
            text_row(ui, t.field_notes, &mut self.resident.notes, None);
        });
        let clicked = save_button_ui(ui);
        match self.turn.button(ui, clicked, (self.room.clone(), self.resident.clone())) {
            Turn::Save((room, sent)) => {
                let resident = (!sent.name.trim().is_empty()).then_some(&sent);
                self.message = Some(match tab.desk.save_household(tab.user, &room, &self.notes, resident) {
                    Ok(_) => {
                        tab.after_write(t.settings_saved.into());
                        self.saved(tab, &room, &sent);
                        Ok(t.settings_saved.into())
                    }
                    Err(e) => Err(t.app_error(&e)),
                });
            }
            Turn::SavedAfterAll((room, sent)) => self.saved(tab, &room, &sent),
            Turn::Idle => {}
        }
        self.turn.line_ui(ui, &self.message);
    }

    /// The household of `room` saved with `sent`: edited from now on, the
    /// resident's fields emptied for the next one. Proved saved after
    /// another household was picked, or the resident typed on, it leaves
    /// the form as it is: the list shows what is stored.
    fn saved(&mut self, tab: &TabCtx<'_>, room: &str, sent: &Resident) {
        self.stale = true;
        if self.room != room {
            self.turn.said();
            return;
        }
        if let Ok(room) = crate::domain::RoomNo::parse(&self.room) {
            self.editing = tab.desk.store().household_by_room(&room).ok().flatten();
        }
        if self.resident == *sent {
            self.resident = Resident::default();
        }
    }
}

/// 本机与密码: one's own password, and how soon this PC locks when idle.
#[derive(Default)]
struct MineForm {
    old: String,
    new: String,
    again: String,
    lock_minutes: Option<String>,
    password_message: Message,
    lock_message: Message,
    turn: SaveTurn,
}

impl MineForm {
    fn ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        ui.heading(t.mine_change_password);
        egui::Grid::new("mine_password").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            password_row(ui, t.mine_old_password, &mut self.old, None);
            password_row(ui, t.mine_new_password, &mut self.new, None);
            let differ = (!self.again.is_empty() && self.again != self.new).then_some(t.passwords_differ);
            password_row(ui, t.mine_new_again, &mut self.again, differ);
        });
        let clicked =
            ui.add_enabled(self.again == self.new, egui::Button::new(t.mine_change_password)).clicked();
        match self.turn.button(ui, clicked, ()) {
            Turn::Save(()) => {
                self.password_message =
                    Some(match tab.desk.change_own_password(tab.user, &self.old, &self.new) {
                        Ok(()) => {
                            (self.old, self.new, self.again) = Default::default();
                            tab.after_write(t.mine_password_changed.into());
                            Ok(t.mine_password_changed.into())
                        }
                        Err(e) => Err(t.app_error(&e)),
                    });
            }
            Turn::SavedAfterAll(()) => (self.old, self.new, self.again) = Default::default(),
            Turn::Idle => {}
        }
        self.turn.line_ui(ui, &self.password_message);
        ui.add_space(12.0);
        self.lock_ui(ui, tab);
        ui.add_space(12.0);
        place_ui(ui, tab);
        ui.add_space(12.0);
        egui::Grid::new("mine_language").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            let mut language = crate::i18n::language();
            if super::person::language_row(ui, t.language_screen, &mut language) {
                crate::i18n::set_language(language);
            }
        });
    }

    fn lock_ui(&mut self, ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
        let t = t();
        let current = tab.lock_minutes.unwrap_or(super::lock::DEFAULT_LOCK_MINUTES);
        let text = self.lock_minutes.get_or_insert_with(|| current.to_string());
        let minutes = text.trim().parse::<u32>().ok().filter(|m| *m <= 240);
        egui::Grid::new("mine_lock").num_columns(3).spacing([10.0, 8.0]).show(ui, |ui| {
            text_row(ui, t.mine_lock_minutes, text, minutes.is_none().then_some(t.mine_lock_bad));
        });
        if ui.add_enabled(minutes.is_some(), egui::Button::new(t.save)).clicked()
            && let Some(minutes) = minutes
        {
            *tab.lock_minutes = Some(minutes);
            let said = match minutes {
                0 => t.mine_lock_never.to_string(),
                n => fill(t.mine_lock_saved, &[("n", &n)]),
            };
            *tab.status = Some(said.clone());
            self.lock_message = Some(Ok(said));
        }
        super::widgets::message_ui(ui, &self.lock_message);
    }
}

/// 数据位置 (issue 21): where this PC's office is, its password never
/// shown, and 更换数据位置, which signs out and opens the choice.
fn place_ui(ui: &mut egui::Ui, tab: &mut TabCtx<'_>) {
    let t = t();
    ui.heading(t.loc_place_section);
    let location = tab.desk.location();
    ui.label(fill(t.loc_place_now, &[("place", &location)]));
    if let Some(address) = match &location {
        crate::store::Location::Server(url) => crate::store::ServerAddress::from_url(url),
        crate::store::Location::File(_) => None,
    } {
        let mode = super::start::encryption_name(t, address.encryption);
        ui.label(fill(t.loc_place_encryption, &[("mode", &mode)]));
    }
    ui.label(RichText::new(t.loc_change_note).weak());
    if ui.button(t.loc_change).clicked() {
        *tab.change_location = true;
    }
}

//! The three kinds of the 设置 tab — residents, staff, the price list —
//! row by row: each cell parsed, then the row through the same `domain`
//! validation the forms use (`validate_resident`, `validate_staff`,
//! `validate_price_item`), then checked against earlier rows and the
//! database for a second copy.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{
    ColumnSpec, ImportFault, ImportKind, ImportRecord, OnFile, RowCells, optional, parse_import_date,
    parse_yes_no, required,
};
use crate::domain::{
    Category, Group, Money, PriceItemDraft, PriceItemError, Rank, Resident, ResidentError, RoomNo,
    StaffDraft, StaffError, check_day, is_valid_phone, validate_price_item, validate_resident,
    validate_staff,
};
use crate::i18n::t;

// Residents: the intake form's and the registers' names for the same cells.
const R_ROOM: usize = 0;
const R_NAME: usize = 1;
const R_PHONE: usize = 2;
const R_NOTES: usize = 3;
pub(super) const RESIDENT_COLUMNS: &[ColumnSpec] = &[
    required(&["房号", "房间号", "住址"]),
    required(&["住户姓名", "住户", "姓名", "客户姓名"]).person(),
    optional(&["电话", "联系电话", "手机", "手机号"]),
    optional(&["备注", "住户备注"]).note(),
];

// Staff: the 设置 › 员工 form's labels.
const S_NAME: usize = 0;
const S_GROUP: usize = 1;
const S_RANK: usize = 2;
const S_PHONE: usize = 3;
const S_LOGIN: usize = 4;
const S_ACTIVE: usize = 5;
const S_FIRST_JOB: usize = 6;
pub(super) const STAFF_COLUMNS: &[ColumnSpec] = &[
    required(&["姓名", "员工姓名"]).person(),
    required(&["部门／组别", "部门/组别", "组别", "部门", "班组"]),
    required(&["职级", "级别"]),
    optional(&["电话", "联系电话", "手机"]),
    optional(&["登录名", "账号", "用户名"]).login(),
    optional(&["在职", "状态"]),
    optional(&["首次上岗日期", "上岗日期", "入职日期"]),
];

// The price list (常规服务项目表).
const P_CATEGORY: usize = 0;
const P_ITEM: usize = 1;
const P_UNIT: usize = 2;
const P_PRICE: usize = 3;
const P_ADDED: usize = 4;
const P_ACTIVE: usize = 5;
pub(super) const PRICE_COLUMNS: &[ColumnSpec] = &[
    required(&["类别", "服务类别"]),
    required(&["服务项目", "项目名称", "项目"]),
    required(&["单位"]),
    required(&["价格（元）", "价格", "单价", "收费标准", "议定价格"]),
    optional(&["加入日期", "添加日期"]),
    optional(&["启用", "在用"]),
];

/// Checks rows of one kind, remembering earlier rows to find repeats.
pub(super) struct Checker<'a> {
    kind: ImportKind,
    on_file: &'a OnFile,
    today: NaiveDate,
    /// A record's key → the row it was first seen on.
    seen: HashMap<String, usize>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(kind: ImportKind, on_file: &'a OnFile, today: NaiveDate) -> Checker<'a> {
        Checker { kind, on_file, today, seen: HashMap::new() }
    }

    /// The row's record, or `None` with its problems added to the report.
    pub(super) fn check(&mut self, cells: &mut RowCells<'_>) -> Option<ImportRecord> {
        match self.kind {
            ImportKind::Residents => self.resident(cells),
            ImportKind::Staff => self.staff(cells),
            ImportKind::Prices => self.price_item(cells),
            // register rows are register.rs's, shopping entries shopping.rs's
            ImportKind::Register | ImportKind::Shopping => None,
        }
    }

    /// A second row with the same key is reported at `column`.
    fn first_time(&mut self, cells: &mut RowCells<'_>, column: usize, key: String) -> bool {
        if let Some(first) = self.seen.get(&key) {
            cells.fault(column, ImportFault::RepeatedInFile(*first));
            return false;
        }
        self.seen.insert(key, cells.line());
        true
    }

    fn resident(&mut self, cells: &mut RowCells<'_>) -> Option<ImportRecord> {
        let room = cells.required(R_ROOM).map(RoomNo::parse);
        if let Some(Err(_)) = room {
            cells.fault(R_ROOM, ImportFault::Room);
        }
        cells.required(R_NAME);
        if !cells.text(R_PHONE).is_empty() && !is_valid_phone(cells.text(R_PHONE)) {
            cells.fault(R_PHONE, ImportFault::Phone);
        }
        if cells.row_has_faults() {
            return None;
        }
        let draft = Resident {
            id: 0,
            name: cells.text(R_NAME).into(),
            phone: cells.text(R_PHONE).into(),
            notes: cells.text(R_NOTES).into(),
        };
        let resident = match validate_resident(&draft) {
            Ok(resident) => resident,
            Err(ResidentError::NameRequired) => return fault(cells, R_NAME, ImportFault::Required),
            Err(ResidentError::BadPhone) => return fault(cells, R_PHONE, ImportFault::Phone),
            Err(ResidentError::Name(e)) => return fault(cells, R_NAME, ImportFault::Text(e)),
            Err(ResidentError::Notes(e)) => return fault(cells, R_NOTES, ImportFault::Text(e)),
        };
        let room = room?.ok()?;
        if self.on_file.residents.contains(&(room.clone(), resident.name.clone())) {
            return fault(cells, R_NAME, ImportFault::AlreadyOnFile);
        }
        let key = format!("{}\u{0}{}", room.as_str(), resident.name);
        self.first_time(cells, R_NAME, key).then_some(ImportRecord::Resident { room, resident })
    }

    fn staff(&mut self, cells: &mut RowCells<'_>) -> Option<ImportRecord> {
        cells.required(S_NAME);
        let group = cells.required(S_GROUP).map(group_named);
        if let Some(None) = group {
            cells.fault(S_GROUP, ImportFault::Group);
        }
        let rank = cells.required(S_RANK).map(rank_named);
        if let Some(None) = rank {
            cells.fault(S_RANK, ImportFault::Rank);
        }
        if !cells.text(S_PHONE).is_empty() && !is_valid_phone(cells.text(S_PHONE)) {
            cells.fault(S_PHONE, ImportFault::Phone);
        }
        let active = parse_yes_no(cells.text(S_ACTIVE), true);
        if active.is_none() {
            cells.fault(S_ACTIVE, ImportFault::YesNo);
        }
        let first_job_on = optional_date(cells, S_FIRST_JOB, self.today);
        let draft = StaffDraft {
            name: cells.text(S_NAME).into(),
            group: group.flatten(),
            rank: rank.flatten(),
            active: active.unwrap_or(true),
            first_job_on: first_job_on.flatten(),
            phone: cells.text(S_PHONE).into(),
            login: cells.text(S_LOGIN).into(),
        };
        let staff = match validate_staff(0, &draft) {
            Ok(staff) => staff,
            Err(e) => {
                let column = match e {
                    StaffError::NameRequired => S_NAME,
                    StaffError::GroupRequired => S_GROUP,
                    StaffError::RankRequired => S_RANK,
                    StaffError::Name(_) => S_NAME,
                    StaffError::LoginHasSpaces | StaffError::Login(_) => S_LOGIN,
                    StaffError::BadPhone => S_PHONE,
                };
                if !cells.has_fault(column) {
                    let fault_of = match e {
                        StaffError::LoginHasSpaces => ImportFault::LoginHasSpaces,
                        StaffError::BadPhone => ImportFault::Phone,
                        StaffError::Name(e) | StaffError::Login(e) => ImportFault::Text(e),
                        _ => ImportFault::Required,
                    };
                    cells.fault(column, fault_of);
                }
                return None;
            }
        };
        if cells.row_has_faults() {
            return None;
        }
        if let Some(login) = staff.login.clone() {
            if self.on_file.logins.contains(&login) {
                return fault(cells, S_LOGIN, ImportFault::AlreadyOnFile);
            }
            if !self.first_time(cells, S_LOGIN, login) {
                return None;
            }
        }
        Some(ImportRecord::Staff(staff))
    }

    fn price_item(&mut self, cells: &mut RowCells<'_>) -> Option<ImportRecord> {
        let category = cells.required(P_CATEGORY).map(category_named);
        if let Some(None) = category {
            cells.fault(P_CATEGORY, ImportFault::Category);
        }
        cells.required(P_ITEM);
        cells.required(P_UNIT);
        if let Some(Err(e)) = cells.required(P_PRICE).map(Money::parse) {
            cells.fault(P_PRICE, ImportFault::Money(e));
        }
        let added_on = optional_date(cells, P_ADDED, self.today);
        let active = parse_yes_no(cells.text(P_ACTIVE), true);
        if active.is_none() {
            cells.fault(P_ACTIVE, ImportFault::YesNo);
        }
        if cells.row_has_faults() {
            return None;
        }
        let draft = PriceItemDraft {
            category: category.flatten(),
            name: cells.text(P_ITEM).into(),
            unit: cells.text(P_UNIT).into(),
            price: cells.text(P_PRICE).into(),
            added_on: added_on.flatten(),
            active: active.unwrap_or(true),
        };
        let item = match validate_price_item(0, &draft, self.today) {
            Ok(item) => item,
            Err(PriceItemError::CategoryRequired) => return fault(cells, P_CATEGORY, ImportFault::Required),
            Err(PriceItemError::NameRequired) => return fault(cells, P_ITEM, ImportFault::Required),
            Err(PriceItemError::UnitRequired) => return fault(cells, P_UNIT, ImportFault::Required),
            Err(PriceItemError::Price(e)) => return fault(cells, P_PRICE, ImportFault::Money(e)),
            Err(PriceItemError::Name(e)) => return fault(cells, P_ITEM, ImportFault::Text(e)),
            Err(PriceItemError::Unit(e)) => return fault(cells, P_UNIT, ImportFault::Text(e)),
        };
        if self.on_file.price_items.contains(&(item.category, item.name.clone())) {
            return fault(cells, P_ITEM, ImportFault::AlreadyOnFile);
        }
        let key = format!("{}\u{0}{}", item.category.code(), item.name);
        self.first_time(cells, P_ITEM, key).then_some(ImportRecord::PriceItem(item))
    }
}

fn fault(cells: &mut RowCells<'_>, column: usize, fault: ImportFault) -> Option<ImportRecord> {
    cells.fault(column, fault);
    None
}

/// `Some(None)` for an empty cell; `None` (reported) for a cell that is not
/// a date, or a day outside the office's life up to `today`.
fn optional_date(cells: &mut RowCells<'_>, column: usize, today: NaiveDate) -> Option<Option<NaiveDate>> {
    let text = cells.text(column);
    if text.is_empty() {
        return Some(None);
    }
    match parse_import_date(text).map(|date| (date, check_day(date, today))) {
        Some((date, Ok(()))) => Some(Some(date)),
        Some((_, Err(e))) => {
            cells.fault(column, ImportFault::When(e));
            None
        }
        None => {
            cells.fault(column, ImportFault::Date);
            None
        }
    }
}

/// A group by the name the app shows (家政组), without its last character
/// (家政), or by its code (housekeeping).
fn group_named(text: &str) -> Option<Group> {
    Group::ALL.iter().copied().find(|g| names_match(text, t().group(*g), g.code()))
}

fn rank_named(text: &str) -> Option<Rank> {
    Rank::ALL.iter().copied().find(|r| text == t().rank(*r) || text.eq_ignore_ascii_case(r.code()))
}

fn category_named(text: &str) -> Option<Category> {
    Category::ALL.iter().copied().find(|c| names_match(text, t().category(*c), c.code()))
}

fn names_match(text: &str, shown: &str, code: &str) -> bool {
    let short = shown.trim_end_matches(['组', '部']);
    text == shown || (!short.is_empty() && text == short) || text.eq_ignore_ascii_case(code)
}

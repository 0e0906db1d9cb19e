//! Office settings, staff and their logins, households and residents, and the
//! price list: reads on [`Store`], writes on [`WriteTx`] (each with history).
//! On the shared query layer (`store/sql.rs`): every statement runs on
//! either backend; only [`peek_office`] is SQLite's by nature (a file).

use super::sql::{Row, Sql, SqlError, SqlExt};
use super::{Result, Store, StoreError, WriteTx, unique_violation};
use crate::domain::history::{created, diff};
use crate::domain::{
    Action, Category, Entity, Group, Household, HouseholdId, Language, Money, OfficeSettings, PriceItem,
    PriceItemId, PrintLanguage, Rank, Resident, RoomNo, Staff, StaffId, YuanWord,
};
use crate::sql_params;

fn office_fields(o: &OfficeSettings) -> Vec<(&'static str, String)> {
    vec![
        ("office_name", o.name.clone()),
        ("office_phone", o.phone.clone()),
        ("office_address", o.address.clone()),
        ("new_window_days", o.new_window_days.to_string()),
        ("print_language", o.print.language.code().to_string()),
        ("yuan_word", o.print.yuan.code().to_string()),
    ]
}

/// The staff row's columns in the order both `insert_staff` and `update_staff` bind them.
fn staff_values(s: &Staff) -> std::result::Result<[super::sql::Value; 7], SqlError> {
    Ok(sql_params![s.name, s.group.code(), s.rank.code(), s.active, s.first_job_on, s.phone, s.login])
}

fn staff_fields(s: &Staff) -> Vec<(&'static str, String)> {
    vec![
        ("name", s.name.clone()),
        ("group", s.group.code().into()),
        ("rank", s.rank.code().into()),
        ("active", s.active.to_string()),
        ("first_job_on", s.first_job_on.map(|d| d.to_string()).unwrap_or_default()),
        ("phone", s.phone.clone()),
        ("login", s.login.clone().unwrap_or_default()),
    ]
}

fn price_fields(p: &PriceItem) -> Vec<(&'static str, String)> {
    vec![
        ("category", p.category.code().into()),
        ("item", p.name.clone()),
        ("unit", p.unit.clone()),
        ("price", p.price.to_string()),
        ("added_on", p.added_on.to_string()),
        ("active", p.active.to_string()),
    ]
}

fn resident_fields(r: &Resident) -> Vec<(&'static str, String)> {
    vec![("resident_name", r.name.clone()), ("phone", r.phone.clone()), ("notes", r.notes.clone())]
}

/// The columns [`staff_from_row`] reads, by position: a lookup by name
/// scans the names, and `*` would read every password hash too.
macro_rules! staff_columns {
    () => {
        "id, name, grp, rank, active, first_job_on, phone, login"
    };
}

fn get_staff(conn: &dyn Sql, id: StaffId) -> Result<Staff> {
    Ok(conn.fetch_one(
        concat!("SELECT ", staff_columns!(), " FROM staff WHERE id = ?1"),
        &sql_params![id],
        staff_from_row,
    )?)
}

impl WriteTx<'_> {
    /// A staff member as they are under the write lock.
    pub fn get_staff(&mut self, id: StaffId) -> Result<Staff> {
        get_staff(&self.tx, id)
    }
}

fn staff_from_row(r: &Row) -> Result<Staff, SqlError> {
    Ok(Staff {
        id: r.get(0)?,
        name: r.get(1)?,
        group: Group::from_code(&r.get::<String>(2)?).unwrap_or(Group::CsCenter),
        rank: Rank::from_code(&r.get::<String>(3)?).unwrap_or(Rank::Staff),
        active: r.get(4)?,
        first_job_on: r.get(5)?,
        phone: r.get(6)?,
        login: r.get(7)?,
    })
}

/// The columns [`price_item_from_row`] reads, by position.
macro_rules! price_columns {
    () => {
        "id, category, name, unit, price_fen, added_on, active"
    };
}

fn price_item_from_row(r: &Row) -> Result<PriceItem, SqlError> {
    Ok(PriceItem {
        id: r.get(0)?,
        category: Category::from_code(&r.get::<String>(1)?).unwrap_or(Category::Cleaning),
        name: r.get(2)?,
        unit: r.get(3)?,
        price: Money::from_fen(r.get(4)?).unwrap_or(Money::ZERO),
        added_on: r.get(5)?,
        active: r.get(6)?,
    })
}

fn get_price_item(conn: &dyn Sql, id: PriceItemId) -> Result<PriceItem> {
    Ok(conn.fetch_one(
        concat!("SELECT ", price_columns!(), " FROM price_items WHERE id = ?1"),
        &sql_params![id],
        price_item_from_row,
    )?)
}

fn resident_from_row(r: &Row) -> Result<Resident, SqlError> {
    Ok(Resident { id: r.get(0)?, name: r.get(1)?, phone: r.get(2)?, notes: r.get(3)? })
}

impl Store {
    /// How many automatic daily backups the office keeps.
    pub fn backups_kept(&self) -> Result<u32> {
        get_backups_kept(&self.conn)
    }

    /// The office's settings; `None` before the first start's setup.
    pub fn office(&self) -> Result<Option<OfficeSettings>> {
        get_office(&self.conn)
    }

    pub fn list_staff(&self) -> Result<Vec<Staff>> {
        Ok(self.conn.fetch_all(
            concat!("SELECT ", staff_columns!(), " FROM staff ORDER BY active DESC, grp, name"),
            &[],
            staff_from_row,
        )?)
    }

    pub fn get_staff(&self, id: StaffId) -> Result<Staff> {
        get_staff(&self.conn, id)
    }

    /// The staff member with this login and their password hash.
    pub fn staff_by_login(&self, login: &str) -> Result<Option<(Staff, Option<String>)>> {
        Ok(self.conn.fetch_opt(
            concat!("SELECT ", staff_columns!(), ", password_hash FROM staff WHERE login = ?1"),
            &sql_params![login],
            |r| Ok((staff_from_row(r)?, r.get(8)?)),
        )?)
    }

    /// Whether the first start has happened (the office and a user exist).
    pub fn is_set_up(&self) -> Result<bool> {
        is_set_up(&self.conn)
    }

    pub fn count_users(&self) -> Result<i64> {
        Ok(self.conn.fetch_value("SELECT count(*) FROM staff WHERE password_hash IS NOT NULL", &[])?)
    }

    pub fn list_price_items(&self) -> Result<Vec<PriceItem>> {
        Ok(self.conn.fetch_all(
            concat!("SELECT ", price_columns!(), " FROM price_items ORDER BY category, name"),
            &[],
            price_item_from_row,
        )?)
    }

    /// Every resident on file as (room as stored, name): what an import
    /// must not add a second time.
    pub fn list_resident_names(&self) -> Result<Vec<(String, String)>> {
        Ok(self.conn.fetch_all(
            "SELECT h.room, r.name FROM residents r JOIN households h ON h.id = r.household_id",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub fn get_price_item(&self, id: PriceItemId) -> Result<PriceItem> {
        get_price_item(&self.conn, id)
    }

    /// The household at `room`, with its residents.
    pub fn household_by_room(&self, room: &RoomNo) -> Result<Option<Household>> {
        let found = self.conn.fetch_opt(
            "SELECT id, room, notes FROM households WHERE room = ?1",
            &sql_params![room.as_str()],
            |r| Ok((r.get::<i64>(0)?, r.get::<String>(2)?)),
        )?;
        match found {
            Some((id, notes)) => {
                Ok(Some(Household { id, room: room.clone(), residents: self.residents_of(id)?, notes }))
            }
            None => Ok(None),
        }
    }

    /// Households whose room, resident name or phone contains `text`, with
    /// their residents, in building/unit/room order; at most `limit`.
    pub fn search_households(&self, text: &str, limit: usize) -> Result<Vec<Household>> {
        let pattern = format!("%{}%", super::requests::escape_like(text.trim()));
        let rows = self.conn.query(
            "SELECT h.id, h.room, h.notes, r.id, r.name, r.phone, r.notes FROM households h
             LEFT JOIN residents r ON r.household_id = h.id
             WHERE h.id IN (SELECT h2.id FROM households h2 LEFT JOIN residents r2 ON r2.household_id = h2.id
                            WHERE h2.room LIKE ?1 ESCAPE '\\' OR r2.name LIKE ?1 ESCAPE '\\'
                               OR r2.phone LIKE ?1 ESCAPE '\\')
             ORDER BY h.id, r.id",
            &sql_params![pattern],
        )?;
        let mut households: Vec<Household> = Vec::new();
        for r in &rows {
            let id: HouseholdId = r.get(0)?;
            if households.last().is_none_or(|h| h.id != id) {
                let room: String = r.get(1)?;
                households.push(Household {
                    id,
                    room: RoomNo::parse(&room)
                        .map_err(|_| StoreError::NotADatabase(format!("room {room}")))?,
                    residents: Vec::new(),
                    notes: r.get(2)?,
                });
            }
            if let (Some(resident_id), Some(household)) = (r.get::<Option<i64>>(3)?, households.last_mut()) {
                household.residents.push(Resident {
                    id: resident_id,
                    name: r.get(4)?,
                    phone: r.get(5)?,
                    notes: r.get(6)?,
                });
            }
        }
        households.sort_by_key(|h| h.room.sort_key());
        households.truncate(limit);
        Ok(households)
    }

    fn residents_of(&self, household: HouseholdId) -> Result<Vec<Resident>> {
        Ok(self.conn.fetch_all(
            "SELECT id, name, phone, notes FROM residents WHERE household_id = ?1 ORDER BY id",
            &sql_params![household],
            resident_from_row,
        )?)
    }
}

/// How many daily backups are kept before the office is set up.
pub const DEFAULT_BACKUPS_KEPT: u32 = 14;

fn get_backups_kept(conn: &dyn Sql) -> Result<u32> {
    let kept = conn.fetch_opt("SELECT backups_kept FROM office WHERE id = 1", &[], |r| r.get(0))?;
    Ok(kept.unwrap_or(DEFAULT_BACKUPS_KEPT))
}

/// The office of the file at `path`, read without leaving anything beside
/// it (no `-wal`/`-shm` where there were none): the command line's language
/// is known before a command that must not touch the file (a refused
/// restore) runs. `None` for a file that is no office.
pub fn peek_office(path: &std::path::Path) -> Option<OfficeSettings> {
    use rusqlite::{Connection, OpenFlags};
    let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let conn = if std::path::Path::new(&wal).exists() {
        Connection::open_with_flags(path, read_only)
    } else {
        // Nothing waits in a write-ahead log: the file alone is the truth.
        let escaped = path.to_string_lossy().replace('%', "%25").replace('?', "%3f").replace('#', "%23");
        Connection::open_with_flags(
            format!("file:{escaped}?immutable=1"),
            read_only | OpenFlags::SQLITE_OPEN_URI,
        )
    };
    get_office(&conn.ok()?).ok().flatten()
}

fn get_office(conn: &dyn Sql) -> Result<Option<OfficeSettings>> {
    Ok(conn.fetch_opt(
        "SELECT name, phone, address, new_window_days, language, yuan_word FROM office WHERE id = 1",
        &[],
        |r| {
            Ok(OfficeSettings {
                name: r.get(0)?,
                phone: r.get(1)?,
                address: r.get(2)?,
                new_window_days: r.get(3)?,
                print: PrintLanguage {
                    language: Language::from_code(&r.get::<String>(4)?).unwrap_or_default(),
                    yuan: YuanWord::from_code(&r.get::<String>(5)?).unwrap_or_default(),
                },
            })
        },
    )?)
}

fn is_set_up(conn: &dyn Sql) -> Result<bool> {
    Ok(conn.fetch_value(
        "SELECT EXISTS (SELECT 1 FROM office) AND EXISTS (SELECT 1 FROM staff
         WHERE password_hash IS NOT NULL)",
        &[],
    )?)
}

impl WriteTx<'_> {
    /// Same as [`Store::is_set_up`], under this transaction's lock, so that two
    /// first starts at once cannot both set the office up.
    pub fn is_set_up(&self) -> Result<bool> {
        is_set_up(&self.tx)
    }

    /// Names the author of the rest of this write: the first manager, whose
    /// account is created by the very write that records them (R-FU-6).
    pub fn set_author(&mut self, staff: StaffId) {
        self.audit.user_id = Some(staff);
    }

    pub fn save_office(&mut self, office: &OfficeSettings) -> Result<()> {
        let old = get_office(&self.tx)?;
        self.tx.execute(
            "INSERT INTO office (id, name, phone, address, new_window_days, language, yuan_word)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET name = ?1, phone = ?2, address = ?3, new_window_days = ?4,
             language = ?5, yuan_word = ?6",
            &sql_params![
                office.name,
                office.phone,
                office.address,
                office.new_window_days,
                office.print.language.code(),
                office.print.yuan.code()
            ],
        )?;
        let (action, changes) = match &old {
            Some(old) => (Action::Update, diff(&office_fields(old), &office_fields(office))),
            None => (Action::Create, created(&office_fields(office))),
        };
        if !changes.is_empty() {
            self.record(Entity::Office, 1, action, &changes, None)?;
        }
        Ok(())
    }

    /// How many automatic daily backups to keep; the office row must exist.
    pub fn save_backups_kept(&mut self, kept: u32) -> Result<()> {
        let old = get_backups_kept(&self.tx)?;
        if self.tx.execute("UPDATE office SET backups_kept = ?1 WHERE id = 1", &sql_params![kept])? == 0 {
            return Err(StoreError::NotFound);
        }
        let changes = diff(&[("backups_kept", old.to_string())], &[("backups_kept", kept.to_string())]);
        if !changes.is_empty() {
            self.record(Entity::Office, 1, Action::Update, &changes, None)?;
        }
        Ok(())
    }

    /// Adds a staff member; `staff.id` is ignored. Returns the new id.
    pub fn insert_staff(&mut self, staff: &Staff) -> Result<StaffId> {
        let id = self
            .tx
            .insert_id(
                "INSERT INTO staff (name, grp, rank, active, first_job_on, phone, login)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                &staff_values(staff)?,
            )
            .map_err(|e| unique_violation(e, "login"))?;
        self.record(Entity::Staff, id, Action::Create, &created(&staff_fields(staff)), None)?;
        Ok(id)
    }

    pub fn update_staff(&mut self, staff: &Staff, reason: Option<&str>) -> Result<()> {
        let old = get_staff(&self.tx, staff.id)?;
        self.tx
            .execute(
                "UPDATE staff SET name = ?1, grp = ?2, rank = ?3, active = ?4, first_job_on = ?5,
                 phone = ?6, login = ?7 WHERE id = ?8",
                &[staff_values(staff)?.as_slice(), &sql_params![staff.id]].concat(),
            )
            .map_err(|e| unique_violation(e, "login"))?;
        let changes = diff(&staff_fields(&old), &staff_fields(staff));
        if !changes.is_empty() {
            self.record(Entity::Staff, staff.id, Action::Update, &changes, reason)?;
        }
        Ok(())
    }

    /// Stores a password hash; history says that it changed, never the hash.
    pub fn set_password_hash(&mut self, staff: StaffId, hash: &str) -> Result<()> {
        let n = self
            .tx
            .execute("UPDATE staff SET password_hash = ?2 WHERE id = ?1", &sql_params![staff, hash])?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.record(Entity::Staff, staff, Action::SetPassword, &[], None)
    }

    pub fn insert_price_item(&mut self, item: &PriceItem) -> Result<PriceItemId> {
        let id = self
            .tx
            .insert_id(
                "INSERT INTO price_items (category, name, unit, price_fen, added_on, active)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                &sql_params![
                    item.category.code(),
                    item.name,
                    item.unit,
                    item.price.fen(),
                    item.added_on,
                    item.active
                ],
            )
            .map_err(|e| unique_violation(e, "item"))?;
        self.record(Entity::PriceItem, id, Action::Create, &created(&price_fields(item)), None)?;
        Ok(id)
    }

    pub fn update_price_item(&mut self, item: &PriceItem, reason: Option<&str>) -> Result<()> {
        let old = get_price_item(&self.tx, item.id)?;
        self.tx
            .execute(
                "UPDATE price_items SET category = ?2, name = ?3, unit = ?4, price_fen = ?5,
                 added_on = ?6, active = ?7 WHERE id = ?1",
                &sql_params![
                    item.id,
                    item.category.code(),
                    item.name,
                    item.unit,
                    item.price.fen(),
                    item.added_on,
                    item.active
                ],
            )
            .map_err(|e| unique_violation(e, "item"))?;
        let changes = diff(&price_fields(&old), &price_fields(item));
        if !changes.is_empty() {
            self.record(Entity::PriceItem, item.id, Action::Update, &changes, reason)?;
        }
        Ok(())
    }

    /// The household at `room`, created (with history) if it is new.
    pub fn ensure_household(&mut self, room: &RoomNo) -> Result<HouseholdId> {
        let existing: Option<i64> = self.tx.fetch_opt(
            "SELECT id FROM households WHERE room = ?1",
            &sql_params![room.as_str()],
            |r| r.get(0),
        )?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let id = self.tx.insert_id(
            "INSERT INTO households (room) VALUES (?1) RETURNING id",
            &sql_params![room.as_str()],
        )?;
        self.record(Entity::Household, id, Action::Create, &created(&[("room", room.to_string())]), None)?;
        Ok(id)
    }

    pub fn update_household_notes(&mut self, id: HouseholdId, notes: &str) -> Result<()> {
        let old: String =
            self.tx.fetch_value("SELECT notes FROM households WHERE id = ?1", &sql_params![id])?;
        if old == notes {
            return Ok(());
        }
        self.tx.execute("UPDATE households SET notes = ?2 WHERE id = ?1", &sql_params![id, notes])?;
        let changes = diff(&[("notes", old)], &[("notes", notes.to_string())]);
        self.record(Entity::Household, id, Action::Update, &changes, None)
    }

    /// Adds a resident to a household unless one of that name is there already;
    /// an empty phone on file is filled in from `phone`.
    pub fn ensure_resident(&mut self, household: HouseholdId, name: &str, phone: &str) -> Result<i64> {
        let existing: Option<(i64, String, String)> = self.tx.fetch_opt(
            "SELECT id, phone, notes FROM residents WHERE household_id = ?1 AND name = ?2",
            &sql_params![household, name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        match existing {
            // Only the phone is filled in: the resident's notes stay as they are.
            Some((id, old_phone, notes)) if old_phone.is_empty() && !phone.is_empty() => {
                let resident = Resident { id, name: name.into(), phone: phone.into(), notes };
                self.save_resident(household, &resident)?;
                Ok(id)
            }
            Some((id, _, _)) => Ok(id),
            None => self.save_resident(
                household,
                &Resident { id: 0, name: name.into(), phone: phone.into(), notes: String::new() },
            ),
        }
    }

    /// Inserts (`resident.id == 0`) or updates a resident of `household`.
    pub fn save_resident(&mut self, household: HouseholdId, resident: &Resident) -> Result<i64> {
        if resident.id == 0 {
            let id = self.tx.insert_id(
                "INSERT INTO residents (household_id, name, phone, notes) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                &sql_params![household, resident.name, resident.phone, resident.notes],
            )?;
            self.record(Entity::Resident, id, Action::Create, &created(&resident_fields(resident)), None)?;
            return Ok(id);
        }
        let old = self.tx.fetch_one(
            "SELECT id, name, phone, notes FROM residents WHERE id = ?1 AND household_id = ?2",
            &sql_params![resident.id, household],
            resident_from_row,
        )?;
        self.tx.execute(
            "UPDATE residents SET name = ?2, phone = ?3, notes = ?4 WHERE id = ?1",
            &sql_params![resident.id, resident.name, resident.phone, resident.notes],
        )?;
        let changes = diff(&resident_fields(&old), &resident_fields(resident));
        if !changes.is_empty() {
            self.record(Entity::Resident, resident.id, Action::Update, &changes, None)?;
        }
        Ok(resident.id)
    }
}

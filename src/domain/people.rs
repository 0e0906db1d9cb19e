//! The office's people and places: desks, staff (who are also the app's
//! users), households with their residents, and the office's own settings.

use chrono::NaiveDate;

use super::{RoomNo, TextError, TextKind, check_text};

macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and printed by the CLI.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum! {
    /// The two desks that take requests (R-DESK-1, R-DESK-2).
    Desk { CsCenter = "cs", ControlCenter = "control" }
}

coded_enum! {
    /// The group a staff member belongs to (R-DESK-4 says who serves what).
    Group {
        Housekeeping = "housekeeping",
        PublicRepair = "repair",
        Engineering = "engineering",
        Finance = "finance",
        CsCenter = "cs",
        ControlCenter = "control",
    }
}

coded_enum! {
    /// Rank: "supervisor or above" includes managers (RULES.md §0).
    Rank { Staff = "staff", Supervisor = "supervisor", Manager = "manager" }
}

impl Rank {
    pub fn is_supervisor_or_above(self) -> bool {
        self >= Rank::Supervisor
    }
}

pub type StaffId = i64;

/// A staff member of the office. Staff with a login are the app's users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    pub id: StaffId,
    pub name: String,
    pub group: Group,
    pub rank: Rank,
    pub active: bool,
    /// The date of their first job: "new staff" for revisits (R-RV-2C).
    pub first_job_on: Option<NaiveDate>,
    pub phone: String,
    pub login: Option<String>,
}

/// What a staff form holds before it is saved; see [`validate_staff`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffDraft {
    pub name: String,
    pub group: Option<Group>,
    pub rank: Option<Rank>,
    pub active: bool,
    pub first_job_on: Option<NaiveDate>,
    pub phone: String,
    pub login: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("name is required")]
    NameRequired,
    #[error("group is required")]
    GroupRequired,
    #[error("rank is required")]
    RankRequired,
    #[error("login has spaces")]
    LoginHasSpaces,
    #[error("not a phone number")]
    BadPhone,
    #[error("name: {0}")]
    Name(TextError),
    #[error("login: {0}")]
    Login(TextError),
}

/// Checks a staff form; the caller supplies the id.
pub fn validate_staff(id: StaffId, draft: &StaffDraft) -> Result<Staff, StaffError> {
    let name = draft.name.trim();
    if name.is_empty() {
        return Err(StaffError::NameRequired);
    }
    check_text(name, TextKind::Name).map_err(StaffError::Name)?;
    let login = draft.login.trim();
    if login.contains(char::is_whitespace) {
        return Err(StaffError::LoginHasSpaces);
    }
    check_text(login, TextKind::Login).map_err(StaffError::Login)?;
    // The same check as a resident's phone and the import's (issue 19).
    let phone = draft.phone.trim();
    if !phone.is_empty() && !is_valid_phone(phone) {
        return Err(StaffError::BadPhone);
    }
    Ok(Staff {
        id,
        name: name.to_string(),
        group: draft.group.ok_or(StaffError::GroupRequired)?,
        rank: draft.rank.ok_or(StaffError::RankRequired)?,
        active: draft.active,
        first_job_on: draft.first_job_on,
        phone: draft.phone.trim().to_string(),
        login: (!login.is_empty()).then(|| login.to_string()),
    })
}

/// The signed-in user: every write records who did it (R-FU-6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub staff_id: StaffId,
    pub name: String,
    pub rank: Rank,
    /// The desk this PC is at for this session (R-DESK-1, R-DESK-2).
    pub desk: Desk,
}

/// `13812348000` → `138****8000`: the first three and last four digits stay;
/// a short number (an extension) keeps only its last two.
/// Issue 9 (privacy): lists, prints and exports show phones this way
/// unless the reader's role needs them in full.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if n >= 8 {
        let head: String = digits[..3].iter().collect();
        let tail: String = digits[n - 4..].iter().collect();
        return format!("{head}****{tail}");
    }
    let tail: String = digits[n.saturating_sub(2)..].iter().collect();
    format!("{}{tail}", "*".repeat(n.saturating_sub(2)))
}

pub type HouseholdId = i64;

/// One home, known by its room number; the unit of revisit sampling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub id: HouseholdId,
    pub room: RoomNo,
    pub residents: Vec<Resident>,
    pub notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resident {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub notes: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResidentError {
    #[error("resident name is required")]
    NameRequired,
    #[error("not a phone number")]
    BadPhone,
    #[error("name: {0}")]
    Name(TextError),
    #[error("notes: {0}")]
    Notes(TextError),
}

/// A resident as filed: name required, phone optional but a phone if given.
pub fn validate_resident(resident: &Resident) -> Result<Resident, ResidentError> {
    let name = resident.name.trim();
    if name.is_empty() {
        return Err(ResidentError::NameRequired);
    }
    check_text(name, TextKind::Name).map_err(ResidentError::Name)?;
    check_text(&resident.notes, TextKind::Note).map_err(ResidentError::Notes)?;
    let phone = resident.phone.trim();
    if !phone.is_empty() && !is_valid_phone(phone) {
        return Err(ResidentError::BadPhone);
    }
    Ok(Resident {
        id: resident.id,
        name: name.into(),
        phone: phone.into(),
        notes: resident.notes.trim().into(),
    })
}

/// Settings shared by every desk PC of the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeSettings {
    pub name: String,
    pub phone: String,
    pub address: String,
    /// "New staff" and "new service item" window in days (RULES.md §12).
    pub new_window_days: u32,
    /// The language of the office's printed forms and exports (issue 22).
    pub print: super::PrintLanguage,
}

impl Default for OfficeSettings {
    fn default() -> Self {
        OfficeSettings {
            name: String::new(),
            phone: String::new(),
            address: String::new(),
            new_window_days: 30,
            print: super::PrintLanguage::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OfficeError {
    #[error("office name is required")]
    NameRequired,
    #[error("the new-item window must be 1 to 365 days")]
    WindowOutOfRange,
    #[error("the number of daily backups kept must be 1 to 365")]
    BackupsKeptOutOfRange,
    #[error("not a phone number")]
    BadPhone,
    #[error("R-FU-3: the office's service phone is required (printed on every message slip)")]
    ServicePhoneRequired,
}

/// The office keeps 1 to 365 automatic daily backups: at least one, so the
/// newest is never deleted, and at most a year's.
pub fn validate_backups_kept(kept: u32) -> Result<(), OfficeError> {
    if !(1..=365).contains(&kept) {
        return Err(OfficeError::BackupsKeptOutOfRange);
    }
    Ok(())
}

pub fn validate_office(settings: &OfficeSettings) -> Result<(), OfficeError> {
    if settings.name.trim().is_empty() {
        return Err(OfficeError::NameRequired);
    }
    if !(1..=365).contains(&settings.new_window_days) {
        return Err(OfficeError::WindowOutOfRange);
    }
    let phone = settings.phone.trim();
    if !phone.is_empty() && !is_valid_phone(phone) {
        return Err(OfficeError::BadPhone);
    }
    Ok(())
}

/// R-FU-3: a new office names its service phone at the first start, since
/// every message slip asks the resident to call it.
pub fn validate_new_office(settings: &OfficeSettings) -> Result<(), OfficeError> {
    validate_office(settings)?;
    if !is_valid_phone(settings.phone.trim()) {
        return Err(OfficeError::ServicePhoneRequired);
    }
    Ok(())
}

/// Phone numbers: digits with optional `-`, `+` and spaces, 5 to 15 digits
/// (short internal extensions included).
pub fn is_valid_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (5..=15).contains(&digits) && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 19: a form refuses the phone the import refuses.
    #[test]
    fn staff_and_office_phones_are_checked_as_the_import_checks_them() {
        let draft = |phone: &str| StaffDraft {
            name: "何桂兰".into(),
            group: Some(Group::Housekeeping),
            rank: Some(Rank::Staff),
            active: true,
            phone: phone.into(),
            ..StaffDraft::default()
        };
        assert_eq!(validate_staff(0, &draft("abc")).map(|_| ()), Err(StaffError::BadPhone));
        assert!(validate_staff(0, &draft("138 0013 8000")).is_ok());
        assert!(validate_staff(0, &draft("")).is_ok(), "a phone is optional");
        let office = |phone: &str| OfficeSettings {
            name: "翠苑管理处".into(),
            phone: phone.into(),
            ..OfficeSettings::default()
        };
        assert_eq!(validate_office(&office("abc")), Err(OfficeError::BadPhone));
        assert_eq!(validate_office(&office("0755-12345678")), Ok(()));
    }
}

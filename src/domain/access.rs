//! Who may do what (issue 9): the office's roles are a rank (员工, 业务主办,
//! 经理) and a group (家政组, 维修组, 工程部, 财务组, 客服中心, 控制中心).
//! The rules that hang on a rank are listed here, one [`Permission`] each,
//! with the lowest rank that holds it; the app checks them in its use cases
//! (not only by hiding buttons) and a refusal names what was needed.
//!
//! Other roles are decided where their rule lives: the desk that takes a
//! register (R-DESK-1/2, `register.rs`), finance settling and receiving
//! cash (R-FEE-2/3, `lifecycle.rs`, `followup.rs`), collecting 100 yuan or
//! more (R-FEE-1, `lifecycle.rs`), signing agreements (R-AG-2,
//! `agreement.rs`) and approving the monthly report (R-RV-4, `report.rs`).
//!
//! Must not: read the database or know the UI.

use super::{Rank, StaffId, User};

/// An action that needs a rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// The office's name, phone, address and settings.
    EditOffice,
    /// Add or change staff members and their sign-in (the users).
    EditStaff,
    /// The price list (常规服务项目表, R-IN-5).
    EditPriceList,
    /// Set another person's password.
    SetOthersPassword,
    /// Void a shopping-log entry: its number stays, marked 作废 (R-SH-6).
    VoidShopping,
    /// Read everyone's changes (R-FU-6).
    ReadHistory,
    /// Bring residents, staff or the price list in from a file.
    Import,
    /// See residents' phones in full in lists (privacy: masked by default;
    /// one record's detail shows its phone to call back).
    SeeFullPhones,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::EditOffice,
        Permission::EditStaff,
        Permission::EditPriceList,
        Permission::SetOthersPassword,
        Permission::VoidShopping,
        Permission::ReadHistory,
        Permission::SeeFullPhones,
        Permission::Import,
    ];

    /// The lowest rank that holds it; every rank above holds it too.
    pub fn needs(self) -> Rank {
        match self {
            Permission::EditOffice
            | Permission::EditStaff
            | Permission::EditPriceList
            | Permission::SetOthersPassword
            | Permission::Import => Rank::Manager,
            Permission::VoidShopping | Permission::ReadHistory | Permission::SeeFullPhones => {
                Rank::Supervisor
            }
        }
    }
}

/// Refused: `permission` needs at least `needs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{permission:?} needs the rank {needs:?} or above")]
pub struct AccessError {
    pub permission: Permission,
    pub needs: Rank,
}

/// Whether `user` may take `permission`'s action.
pub fn check_permission(user: &User, permission: Permission) -> Result<(), AccessError> {
    let needs = permission.needs();
    if user.rank >= needs { Ok(()) } else { Err(AccessError { permission, needs }) }
}

/// Anyone may set their own password; another person's needs a manager.
pub fn check_set_password(user: &User, staff: StaffId) -> Result<(), AccessError> {
    if user.staff_id == staff { Ok(()) } else { check_permission(user, Permission::SetOthersPassword) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Desk;

    fn user(rank: Rank) -> User {
        User { staff_id: 7, name: "李小梅".into(), rank, desk: Desk::CsCenter }
    }

    #[test]
    fn only_a_manager_edits_the_office_the_staff_and_the_price_list() {
        for p in [Permission::EditOffice, Permission::EditStaff, Permission::EditPriceList] {
            assert!(check_permission(&user(Rank::Manager), p).is_ok(), "{p:?}");
            for rank in [Rank::Staff, Rank::Supervisor] {
                assert_eq!(
                    check_permission(&user(rank), p),
                    Err(AccessError { permission: p, needs: Rank::Manager })
                );
            }
        }
    }

    #[test]
    fn r_sh_6_voiding_a_shopping_number_needs_a_supervisor_or_above() {
        let p = Permission::VoidShopping;
        assert!(check_permission(&user(Rank::Supervisor), p).is_ok());
        assert!(check_permission(&user(Rank::Manager), p).is_ok());
        assert!(check_permission(&user(Rank::Staff), p).is_err());
    }

    #[test]
    fn r_fu_6_everyones_changes_are_read_by_a_supervisor_or_above() {
        assert!(check_permission(&user(Rank::Supervisor), Permission::ReadHistory).is_ok());
        assert!(check_permission(&user(Rank::Staff), Permission::ReadHistory).is_err());
    }

    #[test]
    fn a_password_is_set_by_its_owner_or_a_manager() {
        assert!(check_set_password(&user(Rank::Staff), 7).is_ok(), "one's own");
        assert!(check_set_password(&user(Rank::Supervisor), 8).is_err(), "another's");
        assert!(check_set_password(&user(Rank::Manager), 8).is_ok());
    }
}

//! The 设置 use cases: office settings, staff, the price list and residents.

use super::{AppError, HomeDesk, Result};
use crate::domain::{
    OfficeSettings, Permission, PriceItemDraft, PriceItemId, Resident, RoomNo, StaffDraft, StaffId, User,
    check_permission, validate_office, validate_price_item, validate_resident, validate_staff,
};

impl HomeDesk {
    pub fn save_office(&mut self, user: &User, office: &OfficeSettings) -> Result<()> {
        check_permission(user, Permission::EditOffice)?;
        let office = OfficeSettings {
            name: office.name.trim().to_string(),
            phone: office.phone.trim().to_string(),
            address: office.address.trim().to_string(),
            new_window_days: office.new_window_days,
            print: office.print,
        };
        validate_office(&office)?;
        let mut tx = self.store.write(self.audit(user))?;
        tx.save_office(&office)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds (`id == None`) or changes a staff member; returns the id.
    pub fn save_staff(
        &mut self,
        user: &User,
        id: Option<StaffId>,
        draft: &StaffDraft,
        reason: &str,
    ) -> Result<StaffId> {
        check_permission(user, Permission::EditStaff)?;
        let staff = validate_staff(id.unwrap_or(0), draft)?;
        let mut tx = self.store.write(self.audit(user))?;
        let id = match id {
            Some(_) => {
                tx.update_staff(&staff, Some(reason))?;
                staff.id
            }
            None => tx.insert_staff(&staff)?,
        };
        tx.commit()?;
        Ok(id)
    }

    /// Adds (`id == None`) or changes a price-list item; returns the id.
    pub fn save_price_item(
        &mut self,
        user: &User,
        id: Option<PriceItemId>,
        draft: &PriceItemDraft,
        reason: &str,
    ) -> Result<PriceItemId> {
        check_permission(user, Permission::EditPriceList)?;
        let item = validate_price_item(id.unwrap_or(0), draft, self.now().date())?;
        let mut tx = self.store.write(self.audit(user))?;
        let id = match id {
            Some(_) => {
                tx.update_price_item(&item, Some(reason))?;
                item.id
            }
            None => tx.insert_price_item(&item)?,
        };
        tx.commit()?;
        Ok(id)
    }

    /// Files a household (created if new) with its notes and one resident
    /// added or changed (`resident.id == 0` adds).
    pub fn save_household(
        &mut self,
        user: &User,
        room: &str,
        notes: &str,
        resident: Option<&Resident>,
    ) -> Result<i64> {
        let room = RoomNo::parse(room).map_err(|_| AppError::BadRoom)?;
        let resident = resident.map(validate_resident).transpose()?;
        let mut tx = self.store.write(self.audit(user))?;
        let id = tx.ensure_household(&room)?;
        tx.update_household_notes(id, notes.trim())?;
        if let Some(resident) = &resident {
            tx.save_resident(id, resident)?;
        }
        tx.commit()?;
        Ok(id)
    }
}

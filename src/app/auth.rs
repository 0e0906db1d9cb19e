//! First start (office + first manager), sign-in and passwords (argon2).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::{AppError, HomeDesk, Result};
use crate::domain::{
    Desk, FAILURE_WINDOW, Group, OfficeSettings, Rank, StaffDraft, StaffId, TextKind, User,
    check_set_password, sign_in_locked_until, validate_new_office, validate_office, validate_staff,
};
use crate::i18n::t;
use crate::store::Audit;

pub const MIN_PASSWORD_CHARS: usize = 6;

fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::PasswordTooShort);
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Hashing(e.to_string()))
}

/// A hash no password matches, checked when a login is unknown so that an
/// unknown login costs the same time as a wrong password.
fn decoy_hash() -> String {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-password-never-issued").unwrap_or_default()).clone()
}

/// The login as it is looked up and recorded: trimmed, control characters
/// shown as `�`, no longer than a login may be (a guess of a million
/// characters is recorded as its start).
fn recorded_login(login: &str) -> String {
    login
        .trim()
        .chars()
        .map(|c| if c.is_control() { char::REPLACEMENT_CHARACTER } else { c })
        .take(TextKind::Login.max_chars())
        .collect()
}

/// This PC's name, for the record of a failed sign-in: `COMPUTERNAME` on
/// Windows, the host name elsewhere; empty when it cannot be told.
pub fn this_pc() -> String {
    let name = std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .or_else(|_| std::fs::read_to_string("/proc/sys/kernel/hostname"))
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    recorded_login(&name)
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

impl HomeDesk {
    /// True until the first start has named the office and its first manager.
    pub fn needs_setup(&self) -> Result<bool> {
        Ok(!self.store.is_set_up()?)
    }

    /// The first start: names the office and creates the first manager, who
    /// signs in at once. Refused once the office exists.
    pub fn set_up_office(
        &mut self,
        office_name: &str,
        manager_name: &str,
        login: &str,
        password: &str,
    ) -> Result<User> {
        let office = OfficeSettings { name: office_name.trim().to_string(), ..OfficeSettings::default() };
        validate_office(&office)?;
        self.set_up(&office, manager_name, login, password)
    }

    /// The first start as the clerk fills it in: the office with its service
    /// phone (R-FU-3: every message slip asks the resident to call it).
    pub fn set_up_new_office(
        &mut self,
        office: &OfficeSettings,
        manager_name: &str,
        login: &str,
        password: &str,
    ) -> Result<User> {
        let office = OfficeSettings {
            name: office.name.trim().to_string(),
            phone: office.phone.trim().to_string(),
            ..office.clone()
        };
        validate_new_office(&office)?;
        self.set_up(&office, manager_name, login, password)
    }

    /// The first manager and the office's settings, in one transaction.
    fn set_up(
        &mut self,
        office: &OfficeSettings,
        manager_name: &str,
        login: &str,
        password: &str,
    ) -> Result<User> {
        if login.trim().is_empty() {
            return Err(AppError::LoginRequired);
        }
        let draft = StaffDraft {
            name: manager_name.to_string(),
            group: Some(Group::CsCenter),
            rank: Some(Rank::Manager),
            active: true,
            login: login.to_string(),
            ..StaffDraft::default()
        };
        let staff = validate_staff(0, &draft)?;
        let hash = hash_password(password)?;
        let audit = Audit { user_id: None, user_name: staff.name.clone(), at: self.now() };
        let mut tx = self.store.write(audit)?;
        if tx.is_set_up()? {
            return Err(AppError::AlreadySetUp);
        }
        let id = tx.insert_staff(&staff)?;
        tx.set_author(id);
        tx.set_password_hash(id, &hash)?;
        tx.save_office(office)?;
        tx.commit()?;
        Ok(User { staff_id: id, name: staff.name, rank: Rank::Manager, desk: Desk::CsCenter })
    }

    /// Signs in at `desk`; the same message, after the same hashing work, for
    /// an unknown login and a wrong password, so logins cannot be guessed.
    /// Each failure is recorded (login, time, this PC) and shown in 变更记录;
    /// after five within a quarter of an hour the login waits, longer after
    /// each further failure, on every PC (`domain::sign_in_locked_until`).
    pub fn sign_in(&mut self, login: &str, password: &str, desk: Desk) -> Result<User> {
        let login = recorded_login(login);
        let now = self.now();
        let failures = self.store.sign_in_failures_since(&login, now - FAILURE_WINDOW)?;
        if let Some(until) = sign_in_locked_until(&failures, now) {
            // A try while waiting is recorded too (so a manager sees every
            // guess) and counts: each next try waits longer.
            self.record_sign_in_failure(&login, now, Some(t().history_sign_in_while_locked));
            return Err(AppError::SignInLocked { login, until, failures: failures.len() });
        }
        let found = self.store.staff_by_login(&login)?;
        let hash = found.as_ref().and_then(|(_, hash)| hash.clone()).unwrap_or_else(decoy_hash);
        let matches = password_matches(password, &hash);
        let Some((staff, Some(_))) = found.filter(|_| matches) else {
            self.record_sign_in_failure(&login, now, None);
            return Err(AppError::BadCredentials);
        };
        if !staff.active {
            return Err(AppError::InactiveUser);
        }
        Ok(User { staff_id: staff.id, name: staff.name, rank: staff.rank, desk })
    }

    /// Appends the failure. A file that cannot be written now (read-only,
    /// busy past the timeout) still refuses the sign-in: refusing matters
    /// more than the record of it.
    fn record_sign_in_failure(&mut self, login: &str, now: chrono::NaiveDateTime, reason: Option<&str>) {
        let audit = Audit { user_id: None, user_name: login.to_string(), at: now };
        let _ = self.store.write(audit).and_then(|mut tx| {
            tx.record_sign_in_failure(login, &this_pc(), reason)?;
            tx.commit()
        });
    }

    /// Sets a staff member's password: one's own, or anyone's for a manager.
    pub fn set_password(&mut self, user: &User, staff: StaffId, password: &str) -> Result<()> {
        check_set_password(user, staff)?;
        let hash = hash_password(password)?;
        let member = self.store.get_staff(staff)?;
        if member.login.is_none() {
            return Err(AppError::LoginRequired);
        }
        let mut tx = self.store.write(self.audit(user))?;
        tx.set_password_hash(staff, &hash)?;
        tx.commit()?;
        Ok(())
    }

    /// The signed-in user changes their own password, proving the old one first.
    pub fn change_own_password(&mut self, user: &User, old: &str, new: &str) -> Result<()> {
        let member = self.store.get_staff(user.staff_id)?;
        let login = member.login.ok_or(AppError::LoginRequired)?;
        let hash = self.store.staff_by_login(&login)?.and_then(|(_, hash)| hash).unwrap_or_else(decoy_hash);
        if !password_matches(old, &hash) {
            return Err(AppError::BadCredentials);
        }
        self.set_password(user, user.staff_id, new)
    }

    /// Whether `password` is the signed-in user's: the locked screen's check.
    pub fn confirm_password(&self, user: &User, password: &str) -> Result<bool> {
        let member = self.store.get_staff(user.staff_id)?;
        let Some(login) = member.login else { return Ok(false) };
        let hash = self.store.staff_by_login(&login)?.and_then(|(_, hash)| hash).unwrap_or_else(decoy_hash);
        Ok(member.active && password_matches(password, &hash))
    }
}

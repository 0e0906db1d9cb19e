//! Room numbers in the office's own form, `3栋2单元201` (building, unit, room).
//!
//! Clerks type fast: `3-2-201` and `3栋201` are accepted and normalised, so one
//! household is always found under one spelling.

use std::fmt;

/// A normalised room number. Construct with [`RoomNo::parse`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoomNo(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("room number is not of the form 3栋2单元201")]
pub struct RoomNoError;

impl RoomNo {
    /// Accepts `3栋2单元201`, `3-2-201`, `3栋201`, `3-201` (spaces ignored).
    pub fn parse(text: &str) -> Result<RoomNo, RoomNoError> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let parts = split_room(&compact).ok_or(RoomNoError)?;
        let valid = |s: &str| !s.is_empty() && s.len() <= 5 && s.chars().all(|c| c.is_ascii_digit());
        if !parts.iter().all(|p| valid(p)) {
            return Err(RoomNoError);
        }
        // A building or unit is a number from 1: `0-2-201` used to become
        // `栋2单元201`, a spelling that no longer parsed (found by tests/bad_input.rs).
        let number = |s: &str| s.trim_start_matches('0').to_string();
        if parts[..parts.len() - 1].iter().any(|p| number(p).is_empty()) {
            return Err(RoomNoError);
        }
        let text = match parts.as_slice() {
            [b, r] => format!("{}栋{}", number(b), r),
            [b, u, r] => format!("{}栋{}单元{}", number(b), number(u), r),
            _ => return Err(RoomNoError),
        };
        Ok(RoomNo(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Building, unit and room as numbers, so that 2栋 sorts before 10栋.
    pub fn sort_key(&self) -> (u32, u32, u32) {
        let number = |s: &str| s.parse::<u32>().unwrap_or(0);
        match split_room(&self.0).as_deref() {
            Some([building, room]) => (number(building), 0, number(room)),
            Some([building, unit, room]) => (number(building), number(unit), number(room)),
            _ => (0, 0, 0),
        }
    }
}

fn split_room(compact: &str) -> Option<Vec<&str>> {
    if let Some((building, rest)) = compact.split_once('栋') {
        return Some(match rest.split_once("单元") {
            Some((unit, room)) => vec![building, unit, room.trim_end_matches('室')],
            None => vec![building, rest.trim_end_matches('室')],
        });
    }
    let parts: Vec<&str> = compact.split('-').collect();
    (2..=3).contains(&parts.len()).then_some(parts)
}

impl fmt::Display for RoomNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Option<String> {
        RoomNo::parse(s).ok().map(|r| r.0)
    }

    #[test]
    fn accepts_the_office_form_and_shorthands() {
        assert_eq!(norm("3栋2单元201").as_deref(), Some("3栋2单元201"));
        assert_eq!(norm(" 3-2-201 ").as_deref(), Some("3栋2单元201"));
        assert_eq!(norm("12栋1502室").as_deref(), Some("12栋1502"));
        assert_eq!(norm("12-1502").as_deref(), Some("12栋1502"));
    }

    #[test]
    fn refuses_building_or_unit_zero() {
        assert_eq!(norm("0-2-201"), None);
        assert_eq!(norm("3-00-201"), None);
        assert_eq!(norm("0栋201"), None);
        assert_eq!(norm("03-02-201").as_deref(), Some("3栋2单元201"));
    }

    #[test]
    fn sorts_by_building_unit_and_room_as_numbers() {
        let mut rooms: Vec<RoomNo> = ["10栋1单元101", "2栋1单元1201", "2栋1单元301"]
            .iter()
            .filter_map(|r| RoomNo::parse(r).ok())
            .collect();
        rooms.sort_by_key(RoomNo::sort_key);
        let order: Vec<&str> = rooms.iter().map(RoomNo::as_str).collect();
        assert_eq!(order, ["2栋1单元301", "2栋1单元1201", "10栋1单元101"]);
    }

    #[test]
    fn refuses_what_is_not_a_room() {
        for bad in ["", "abc", "3栋", "3-", "3-2-201-5", "三栋201", "3栋2单元"] {
            assert_eq!(norm(bad), None, "{bad}");
        }
    }
}

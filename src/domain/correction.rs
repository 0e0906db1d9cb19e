//! Correcting a register row's contact and description fields after intake
//! (a mistyped phone, a wrong room). Nothing is overwritten silently: the
//! correction needs a reason and the history keeps old and new values
//! (R-FU-6). Times, price and staff change only through their own flows.

use super::register::check_contact;
use super::{Field, FieldError, IntakeError, Request, RequestStatus, RoomNo};

/// What the correction form holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorrectionDraft {
    pub room: String,
    pub resident_name: String,
    pub phone: String,
    pub details: String,
    pub notes: String,
    pub reason: String,
}

impl CorrectionDraft {
    /// The form filled with the row as it stands.
    pub fn of(request: &Request) -> CorrectionDraft {
        CorrectionDraft {
            room: request.room.clone(),
            resident_name: request.resident_name.clone(),
            phone: request.phone.clone(),
            details: request.details.clone(),
            notes: request.notes.clone(),
            reason: String::new(),
        }
    }
}

/// A checked correction, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub room: RoomNo,
    pub resident_name: String,
    pub phone: String,
    pub details: String,
    pub notes: String,
    pub reason: String,
}

/// A closed row (settled or cancelled) is what finance and the auditor saw:
/// it is not corrected. Every other row may be, with a reason.
pub fn validate_correction(
    request: &Request,
    draft: &CorrectionDraft,
) -> Result<Correction, Vec<FieldError>> {
    let mut errors = Vec::new();
    let room = check_contact(&draft.room, &draft.resident_name, &draft.phone, &draft.details, &mut errors);
    let mut fail = |field, error| errors.push(FieldError { field, error });
    if matches!(request.status, RequestStatus::Settled | RequestStatus::Cancelled) {
        fail(Field::Kind, IntakeError::RowClosed);
    }
    if draft.reason.trim().is_empty() {
        fail(Field::ChangeReason, IntakeError::Required);
    }
    match room {
        Some(room) if errors.is_empty() => Ok(Correction {
            room,
            resident_name: draft.resident_name.trim().to_string(),
            phone: draft.phone.trim().to_string(),
            details: draft.details.trim().to_string(),
            notes: draft.notes.trim().to_string(),
            reason: draft.reason.trim().to_string(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RegisterKind;
    use crate::domain::request::sample_request;

    fn row(status: RequestStatus) -> Request {
        sample_request(RegisterKind::Housekeeping, status)
    }

    fn fields(result: Result<Correction, Vec<FieldError>>) -> Vec<Field> {
        result.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn r_fu_6_a_correction_needs_a_reason() {
        let request = row(RequestStatus::Registered);
        let mut draft = CorrectionDraft::of(&request);
        draft.phone = "13900139000".into();
        assert_eq!(fields(validate_correction(&request, &draft)), vec![Field::ChangeReason]);
        draft.reason = "住户来电更正电话".into();
        let correction = validate_correction(&request, &draft).map_err(|e| format!("{e:?}"));
        assert_eq!(correction.map(|c| c.phone), Ok("13900139000".to_string()));
    }

    #[test]
    fn r_fu_6_a_settled_or_cancelled_row_is_not_corrected() {
        for status in [RequestStatus::Settled, RequestStatus::Cancelled] {
            let request = row(status);
            let draft = CorrectionDraft { reason: "更正".into(), ..CorrectionDraft::of(&request) };
            assert_eq!(fields(validate_correction(&request, &draft)), vec![Field::Kind]);
        }
    }

    #[test]
    fn r_in_4_a_correction_keeps_the_required_fields() {
        let request = row(RequestStatus::Dispatched);
        let draft = CorrectionDraft {
            room: "三栋".into(),
            resident_name: " ".into(),
            phone: "12".into(),
            details: String::new(),
            notes: String::new(),
            reason: "更正".into(),
        };
        assert_eq!(
            fields(validate_correction(&request, &draft)),
            vec![Field::Room, Field::ResidentName, Field::Phone, Field::Details]
        );
    }
}

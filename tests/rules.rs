//! The office's rules through the app, as the GUI and CLI call it: sign-in,
//! first start, and intake at each desk. A refused write saves nothing.

mod common;

use common::backends::{Backend, empty_offices, offices};
use common::{
    LIST_PRICE, MANAGER_LOGIN, MANAGER_PASSWORD, alarm_draft, fixed_clock, housekeeping_draft, now,
    repair_draft,
};
use homedesk::app::{AppError, HomeDesk};
use homedesk::domain::{
    Desk, Field, Group, IntakeDraft, IntakeError, Money, OfficeError, PriceReview, Rank, RegisterKind,
    ServiceChoice, StaffDraft, Urgency, User,
};

fn yuan(y: i64) -> Money {
    Money::from_yuan(y).unwrap_or(Money::ZERO)
}

/// Registers `draft` expecting field errors; asserts that nothing was saved
/// and returns the errors.
fn refused(
    backend: &Backend,
    desk: &mut HomeDesk,
    user: &User,
    draft: &IntakeDraft,
) -> Vec<(Field, IntakeError)> {
    let before = backend.write_counts();
    let errors = match desk.register_request(user, draft) {
        Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| (e.field, e.error)).collect(),
        other => panic!("{}: expected field errors, got {other:?}", backend.name()),
    };
    assert_eq!(backend.write_counts(), before, "{}: a refused request left rows behind", backend.name());
    errors
}

/// The set-up office on each backend, at [`now`].
fn each_office() -> Vec<(Backend, HomeDesk, common::Office)> {
    offices(|| fixed_clock(now()))
}

#[test]
fn sign_in_needs_the_right_password() {
    for (backend, mut desk, office) in each_office() {
        let user = desk
            .sign_in(&format!(" {MANAGER_LOGIN} "), MANAGER_PASSWORD, Desk::ControlCenter)
            .unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));
        assert_eq!(user.staff_id, office.manager.staff_id, "{}", backend.name());
        assert_eq!((user.rank, user.desk), (Rank::Manager, Desk::ControlCenter), "{}", backend.name());

        assert!(
            matches!(
                desk.sign_in(MANAGER_LOGIN, "wrong-password", Desk::CsCenter),
                Err(AppError::BadCredentials)
            ),
            "{}",
            backend.name()
        );
        assert!(
            matches!(desk.sign_in("nobody", MANAGER_PASSWORD, Desk::CsCenter), Err(AppError::BadCredentials)),
            "{}",
            backend.name()
        );
        // A login with no password set yet cannot sign in either.
        assert!(
            matches!(desk.sign_in("cs1", "", Desk::CsCenter), Err(AppError::BadCredentials)),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn inactive_user_cannot_sign_in() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.staff_id;
        assert!(
            matches!(desk.set_password(&office.manager, clerk, "short"), Err(AppError::PasswordTooShort)),
            "{}",
            backend.name()
        );
        desk.set_password(&office.manager, clerk, "clerk-pass")
            .unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));
        let signed_in = desk.sign_in("cs1", "clerk-pass", Desk::CsCenter).map(|u| u.staff_id);
        assert_eq!(signed_in.ok(), Some(clerk), "{}", backend.name());

        let staff = desk.store().get_staff(clerk).unwrap_or_else(|e| panic!("{}: {e}", backend.name()));
        let draft = StaffDraft {
            name: staff.name,
            group: Some(staff.group),
            rank: Some(staff.rank),
            active: false,
            first_job_on: staff.first_job_on,
            phone: staff.phone,
            login: staff.login.unwrap_or_default(),
        };
        desk.save_staff(&office.manager, Some(clerk), &draft, "离职")
            .unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));

        assert!(
            matches!(desk.sign_in("cs1", "clerk-pass", Desk::CsCenter), Err(AppError::InactiveUser)),
            "{}",
            backend.name()
        );
        // A wrong password says nothing about the account.
        assert!(
            matches!(desk.sign_in("cs1", "not-the-pass", Desk::CsCenter), Err(AppError::BadCredentials)),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn set_up_office_twice_is_refused() {
    for (backend, mut desk, _office) in each_office() {
        assert!(matches!(desk.needs_setup(), Ok(false)), "{}", backend.name());
        let staff_before = backend.count("staff");
        let again = desk.set_up_office("另一个管理处", "李经理", "boss2", "another-pass");
        assert!(matches!(again, Err(AppError::AlreadySetUp)), "{again:?}");
        assert_eq!(backend.count("staff"), staff_before, "{}", backend.name());
        assert_eq!(
            desk.store().office().ok().flatten().map(|o| o.name),
            Some(common::OFFICE_NAME.to_string()),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn set_up_office_checks_its_form_before_writing() {
    for backend in empty_offices() {
        let mut desk = backend.open(fixed_clock(now()));
        let cases = [
            desk.set_up_office("  ", "王经理", "boss", "secret-123"),
            desk.set_up_office("翠苑管理处", "王经理", " ", "secret-123"),
            desk.set_up_office("翠苑管理处", "王经理", "boss", "12345"),
            desk.set_up_office("翠苑管理处", "", "boss", "secret-123"),
        ];
        assert!(matches!(cases[0], Err(AppError::Office(OfficeError::NameRequired))), "{:?}", cases[0]);
        assert!(matches!(cases[1], Err(AppError::LoginRequired)), "{:?}", cases[1]);
        assert!(matches!(cases[2], Err(AppError::PasswordTooShort)), "{:?}", cases[2]);
        assert!(matches!(cases[3], Err(AppError::Staff(_))), "{:?}", cases[3]);
        assert!(matches!(desk.needs_setup(), Ok(true)), "{}", backend.name());
        assert_eq!(backend.count("staff"), 0, "{}", backend.name());
    }
}

#[test]
fn r_desk_1_cs_center_registers_housekeeping_and_alarm() {
    for (backend, mut desk, office) in each_office() {
        let clerk = &office.cs_clerk;
        let cleaning = desk
            .register_request(clerk, &housekeeping_draft(&office))
            .unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));
        let greening_draft = IntakeDraft {
            service: ServiceChoice::Listed(office.prices.greening),
            ..housekeeping_draft(&office)
        };
        let greening = desk
            .register_request(clerk, &greening_draft)
            .unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));
        let alarm = desk
            .register_request(clerk, &alarm_draft(&office))
            .unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));

        let got: Vec<(String, Desk, &str)> = [&cleaning, &greening, &alarm]
            .iter()
            .map(|r| (r.no.to_string(), r.desk, r.received_by.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("JZ-2026-000001".to_string(), Desk::CsCenter, "陈客服"),
                ("JZ-2026-000002".to_string(), Desk::CsCenter, "陈客服"),
                ("BJ-2026-000001".to_string(), Desk::CsCenter, "陈客服"),
            ],
            "{}",
            backend.name(),
        );
        assert_eq!(
            (greening.service.as_str(), alarm.alarm_work),
            ("阳台绿化养护", Some(homedesk::domain::AlarmWork::Open)),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_desk_2_control_center_takes_repairs_only() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.control_clerk.clone();
        for (kind, draft) in [
            (RegisterKind::Housekeeping, housekeeping_draft(&office)),
            (RegisterKind::Alarm, alarm_draft(&office)),
        ] {
            assert_eq!(
                refused(&backend, &mut desk, &clerk, &draft),
                [(Field::Kind, IntakeError::WrongDesk { desk: Desk::ControlCenter, kind })],
                "{}",
                backend.name(),
            );
        }
        let repair = desk
            .register_request(&clerk, &repair_draft(&office))
            .unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));
        assert_eq!(
            (repair.no.to_string(), repair.desk),
            ("WX-2026-000001".to_string(), Desk::ControlCenter),
            "{}",
            backend.name()
        );
        assert_eq!(
            (repair.urgency, repair.relay_told.clone()),
            (Some(Urgency::Small), None),
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_desk_3_cs_center_sends_ordinary_repairs_to_the_control_center() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.clone();
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &repair_draft(&office)),
            [(Field::Urgency, IntakeError::CsRepairNotEmergency)],
            "{}",
            backend.name(),
        );
        let untold = IntakeDraft { relay_told: String::new(), ..common::emergency_relay_draft(&office) };
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &untold),
            [(Field::RelayTold, IntakeError::Required)],
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_desk_4_staff_of_another_group_cannot_be_assigned() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.clone();
        let mut draft = housekeeping_draft(&office);
        draft.assigned_staff = Some(office.repairer);
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &draft),
            [(Field::AssignedStaff, IntakeError::WrongProvider { group: Group::PublicRepair })],
            "{}",
            backend.name(),
        );
        draft.assigned_staff = Some(office.housekeeper);
        let row =
            desk.register_request(&clerk, &draft).unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));
        assert_eq!(
            row.assigned_staff,
            Some((office.housekeeper, "孙保洁".to_string())),
            "{}",
            backend.name()
        );

        let mut alarm = alarm_draft(&office);
        alarm.assigned_staff = Some(office.housekeeper);
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &alarm),
            [(Field::AssignedStaff, IntakeError::WrongProvider { group: Group::Housekeeping })],
            "{}",
            backend.name(),
        );
        alarm.assigned_staff = Some(office.engineer);
        assert!(desk.register_request(&clerk, &alarm).is_ok(), "{}", backend.name());
    }
}

#[test]
fn r_in_5_no_staff_sent_before_the_price_is_agreed() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.clone();
        let mut draft = housekeeping_draft(&office);
        draft.assigned_staff = Some(office.housekeeper);
        draft.price_agreed = false;
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &draft),
            [(Field::AssignedStaff, IntakeError::PriceNotAgreed)],
            "{}",
            backend.name()
        );
        draft.price = String::new();
        draft.price_agreed = true;
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &draft),
            [(Field::AssignedStaff, IntakeError::PriceNotAgreed)],
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_fee_4_price_outside_the_band_saves_nothing() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.clone();
        assert_eq!(LIST_PRICE, "100", "{}", backend.name());
        for price in ["69.99", "130.01"] {
            let draft = IntakeDraft { price: price.into(), ..housekeeping_draft(&office) };
            assert_eq!(
                refused(&backend, &mut desk, &clerk, &draft),
                [(Field::Price, IntakeError::PriceOutsideBand { low: yuan(70), high: yuan(130) })],
                "{price}",
            );
        }
        for (price, fen) in [("70", 7_000), ("130", 13_000), ("99.9", 9_990)] {
            let draft = IntakeDraft { price: price.into(), ..housekeeping_draft(&office) };
            let row = desk.register_request(&clerk, &draft).unwrap_or_else(|e| panic!("{price}: {e:?}"));
            assert_eq!(row.price.map(Money::fen), Some(fen), "{}", backend.name()); // R-FEE-5: stored as whole fen
            assert!(row.price_agreed, "{}", backend.name());
        }
    }
}

#[test]
fn r_fee_4_unlisted_service_needs_a_recorded_review() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.clone();
        let mut draft = IntakeDraft {
            service: ServiceChoice::Unlisted("擦外墙玻璃".into()),
            price: "500".into(),
            ..housekeeping_draft(&office)
        };
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &draft),
            [(Field::Review, IntakeError::ReviewRequired)],
            "{}",
            backend.name()
        );

        draft.review_by = "刘主办".into();
        draft.review_conclusion = "可做，500元".into();
        let row =
            desk.register_request(&clerk, &draft).unwrap_or_else(|e| panic!("{}: {e:?}", backend.name()));
        assert_eq!((row.service.as_str(), row.price), ("擦外墙玻璃", Some(yuan(500))), "{}", backend.name());
        assert_eq!(
            row.review,
            Some(PriceReview {
                reviewer: "刘主办".into(),
                reviewed_at: now(),
                conclusion: "可做，500元".into()
            }),
            "{}",
            backend.name(),
        );
    }
}

#[test]
fn r_fee_4_item_of_another_register_saves_nothing() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.clone();
        let draft = IntakeDraft {
            service: ServiceChoice::Listed(office.prices.repair),
            ..housekeeping_draft(&office)
        };
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &draft),
            [(Field::Service, IntakeError::ItemOfOtherRegister)],
            "{}",
            backend.name()
        );
        let alarm =
            IntakeDraft { service: ServiceChoice::Listed(office.prices.cleaning), ..alarm_draft(&office) };
        assert_eq!(
            refused(&backend, &mut desk, &clerk, &alarm),
            [(Field::Service, IntakeError::ItemOfOtherRegister)],
            "{}",
            backend.name()
        );
    }
}

#[test]
fn r_fee_5_a_bad_price_is_reported_on_the_price_field() {
    for (backend, mut desk, office) in each_office() {
        let clerk = office.cs_clerk.clone();
        let draft = IntakeDraft { price: "100.005".into(), ..housekeeping_draft(&office) };
        let errors = refused(&backend, &mut desk, &clerk, &draft);
        assert!(matches!(errors.as_slice(), [(Field::Price, IntakeError::BadPrice(_))]), "{errors:?}");
    }
}

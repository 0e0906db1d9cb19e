//! The price list (常规服务项目表) and the ±30 % price band (R-FEE-4).

use chrono::{NaiveDate, NaiveDateTime};

use super::people::coded_enum;
use super::{Money, RegisterKind};

coded_enum! {
    /// Price-list categories; each belongs to one register.
    Category { Cleaning = "cleaning", Greening = "greening", Repair = "repair", Alarm = "alarm" }
}

impl Category {
    pub fn register(self) -> RegisterKind {
        match self {
            Category::Cleaning | Category::Greening => RegisterKind::Housekeeping,
            Category::Repair => RegisterKind::Repair,
            Category::Alarm => RegisterKind::Alarm,
        }
    }
}

pub type PriceItemId = i64;

/// One line of the price list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceItem {
    pub id: PriceItemId,
    pub category: Category,
    pub name: String,
    pub unit: String,
    pub price: Money,
    /// When it was added: "new service item" for revisits (R-RV-2B).
    pub added_on: NaiveDate,
    pub active: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceItemDraft {
    pub category: Option<Category>,
    pub name: String,
    pub unit: String,
    pub price: String,
    pub added_on: Option<NaiveDate>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceItemError {
    #[error("category is required")]
    CategoryRequired,
    #[error("item name is required")]
    NameRequired,
    #[error("unit is required")]
    UnitRequired,
    #[error("price: {0}")]
    Price(#[from] super::MoneyError),
    #[error("item name: {0}")]
    Name(super::TextError),
    #[error("unit: {0}")]
    Unit(super::TextError),
}

pub fn validate_price_item(
    id: PriceItemId,
    draft: &PriceItemDraft,
    today: NaiveDate,
) -> Result<PriceItem, PriceItemError> {
    let name = draft.name.trim();
    if name.is_empty() {
        return Err(PriceItemError::NameRequired);
    }
    if draft.unit.trim().is_empty() {
        return Err(PriceItemError::UnitRequired);
    }
    super::check_text(name, super::TextKind::Line).map_err(PriceItemError::Name)?;
    super::check_text(&draft.unit, super::TextKind::Line).map_err(PriceItemError::Unit)?;
    Ok(PriceItem {
        id,
        category: draft.category.ok_or(PriceItemError::CategoryRequired)?,
        name: name.to_string(),
        unit: draft.unit.trim().to_string(),
        price: Money::parse(&draft.price)?,
        added_on: draft.added_on.unwrap_or(today),
        active: draft.active,
    })
}

/// The lowest and highest price allowed for a listed price: ±30 % (R-FEE-4).
/// Bounds are rounded toward the listed price so that they are never exceeded.
pub fn price_band(listed: Money) -> (Money, Money) {
    let low = (listed.fen() * 7 + 9) / 10; // non-negative, so this rounds up
    let high = listed.fen() * 13 / 10;
    (Money::from_fen(low).unwrap_or(Money::ZERO), Money::from_fen(high).unwrap_or(listed))
}

/// Whether `price` may be charged for an item listed at `listed` (R-FEE-4).
pub fn within_price_band(price: Money, listed: Money) -> bool {
    let (low, high) = price_band(listed);
    (low..=high).contains(&price)
}

/// A unit as typed on the price list, without a leading 1 or 每 (`1小时`, `每㎡`).
fn bare_unit(unit: &str) -> &str {
    unit.trim().trim_start_matches(['1', '１', '每', '/', '／'])
}

/// Whether an item's unit is the hour (钟点): its listed price is then per
/// hour of a visit, and a visit's list price grows with its length (R-FEE-4).
pub fn is_hourly_unit(unit: &str) -> bool {
    let unit = bare_unit(unit);
    ["小时", "钟点", "时", "h", "hour"].iter().any(|hour| unit.eq_ignore_ascii_case(hour))
        || unit.starts_with("小时")
}

/// Whether an item is priced by the square metre (㎡, 平方米, 平米, m²):
/// a visit's list price is then the price × the area served (R-FEE-4).
/// `次（100㎡以内）` is a price per visit, not per ㎡.
pub fn is_area_unit(unit: &str) -> bool {
    let unit = bare_unit(unit);
    ["㎡", "平方米", "平米", "平方", "m²", "m2"].iter().any(|m2| unit.starts_with(m2))
}

/// The largest area one agreement serves, in whole ㎡: beyond it the
/// number is a typing slip, not a home.
pub const MAX_AREA_M2: u32 = 9_999;

/// The list price of one visit of `minutes` over `area_m2` whole square
/// metres (R-FEE-4): the price × the hours when the item is priced by the
/// hour, × the area when by the ㎡ (`None` while the area is not known),
/// else one of the item's units (one 次, 台, 间, 套 …) a visit. Rounded
/// to the nearest fen.
pub fn listed_price_of_visit(item: &PriceItem, minutes: i64, area_m2: Option<u32>) -> Option<Money> {
    if is_area_unit(&item.unit) {
        return item.price.fen().checked_mul(i64::from(area_m2?)).and_then(Money::from_fen);
    }
    if !is_hourly_unit(&item.unit) || minutes <= 0 {
        return Some(item.price);
    }
    let fen = (item.price.fen().saturating_mul(minutes) + 30) / 60;
    Some(Money::from_fen(fen).unwrap_or(item.price))
}

/// The recorded review (合同评审) that prices a service not on the list (R-FEE-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceReview {
    pub reviewer: String,
    pub reviewed_at: NaiveDateTime,
    pub conclusion: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(fen: i64) -> Money {
        Money::from_fen(fen).unwrap_or(Money::ZERO)
    }

    #[test]
    fn r_fee_4_band_is_thirty_percent_either_way() {
        assert_eq!(price_band(m(10_000)), (m(7_000), m(13_000)));
        assert!(within_price_band(m(7_000), m(10_000)));
        assert!(within_price_band(m(13_000), m(10_000)));
        assert!(!within_price_band(m(6_999), m(10_000)));
        assert!(!within_price_band(m(13_001), m(10_000)));
    }

    #[test]
    fn r_fee_4_an_hourly_item_is_listed_by_the_hours_of_the_visit() {
        let mut item = PriceItem {
            id: 1,
            category: Category::Cleaning,
            name: "日常保洁".into(),
            unit: "小时".into(),
            price: m(3_000),
            added_on: NaiveDate::default(),
            active: true,
        };
        assert_eq!(listed_price_of_visit(&item, 180, None), Some(m(9_000)));
        assert_eq!(listed_price_of_visit(&item, 90, None), Some(m(4_500)));
        item.unit = "次（100㎡以内）".into();
        assert_eq!(listed_price_of_visit(&item, 180, Some(85)), Some(m(3_000)));
        assert!(is_hourly_unit("每小时") && is_hourly_unit("1小时") && !is_hourly_unit("次"));
    }

    #[test]
    fn r_fee_4_an_item_priced_per_square_metre_is_listed_by_the_area_of_the_visit() {
        let item = PriceItem {
            id: 1,
            category: Category::Cleaning,
            name: "地板打蜡".into(),
            unit: "㎡".into(),
            price: m(300),
            added_on: NaiveDate::default(),
            active: true,
        };
        assert_eq!(listed_price_of_visit(&item, 120, Some(85)), Some(m(25_500)), "¥3 × 85㎡");
        assert_eq!(listed_price_of_visit(&item, 120, None), None, "not known without the area");
        for unit in ["㎡", "每㎡", "平方米", "1平米", "m²", "／㎡"] {
            assert!(is_area_unit(unit), "{unit}");
        }
        for unit in ["次（100㎡以内）", "次", "小时", "间"] {
            assert!(!is_area_unit(unit), "{unit}");
        }
    }

    #[test]
    fn r_fee_4_band_rounds_toward_the_listed_price() {
        // 0.70 × 333 = 233.1 → 234; 1.30 × 333 = 432.9 → 432.
        assert_eq!(price_band(m(333)), (m(234), m(432)));
    }
}

//! Money as whole fen (R-FEE-5): parsing what a clerk types, formatting for
//! screens and forms, and the Chinese capital numerals printed on contracts.
//!
//! Never holds or produces floating point: every amount is an `i64` of fen.

use std::fmt;

use super::language::YuanWord;

/// An amount of money in whole fen (分). Never negative (R-FEE-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// Why a typed amount is not money (R-FEE-5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("empty amount")]
    Empty,
    #[error("negative amount (R-FEE-5)")]
    Negative,
    #[error("more than two decimals (R-FEE-5)")]
    TooManyDecimals,
    #[error("not an amount (R-FEE-5)")]
    NotANumber,
    #[error("amount too large")]
    TooLarge,
}

/// The largest amount the desk accepts: 1 亿 yuan, far above any home service,
/// so that sums over years of rows can never overflow `i64`.
const MAX_FEN: i64 = 100_000_000 * 100;

impl Money {
    pub const ZERO: Money = Money(0);

    /// An amount from whole fen; `None` when negative (R-FEE-5).
    pub fn from_fen(fen: i64) -> Option<Money> {
        (0..=MAX_FEN).contains(&fen).then_some(Money(fen))
    }

    pub fn from_yuan(yuan: i64) -> Option<Money> {
        yuan.checked_mul(100).and_then(Money::from_fen)
    }

    pub fn fen(self) -> i64 {
        self.0
    }

    /// Parses what a clerk types: `120`, `120.5`, `120.50`, `¥1,280.00`,
    /// `￥ 80`, `1，280元`. Refuses negatives, three decimals and garbage.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let cleaned: String = text
            .trim()
            .trim_start_matches(['¥', '￥'])
            .trim_end_matches('元')
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' '))
            .collect();
        if cleaned.is_empty() {
            return Err(MoneyError::Empty);
        }
        if cleaned.starts_with('-') || cleaned.starts_with('－') {
            return Err(MoneyError::Negative);
        }
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(frac) {
            return Err(MoneyError::NotANumber);
        }
        if cleaned.ends_with('.') {
            return Err(MoneyError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        let yuan: i64 = whole.parse().map_err(|_| MoneyError::TooLarge)?;
        let frac_fen: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| MoneyError::NotANumber)? * 10,
            _ => frac.parse().map_err(|_| MoneyError::NotANumber)?,
        };
        yuan.checked_mul(100)
            .and_then(|f| f.checked_add(frac_fen))
            .and_then(Money::from_fen)
            .ok_or(MoneyError::TooLarge)
    }

    /// `1280.00` without symbol or grouping, for editing in a text field.
    pub fn to_plain(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }

    /// 壹仟贰佰捌拾元整 — the capital numerals printed next to figures (R-FEE-5).
    pub fn to_chinese_capital(self) -> String {
        chinese_capital(self.0)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The total of `amounts` (a day's fees, a month's report). Totals may pass
    /// the limit on a single typed amount; `i64` fen holds them all.
    pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Money {
        Money(amounts.into_iter().fold(0i64, |total, m| total.saturating_add(m.0)))
    }

    /// `self - other`, or zero when `other` is larger: money is never negative.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money((self.0 - other.0).max(0))
    }

    /// `self` scaled by `num / den`, rounded down; for the ±30 % band (R-FEE-4).
    pub fn scaled(self, num: i64, den: i64) -> i64 {
        self.0 * num / den
    }
}

/// `¥1,280.00`: the one money format of every screen and form (FORMS.md).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yuan = (self.0 / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "¥{grouped}.{:02}", self.0 % 100)
    }
}

/// The capital numerals of one script: its digits, its 万/亿 and its yuan.
struct Numerals {
    digits: [char; 10],
    big_units: [&'static str; 3],
    yuan: &'static str,
}

const SIMPLIFIED: Numerals = Numerals {
    digits: ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    big_units: ["", "万", "亿"],
    yuan: "元",
};
const SMALL_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];

/// How a form writes an amount out in words next to its figures (R-FEE-5):
/// the capital numerals of either Chinese script, or English words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountWords {
    Simplified,
    /// 壹貳參…萬億, with the office's 元 or 圓.
    Traditional(YuanWord),
    /// ONE THOUSAND TWO HUNDRED EIGHTY YUAN ONLY.
    English,
}

impl Money {
    /// The amount in words, in `style`.
    pub fn in_words(self, style: AmountWords) -> String {
        match style {
            AmountWords::Simplified => capital(self.0, &SIMPLIFIED),
            AmountWords::Traditional(yuan) => {
                let numerals = Numerals {
                    digits: ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'],
                    big_units: ["", "萬", "億"],
                    yuan: yuan.code(),
                };
                capital(self.0, &numerals)
            }
            AmountWords::English => english_words(self.0),
        }
    }
}

fn chinese_capital(fen: i64) -> String {
    capital(fen, &SIMPLIFIED)
}

fn capital(fen: i64, numerals: &Numerals) -> String {
    let digits = &numerals.digits;
    let yuan = fen / 100;
    let jiao = (fen / 10) % 10;
    let fen_digit = fen % 10;
    let mut out = if yuan == 0 {
        String::new()
    } else {
        format!("{}{}", integer_capital(yuan, numerals), numerals.yuan)
    };
    match (jiao, fen_digit) {
        (0, 0) if yuan == 0 => {
            out.push(digits[0]);
            out.push_str(numerals.yuan);
            out.push('整');
        }
        (0, 0) => out.push('整'),
        (j, 0) => {
            out.push(digits[j as usize]);
            out.push_str("角整");
        }
        (j, f) => {
            if j > 0 {
                out.push(digits[j as usize]);
                out.push('角');
            } else if yuan > 0 {
                out.push(digits[0]);
            }
            out.push(digits[f as usize]);
            out.push('分');
        }
    }
    out
}

/// Capital numerals of a positive integer, in groups of four digits (万, 亿),
/// with one 零 wherever zeros are skipped inside the number.
fn integer_capital(mut n: i64, numerals: &Numerals) -> String {
    let mut groups = Vec::new();
    while n > 0 {
        groups.push(n % 10_000);
        n /= 10_000;
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for (gi, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending || (!out.is_empty() && group < 1000) {
            out.push(numerals.digits[0]);
        }
        zero_pending = false;
        out.push_str(&group_capital(group, numerals));
        out.push_str(numerals.big_units[gi.min(2)]);
    }
    out
}

fn group_capital(group: i64, numerals: &Numerals) -> String {
    let digits = [group / 1000, (group / 100) % 10, (group / 10) % 10, group % 10];
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push(numerals.digits[0]);
            zero_pending = false;
        }
        out.push(numerals.digits[d as usize]);
        out.push_str(SMALL_UNITS[3 - i]);
    }
    out
}

const ONES: [&str; 20] = [
    "ZERO",
    "ONE",
    "TWO",
    "THREE",
    "FOUR",
    "FIVE",
    "SIX",
    "SEVEN",
    "EIGHT",
    "NINE",
    "TEN",
    "ELEVEN",
    "TWELVE",
    "THIRTEEN",
    "FOURTEEN",
    "FIFTEEN",
    "SIXTEEN",
    "SEVENTEEN",
    "EIGHTEEN",
    "NINETEEN",
];
const TENS: [&str; 10] =
    ["", "", "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY"];
const THOUSANDS: [&str; 4] = ["", " THOUSAND", " MILLION", " BILLION"];

/// ONE THOUSAND TWO HUNDRED EIGHTY YUAN AND FIFTY FEN ONLY: the words a
/// bank or a contract in English writes, in capitals so nothing is added.
fn english_words(fen: i64) -> String {
    let (yuan, cents) = (fen / 100, fen % 100);
    let mut out = String::new();
    if yuan > 0 || cents == 0 {
        out.push_str(&english_integer(yuan));
        out.push_str(" YUAN");
    }
    if cents > 0 {
        if !out.is_empty() {
            out.push_str(" AND ");
        }
        out.push_str(&english_integer(cents));
        out.push_str(" FEN");
    }
    out.push_str(" ONLY");
    out
}

fn english_integer(mut n: i64) -> String {
    if n == 0 {
        return ONES[0].to_string();
    }
    let mut groups = Vec::new();
    while n > 0 {
        groups.push(n % 1000);
        n /= 1000;
    }
    let words: Vec<String> = groups
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, g)| **g > 0)
        .map(|(i, g)| format!("{}{}", english_hundreds(*g), THOUSANDS[i.min(3)]))
        .collect();
    words.join(" ")
}

fn english_hundreds(n: i64) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    let mut parts = Vec::new();
    if hundreds > 0 {
        parts.push(format!("{} HUNDRED", ONES[hundreds as usize]));
    }
    match rest {
        0 => {}
        1..=19 => parts.push(ONES[rest as usize].to_string()),
        _ if rest % 10 == 0 => parts.push(TENS[(rest / 10) as usize].to_string()),
        _ => parts.push(format!("{}-{}", TENS[(rest / 10) as usize], ONES[(rest % 10) as usize])),
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(s: &str) -> i64 {
        Money::parse(s).map(Money::fen).unwrap_or(-1)
    }

    #[test]
    fn r_fee_5_parses_the_forms_clerks_type() {
        assert_eq!(yuan("120"), 12_000);
        assert_eq!(yuan("120.5"), 12_050);
        assert_eq!(yuan("120.50"), 12_050);
        assert_eq!(yuan("¥1,280.00"), 128_000);
        assert_eq!(yuan("￥ 80"), 8_000);
        assert_eq!(yuan("0.05"), 5);
        assert_eq!(yuan("1，280元"), 128_000);
    }

    #[test]
    fn r_fee_5_refuses_negatives_three_decimals_and_garbage() {
        assert_eq!(Money::parse("-5"), Err(MoneyError::Negative));
        assert_eq!(Money::parse("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Money::parse("abc"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("12a"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("1.2.3"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(".5"), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse("5."), Err(MoneyError::NotANumber));
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("99999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn r_fee_5_formats_figures_with_grouping() {
        assert_eq!(Money(128_000).to_string(), "¥1,280.00");
        assert_eq!(Money(5).to_string(), "¥0.05");
        assert_eq!(Money(123_456_789).to_string(), "¥1,234,567.89");
        assert_eq!(Money(128_000).to_plain(), "1280.00");
    }

    /// Issue 22: the same boundary amounts in both scripts, row by row —
    /// 零 inside, 整, 角 or 分 alone, 万/萬 and 亿/億 — and in English.
    #[test]
    fn r_fee_5_capital_numerals_in_both_scripts_and_english_words() {
        let table: [(i64, &str, &str, &str); 12] = [
            (0, "零元整", "零圓整", "ZERO YUAN ONLY"),
            (128_000, "壹仟贰佰捌拾元整", "壹仟貳佰捌拾圓整", "ONE THOUSAND TWO HUNDRED EIGHTY YUAN ONLY"),
            (100_500, "壹仟零伍元整", "壹仟零伍圓整", "ONE THOUSAND FIVE YUAN ONLY"),
            (50, "伍角整", "伍角整", "FIFTY FEN ONLY"),
            (5, "伍分", "伍分", "FIVE FEN ONLY"),
            (100_005, "壹仟元零伍分", "壹仟圓零伍分", "ONE THOUSAND YUAN AND FIVE FEN ONLY"),
            (12_050, "壹佰贰拾元伍角整", "壹佰貳拾圓伍角整", "ONE HUNDRED TWENTY YUAN AND FIFTY FEN ONLY"),
            (1_001_010, "壹万零壹拾元壹角整", "壹萬零壹拾圓壹角整", "TEN THOUSAND TEN YUAN AND TEN FEN ONLY"),
            (
                10_010_000,
                "壹拾万零壹佰元整",
                "壹拾萬零壹佰圓整",
                "ONE HUNDRED THOUSAND ONE HUNDRED YUAN ONLY",
            ),
            (10_000_000_000, "壹亿元整", "壹億圓整", "ONE HUNDRED MILLION YUAN ONLY"),
            (
                1_030_111_100,
                "壹仟零叁拾万壹仟壹佰壹拾壹元整",
                "壹仟零參拾萬壹仟壹佰壹拾壹圓整",
                "TEN MILLION THREE HUNDRED ONE THOUSAND ONE HUNDRED ELEVEN YUAN ONLY",
            ),
            (
                1_234_567_890_123,
                "壹佰贰拾叁亿肆仟伍佰陆拾柒万捌仟玖佰零壹元贰角叁分",
                "壹佰貳拾參億肆仟伍佰陸拾柒萬捌仟玖佰零壹圓貳角參分",
                "TWELVE BILLION THREE HUNDRED FORTY-FIVE MILLION SIX HUNDRED SEVENTY-EIGHT THOUSAND NINE HUNDRED ONE YUAN AND TWENTY-THREE FEN ONLY",
            ),
        ];
        for (fen, simplified, traditional, english) in table {
            let m = Money(fen);
            assert_eq!(m.in_words(AmountWords::Simplified), simplified, "{fen} fen");
            assert_eq!(m.to_chinese_capital(), simplified, "{fen} fen");
            assert_eq!(m.in_words(AmountWords::Traditional(YuanWord::Round)), traditional, "{fen} fen");
            let with_yuan = traditional.replace('圓', "元");
            assert_eq!(m.in_words(AmountWords::Traditional(YuanWord::Yuan)), with_yuan, "{fen} fen");
            assert_eq!(m.in_words(AmountWords::English), english, "{fen} fen");
        }
    }

    #[test]
    fn r_fee_5_capital_numerals() {
        let cap = |fen| Money(fen).to_chinese_capital();
        assert_eq!(cap(128_000), "壹仟贰佰捌拾元整");
        assert_eq!(cap(0), "零元整");
        assert_eq!(cap(12_050), "壹佰贰拾元伍角整");
        assert_eq!(cap(100_005), "壹仟元零伍分");
        assert_eq!(cap(10_000_000), "壹拾万元整");
        assert_eq!(cap(10_010_000), "壹拾万零壹佰元整");
        assert_eq!(cap(1_005 * 100), "壹仟零伍元整");
        assert_eq!(cap(35), "叁角伍分");
    }

    #[test]
    fn r_fee_5_capital_numerals_of_the_issue_and_bank_forms() {
        let cap = |fen| Money(fen).to_chinese_capital();
        assert_eq!(cap(128_000), "壹仟贰佰捌拾元整");
        assert_eq!(cap(100_500), "壹仟零伍元整");
        assert_eq!(cap(10_000_005), "壹拾万元零伍分");
        assert_eq!(cap(50), "伍角整");
        assert_eq!(cap(1_000), "壹拾元整");
        assert_eq!(cap(100_000_000), "壹佰万元整");
        assert_eq!(cap(1_001_010), "壹万零壹拾元壹角整");
        assert_eq!(cap(10_000_000_000), "壹亿元整");
        assert_eq!(cap(100_001_000), "壹佰万零壹拾元整");
        assert_eq!(cap(5), "伍分");
        assert_eq!(cap(1_030_111_100), "壹仟零叁拾万壹仟壹佰壹拾壹元整");
        assert_eq!(cap(1_000_011_100), "壹仟万零壹佰壹拾壹元整");
    }

    /// A second, deliberately different way to write capitals: digit by
    /// digit from the left, one 零 for any run of zeros before a digit, the
    /// 万/亿 unit at the end of a group that has a digit (1030,1111 is
    /// 壹仟零叁拾万壹仟壹佰壹拾壹; 1000,0111 is 壹仟万零壹佰壹拾壹).
    fn reference_capital(fen: i64) -> String {
        const UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
        const GROUPS: [&str; 3] = ["", "万", "亿"];
        let (yuan, jiao, fen_digit) = (fen / 100, (fen / 10) % 10, fen % 10);
        let digits: Vec<usize> = yuan.to_string().bytes().map(|b| usize::from(b - b'0')).collect();
        let mut out = String::new();
        if yuan > 0 {
            let (mut zeros, mut group_has_digit) = (false, false);
            for (i, d) in digits.iter().enumerate() {
                let pos = digits.len() - 1 - i;
                if *d == 0 {
                    zeros = true;
                } else {
                    if zeros {
                        out.push('零');
                    }
                    zeros = false;
                    group_has_digit = true;
                    out.push(SIMPLIFIED.digits[*d]);
                    out.push_str(UNITS[pos % 4]);
                }
                // A group's own trailing zeros are read into its 万/亿; an
                // all-zero group leaves its 零 for the next digit.
                if pos.is_multiple_of(4) && group_has_digit {
                    out.push_str(GROUPS[pos / 4]);
                    zeros = false;
                }
                if pos.is_multiple_of(4) {
                    group_has_digit = false;
                }
            }
            out.push('元');
        }
        match (jiao, fen_digit) {
            (0, 0) if yuan == 0 => out.push_str("零元整"),
            (0, 0) => out.push('整'),
            (j, 0) => out.push_str(&format!("{}角整", SIMPLIFIED.digits[j as usize])),
            (0, f) if yuan > 0 => out.push_str(&format!("零{}分", SIMPLIFIED.digits[f as usize])),
            (0, f) => out.push_str(&format!("{}分", SIMPLIFIED.digits[f as usize])),
            (j, f) => out
                .push_str(&format!("{}角{}分", SIMPLIFIED.digits[j as usize], SIMPLIFIED.digits[f as usize])),
        }
        out
    }

    #[test]
    fn r_fee_5_capital_numerals_agree_with_a_second_reference_everywhere() {
        for fen in 0..=2_000_000 {
            assert_eq!(Money(fen).to_chinese_capital(), reference_capital(fen), "{fen} fen");
        }
        // A fixed pseudo-random walk over the whole range up to the desk's limit.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let fen = (x % (MAX_FEN as u64 + 1)) as i64;
            assert_eq!(Money(fen).to_chinese_capital(), reference_capital(fen), "{fen} fen");
        }
        for zeros in [10_000_000_000, 10_000_000_100, 10_001_000_000, 1_000_000_000, 1_000_000_001] {
            assert_eq!(Money(zeros).to_chinese_capital(), reference_capital(zeros), "{zeros} fen");
        }
    }
}

//! The languages HomeDesk speaks (issue 22), and the office's word for the
//! yuan on Traditional Chinese forms. Codes are BCP 47 tags, the same in the
//! database, the CLI's `--language` and this PC's preferences.

use serde::{Deserialize, Serialize};

/// One catalogue's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Language {
    /// 简体中文, the default.
    #[default]
    ZhHans,
    /// 繁體中文.
    ZhHant,
    English,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::ZhHans, Language::ZhHant, Language::English];

    /// The tag stored and typed: `zh-Hans`, `zh-Hant`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Language::ZhHans => "zh-Hans",
            Language::ZhHant => "zh-Hant",
            Language::English => "en",
        }
    }

    /// The language of a tag, `None` for one HomeDesk does not speak.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// How Traditional Chinese forms write the currency unit: Hong Kong and
/// Taiwan offices write 圓 on cheques and contracts, others 元.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum YuanWord {
    #[default]
    Yuan,
    Round,
}

impl YuanWord {
    pub fn code(self) -> &'static str {
        match self {
            YuanWord::Yuan => "元",
            YuanWord::Round => "圓",
        }
    }

    pub fn from_code(code: &str) -> Option<YuanWord> {
        [YuanWord::Yuan, YuanWord::Round].into_iter().find(|w| w.code() == code.trim())
    }
}

/// The office's choice for its printed forms and exports: a resident's
/// agreement reads the same whichever clerk prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrintLanguage {
    pub language: Language,
    pub yuan: YuanWord,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_go_there_and_back() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        assert_eq!(Language::from_code("ZH-hant"), Some(Language::ZhHant));
        assert_eq!(Language::from_code("fr"), None);
        assert_eq!(YuanWord::from_code("圓"), Some(YuanWord::Round));
    }
}

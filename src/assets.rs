//! Files compiled into the binary, shared by the layers that draw text (the
//! GUI and the PDFs). Bytes only: parsing belongs to whoever draws.

/// WenQuanYi Micro Hei (Apache-2.0, see assets/fonts/): CJK and Latin in one
/// face, so every PC renders the same glyphs whatever fonts it has, and a PDF
/// needs this one font only. A collection (`.ttc`): the face is index 0.
pub static CJK_FONT: &[u8] = include_bytes!("../assets/fonts/wqy-microhei.ttc");

/// The 居 icon (256×256 PNG, drawn from the font above; assets/icon/ also
/// has the .ico linked into the Windows exe and used by the installer).
pub static ICON_PNG: &[u8] = include_bytes!("../assets/icon/homedesk.png");

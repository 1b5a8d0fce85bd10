//! Text set for the program certificates, in the bundled font (WenQuanYi Micro Hei: Latin and
//! CJK, `assets/fonts/`), so that a Chinese company name prints as itself. The PDF
//! (`pdf::text_page`) and the PNG (`raster::text_page`) lay their lines out here, the same way.

use std::sync::LazyLock;

use ab_glyph::{Font, FontRef};

/// The font file, compiled in: a collection whose face 0 is the proportional face.
pub static FONT_FILE: &[u8] = include_bytes!("../../../../assets/fonts/wqy-microhei.ttc");
pub const FONT_FACE: u32 = 0;

/// The font as the layout and the rasterizer read it.
pub static FONT: LazyLock<FontRef<'static>> = LazyLock::new(|| {
    FontRef::try_from_slice_and_index(FONT_FILE, FONT_FACE).expect("the bundled font is a valid font collection")
});

/// The smallest size a line is made before it is wrapped instead.
const MIN_SIZE: f32 = 10.0;

/// One line of the page, as set: its size and its rows, each with its width.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub size: f32,
    pub rows: Vec<(String, f32)>,
}

/// How wide `text` is at `size` (in the unit `size` is in).
pub fn width(text: &str, size: f32) -> f32 {
    let units = FONT.units_per_em().unwrap_or(1000.0);
    text.chars().map(|c| FONT.h_advance_unscaled(FONT.glyph_id(c))).sum::<f32>() * size / units
}

/// The lines (size, text) set for a measure of `measure`: each at its size, made smaller (down
/// to 10) until it fits, and at that size wrapped at spaces, or between any two characters of a
/// word too wide for a row (Chinese has no spaces).
pub fn layout(lines: &[(u32, String)], measure: f32) -> Vec<Line> {
    lines
        .iter()
        .map(|(size, text)| {
            let mut size = *size as f32;
            while size > MIN_SIZE && width(text, size) > measure {
                size = (size - 1.0).max(MIN_SIZE);
            }
            Line { size, rows: wrap(text, size, measure) }
        })
        .collect()
}

fn wrap(text: &str, size: f32, measure: f32) -> Vec<(String, f32)> {
    let mut rows: Vec<String> = vec![];
    let mut row = String::new();
    for word in text.split(' ') {
        let joined = if row.is_empty() { word.to_owned() } else { format!("{row} {word}") };
        if width(&joined, size) <= measure {
            row = joined;
            continue;
        }
        if !row.is_empty() {
            rows.push(std::mem::take(&mut row));
        }
        for c in word.chars() {
            if !row.is_empty() && width(&format!("{row}{c}"), size) > measure {
                rows.push(std::mem::take(&mut row));
            }
            row.push(c);
        }
    }
    rows.push(row);
    rows.into_iter().map(|r| (r.clone(), width(&r, size))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the font has a glyph for every character of `text` (none is the empty box).
    fn covers(text: &str) -> bool {
        text.chars().filter(|c| !c.is_whitespace()).all(|c| FONT.glyph_id(c).0 != 0)
    }

    #[test]
    fn the_font_covers_latin_and_chinese() {
        assert!(covers("Certificate of Partnership, Valid until 2027-01-31"));
        assert!(covers("华为云示例科技有限公司"), "Simplified");
        assert!(covers("華為雲示例科技有限公司"), "Traditional");
        assert!(width("华为", 20.0) > 30.0, "a CJK character is about a square: {}", width("华为", 20.0));
    }

    #[test]
    fn long_lines_are_made_smaller_then_wrapped_between_words_or_characters() {
        let set = layout(&[(30, "Certificate of Partnership".into())], 600.0);
        assert_eq!((set[0].size, set[0].rows.len()), (30.0, 1));
        let long = "a".repeat(200);
        let set = layout(&[(20, format!("{long} b"))], 600.0);
        assert_eq!(set[0].size, MIN_SIZE);
        assert!(set[0].rows.len() > 1 && set[0].rows.iter().all(|(_, w)| *w <= 600.0), "{set:?}");
        let joined: String = set[0].rows.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>().join(" ");
        assert_eq!(joined.replace(' ', ""), format!("{long}b"), "nothing is lost");
        let chinese = layout(&[(20, "示".repeat(100))], 600.0);
        assert!(chinese[0].rows.len() > 1, "Chinese wraps between characters");
    }
}

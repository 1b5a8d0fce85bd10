//! A one-page PDF of centred text lines, for program certificates (R-CERT-03): set in the
//! bundled font ([`super::typeset`]), which is embedded as a subset with its character map,
//! so the text is the text — a Chinese company name included — to a reader and to a search.

use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;

use super::typeset::{self, FONT_FACE, FONT_FILE};

/// Landscape A4, in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const MARGIN: f32 = 72.0;
/// Between the lines of one text, as a multiple of its size; and between texts.
const LEADING: f32 = 1.3;
const GAP: f32 = 24.0;

const NAVY: (u8, u8, u8) = (20, 40, 90);
const GOLD: (u8, u8, u8) = (180, 140, 40);
const INK: (u8, u8, u8) = (20, 20, 20);

static FONT: LazyLock<Font> =
    LazyLock::new(|| Font::new(FONT_FILE.to_vec().into(), FONT_FACE).expect("the bundled font is a valid font"));

fn fill((r, g, b): (u8, u8, u8)) -> Fill {
    Fill { paint: rgb::Color::new(r, g, b).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

/// Fills the rectangle `(x, y, w, h)` (points, from the top left).
fn bar(surface: &mut krilla::surface::Surface, (x, y, w, h): (f32, f32, f32, f32), color: (u8, u8, u8)) {
    let mut path = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(fill(color)));
        surface.draw_path(&path);
    }
}

/// A frame `inset` points from the page's edges, `thickness` wide: the PNG's border.
fn frame(surface: &mut krilla::surface::Surface, inset: f32, thickness: f32, color: (u8, u8, u8)) {
    let (w, h) = (WIDTH - 2.0 * inset, HEIGHT - 2.0 * inset);
    let (x, y) = (inset - thickness / 2.0, inset - thickness / 2.0);
    bar(surface, (x, y, w + thickness, thickness), color);
    bar(surface, (x, y + h, w + thickness, thickness), color);
    bar(surface, (x, y, thickness, h + thickness), color);
    bar(surface, (x + w, y, thickness, h + thickness), color);
}

/// Renders `lines` (font size in points, text), centred on a bordered page; the first is the
/// title, with a rule under it.
pub fn text_page(lines: &[(u32, String)]) -> Result<Vec<u8>, anyhow::Error> {
    let set = typeset::layout(lines, WIDTH - 2.0 * MARGIN);
    let height = set.iter().map(|l| l.rows.len() as f32 * l.size * LEADING).sum::<f32>()
        + GAP * set.len().saturating_sub(1) as f32;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| anyhow::anyhow!("invalid page size"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    frame(&mut surface, 17.0, 8.5, NAVY);
    frame(&mut surface, 34.0, 2.0, GOLD);
    let mut top = (HEIGHT - height).max(0.0) / 2.0;
    for (i, line) in set.iter().enumerate() {
        surface.set_fill(Some(fill(if i == 0 { NAVY } else { INK })));
        for (row, width) in &line.rows {
            let baseline = top + line.size;
            let at = Point::from_xy((WIDTH - width) / 2.0, baseline);
            surface.draw_text(at, FONT.clone(), line.size, row, false, TextDirection::Auto);
            top += line.size * LEADING;
        }
        if i == 0 {
            bar(&mut surface, (WIDTH / 2.0 - 140.0, top + GAP / 2.0 - 1.5, 280.0, 1.5), GOLD);
        }
        top += GAP;
    }
    surface.finish();
    page.finish();
    document.finish().map_err(|e| anyhow::anyhow!("the PDF could not be written: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_pdf_with_the_font_embedded() {
        let pdf = text_page(&[(28, "Certificate (CSP)".into()), (14, "示例科技有限公司".into())]).unwrap();
        assert!(pdf.starts_with(b"%PDF-") && pdf.windows(5).any(|w| w == b"%%EOF"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2") && text.contains("/ToUnicode"), "a subset, with its character map");
        assert!(pdf.len() < 200_000, "a subset, not the whole 5 MB font: {} bytes", pdf.len());
    }
}

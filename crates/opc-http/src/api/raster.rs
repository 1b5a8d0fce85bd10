//! A bordered landscape page of centred text lines as a PNG image, the picture counterpart of
//! `pdf::text_page` for program certificates (R-CERT-03): the same lines, set the same way
//! ([`super::typeset`]) and drawn from the bundled font's outlines, anti-aliased, so a Chinese
//! company name is drawn as itself.

use ab_glyph::{Font, PxScale, ScaleFont};

use super::typeset::{self, FONT};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 850;

/// Left and right margin of the text, in pixels, inside the borders.
const TEXT_MARGIN: u32 = 100;
/// Pixels per point: the page is the PDF's landscape A4 at about 103 dpi.
const PX_PER_PT: f32 = 1200.0 / 842.0;
const LEADING: f32 = 1.3;
const BLOCK_GAP: f32 = 28.0;

type Rgb = [u8; 3];
const PAPER: Rgb = [255, 253, 245];
const NAVY: Rgb = [20, 40, 90];
const GOLD: Rgb = [180, 140, 40];
const INK: Rgb = [20, 20, 20];

/// Renders `lines` (font size in points, as for the PDF, and text) centred on a bordered
/// `WIDTH`×`HEIGHT` page. The first line is the title, with a rule under it. A line too wide
/// for the page is drawn smaller and, at the smallest size, wrapped.
pub fn text_page(lines: &[(u32, String)]) -> Result<Vec<u8>, anyhow::Error> {
    let mut page = Page::new();
    page.frame(24, 12, NAVY);
    page.frame(48, 3, GOLD);
    let in_px: Vec<(u32, String)> =
        lines.iter().map(|(size, text)| ((*size as f32 * PX_PER_PT).round() as u32, text.clone())).collect();
    let set = typeset::layout(&in_px, (WIDTH - 2 * TEXT_MARGIN) as f32);
    let height = set.iter().map(|l| l.rows.len() as f32 * l.size * LEADING).sum::<f32>()
        + BLOCK_GAP * set.len().saturating_sub(1) as f32;
    let mut top = (HEIGHT as f32 - height).max(0.0) / 2.0;
    for (i, line) in set.iter().enumerate() {
        let color = if i == 0 { NAVY } else { INK };
        for (row, width) in &line.rows {
            page.text(row, line.size, ((WIDTH as f32 - width) / 2.0, top + line.size), color);
            top += line.size * LEADING;
        }
        if i == 0 {
            // A rule under the title, in the gap before the next line.
            let y = (top + BLOCK_GAP / 2.0 - 1.0) as u32;
            page.fill((WIDTH / 2 - 200, y), (400, 2), GOLD);
        }
        top += BLOCK_GAP;
    }
    page.encode()
}

/// RGB pixels, row by row.
struct Page {
    rgb: Vec<u8>,
}

impl Page {
    fn new() -> Page {
        Page { rgb: PAPER.repeat((WIDTH * HEIGHT) as usize) }
    }

    /// Blends `color` over the pixel at `coverage` (0 to 1).
    fn blend(&mut self, x: i64, y: i64, color: Rgb, coverage: f32) {
        if !(0..i64::from(WIDTH)).contains(&x) || !(0..i64::from(HEIGHT)).contains(&y) {
            return;
        }
        let i = (y as usize * WIDTH as usize + x as usize) * 3;
        let a = coverage.clamp(0.0, 1.0);
        for (k, c) in color.iter().enumerate() {
            let under = f32::from(self.rgb[i + k]);
            self.rgb[i + k] = (under + (f32::from(*c) - under) * a).round() as u8;
        }
    }

    fn fill(&mut self, (x, y): (u32, u32), (w, h): (u32, u32), color: Rgb) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.blend(i64::from(xx), i64::from(yy), color, 1.0);
            }
        }
    }

    /// A rectangular frame `inset` pixels from the edges, `thickness` wide.
    fn frame(&mut self, inset: u32, thickness: u32, color: Rgb) {
        let (w, h) = (WIDTH - 2 * inset, HEIGHT - 2 * inset);
        let half = thickness / 2;
        self.fill((inset - half, inset - half), (w + thickness, thickness), color);
        self.fill((inset - half, inset + h - half), (w + thickness, thickness), color);
        self.fill((inset - half, inset - half), (thickness, h + thickness), color);
        self.fill((inset + w - half, inset - half), (thickness, h + thickness), color);
    }

    /// `text` at `size` pixels, its baseline starting at `(x, baseline)`.
    fn text(&mut self, text: &str, size: f32, (x, baseline): (f32, f32), color: Rgb) {
        let font = FONT.as_scaled(PxScale::from(size));
        let mut pen = x;
        for c in text.chars() {
            let glyph = font.scaled_glyph(c);
            let advance = font.h_advance(glyph.id);
            let glyph = glyph.id.with_scale_and_position(size, ab_glyph::point(pen, baseline));
            if let Some(outline) = FONT.outline_glyph(glyph) {
                let bounds = outline.px_bounds();
                outline.draw(|gx, gy, coverage| {
                    let px = bounds.min.x as i64 + i64::from(gx);
                    let py = bounds.min.y as i64 + i64::from(gy);
                    self.blend(px, py, color, coverage);
                });
            }
            pen += advance;
        }
    }

    fn encode(&self) -> Result<Vec<u8>, anyhow::Error> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            encoder.write_header()?.write_image_data(&self.rgb)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(bytes).read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    /// Pixels inked at least half way to the ink or the navy, inside the gold border.
    fn dark_pixels(rgb: &[u8]) -> usize {
        let inside = |i: usize| {
            (60..WIDTH - 60).contains(&(i as u32 % WIDTH)) && (60..HEIGHT - 60).contains(&(i as u32 / WIDTH))
        };
        rgb.chunks(3).enumerate().filter(|(i, p)| inside(*i) && p[0] < 140).count()
    }

    #[test]
    fn draws_a_bordered_page_with_text() {
        let (info, rgb) = decode(&text_page(&[(30, "Certificate".into()), (12, "Valid".into())]).unwrap());
        assert_eq!((info.width, info.height, info.color_type), (WIDTH, HEIGHT, png::ColorType::Rgb));
        assert_eq!(&rgb[..3], &PAPER, "the corner is paper");
        let border = ((26 * WIDTH + 26) * 3) as usize;
        assert_eq!(&rgb[border..border + 3], &NAVY, "the outer border");
        let (_, blank) = decode(&text_page(&[]).unwrap());
        assert_eq!(dark_pixels(&blank), 0, "nothing dark inside the borders of an empty page");
        assert!(dark_pixels(&rgb) > 1_000, "the text is drawn");
    }

    #[test]
    fn chinese_text_is_drawn_as_itself() {
        let (_, question_marks) = decode(&text_page(&[(20, "?? Ltd".into())]).unwrap());
        let (_, chinese) = decode(&text_page(&[(20, "示例 Ltd".into())]).unwrap());
        let (_, other) = decode(&text_page(&[(20, "华为 Ltd".into())]).unwrap());
        assert_ne!(question_marks, chinese);
        assert_ne!(chinese, other, "each character is its own glyph");
        assert!(dark_pixels(&chinese) > dark_pixels(&question_marks), "CJK glyphs are dense");
    }

    #[test]
    fn a_long_line_stays_on_the_page() {
        let (_, rgb) = decode(&text_page(&[(20, "w".repeat(300))]).unwrap());
        let outside = |i: usize| (i as u32 % WIDTH) < 60 || (i as u32 % WIDTH) >= WIDTH - 60;
        let ink_outside = rgb.chunks(3).enumerate().filter(|(i, p)| outside(*i) && **p == INK).count();
        assert_eq!(ink_outside, 0, "wrapped inside the margins");
    }
}

//! A bordered landscape page of centred text lines as a PNG image, the picture counterpart of
//! `pdf::text_page` for program certificates (R-CERT-03). Text is drawn with a built-in 10×20
//! ASCII font, enlarged by whole pixels; characters outside printable ASCII are drawn as `?`.

use std::convert::Infallible;

use embedded_graphics::mono_font::{ascii::FONT_10X20, MonoTextStyle};
use embedded_graphics::pixelcolor::Rgb888;
use embedded_graphics::prelude::*;
use embedded_graphics::primitives::{PrimitiveStyle, Rectangle};
use embedded_graphics::text::{Alignment, Baseline, Text, TextStyleBuilder};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 850;

/// Left and right margin of the text, in pixels, inside the borders.
const TEXT_MARGIN: u32 = 100;
const GLYPH_WIDTH: u32 = 10;
const GLYPH_HEIGHT: u32 = 20;
const BLOCK_GAP: u32 = 28;

const PAPER: Rgb888 = Rgb888::new(255, 253, 245);
const NAVY: Rgb888 = Rgb888::new(20, 40, 90);
const GOLD: Rgb888 = Rgb888::new(180, 140, 40);
const INK: Rgb888 = Rgb888::new(20, 20, 20);

/// Renders `lines` (font size in points, as for the PDF, and text) centred on a bordered
/// `WIDTH`×`HEIGHT` page. The first line is the title. A line too wide for the page is drawn
/// smaller and, at the smallest size, wrapped.
pub fn text_page(lines: &[(u32, String)]) -> Result<Vec<u8>, anyhow::Error> {
    let mut page = Page::new();
    let Ok(()) = Rectangle::new(Point::new(24, 24), Size::new(WIDTH - 48, HEIGHT - 48))
        .into_styled(PrimitiveStyle::with_stroke(NAVY, 12))
        .draw(&mut page);
    let Ok(()) = Rectangle::new(Point::new(48, 48), Size::new(WIDTH - 96, HEIGHT - 96))
        .into_styled(PrimitiveStyle::with_stroke(GOLD, 3))
        .draw(&mut page);

    let blocks: Vec<(u32, Vec<String>)> = lines.iter().map(|(size, text)| fit(*size, &printable(text))).collect();
    let height: u32 = blocks.iter().map(|(scale, rows)| rows.len() as u32 * GLYPH_HEIGHT * scale).sum::<u32>()
        + BLOCK_GAP * blocks.len().saturating_sub(1) as u32;
    let mut y = HEIGHT.saturating_sub(height) / 2;
    for (i, (scale, rows)) in blocks.iter().enumerate() {
        let color = if i == 0 { NAVY } else { INK };
        for row in rows {
            let mut target = Scaled { page: &mut page, origin: Point::new(WIDTH as i32 / 2, y as i32), scale: *scale };
            let style = TextStyleBuilder::new().alignment(Alignment::Center).baseline(Baseline::Top).build();
            let Ok(_) = Text::with_text_style(row, Point::zero(), MonoTextStyle::new(&FONT_10X20, color), style)
                .draw(&mut target);
            y += GLYPH_HEIGHT * scale;
        }
        if i == 0 {
            // A rule under the title, in the gap before the next line.
            let Ok(()) =
                Rectangle::new(Point::new(WIDTH as i32 / 2 - 200, (y + BLOCK_GAP / 2 - 1) as i32), Size::new(400, 2))
                    .into_styled(PrimitiveStyle::with_fill(GOLD))
                    .draw(&mut page);
        }
        y += BLOCK_GAP;
    }
    page.encode()
}

/// The text with every character the font cannot show replaced by `?`.
fn printable(text: &str) -> String {
    text.chars().map(|c| if (' '..='~').contains(&c) { c } else { '?' }).collect()
}

/// The enlargement for a font size (30 pt → 3×, 20 pt → 2×, smaller → 1×), reduced until the
/// text fits the width; at 1× a text still too wide is wrapped at spaces (or anywhere, for a
/// longer word).
fn fit(size: u32, text: &str) -> (u32, Vec<String>) {
    let width = WIDTH - 2 * TEXT_MARGIN;
    let chars = text.chars().count() as u32;
    let mut scale = (size / 10).max(1);
    while scale > 1 && chars * GLYPH_WIDTH * scale > width {
        scale -= 1;
    }
    (scale, wrap(text, (width / (GLYPH_WIDTH * scale)) as usize))
}

fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let mut rows: Vec<String> = vec![];
    let mut row = String::new();
    for word in text.split(' ') {
        let word: Vec<char> = word.chars().collect();
        for piece in word.chunks(max_chars) {
            let piece: String = piece.iter().collect();
            if row.is_empty() {
                row = piece;
            } else if row.chars().count() + 1 + piece.chars().count() <= max_chars {
                row.push(' ');
                row.push_str(&piece);
            } else {
                rows.push(std::mem::replace(&mut row, piece));
            }
        }
    }
    rows.push(row);
    rows
}

/// RGB pixels, row by row.
struct Page {
    rgb: Vec<u8>,
}

impl Page {
    fn new() -> Page {
        let mut rgb = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
        for _ in 0..WIDTH * HEIGHT {
            rgb.extend_from_slice(&[PAPER.r(), PAPER.g(), PAPER.b()]);
        }
        Page { rgb }
    }

    fn set(&mut self, x: i32, y: i32, color: Rgb888) {
        if (0..WIDTH as i32).contains(&x) && (0..HEIGHT as i32).contains(&y) {
            let i = (y as usize * WIDTH as usize + x as usize) * 3;
            self.rgb[i..i + 3].copy_from_slice(&[color.r(), color.g(), color.b()]);
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

impl OriginDimensions for Page {
    fn size(&self) -> Size {
        Size::new(WIDTH, HEIGHT)
    }
}

impl DrawTarget for Page {
    type Color = Rgb888;
    type Error = Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<Rgb888>>>(&mut self, pixels: I) -> Result<(), Infallible> {
        for Pixel(p, color) in pixels {
            self.set(p.x, p.y, color);
        }
        Ok(())
    }
}

/// The page seen through a magnifier: the point `p` is the `scale`×`scale` square at
/// `origin + p * scale`.
struct Scaled<'a> {
    page: &'a mut Page,
    origin: Point,
    scale: u32,
}

impl Dimensions for Scaled<'_> {
    fn bounding_box(&self) -> Rectangle {
        let s = self.scale as i32;
        Rectangle::new(
            Point::new(-self.origin.x / s, -self.origin.y / s),
            Size::new(WIDTH / self.scale, HEIGHT / self.scale),
        )
    }
}

impl DrawTarget for Scaled<'_> {
    type Color = Rgb888;
    type Error = Infallible;

    fn draw_iter<I: IntoIterator<Item = Pixel<Rgb888>>>(&mut self, pixels: I) -> Result<(), Infallible> {
        let s = self.scale as i32;
        for Pixel(p, color) in pixels {
            let (x, y) = (self.origin.x + p.x * s, self.origin.y + p.y * s);
            for dy in 0..s {
                for dx in 0..s {
                    self.page.set(x + dx, y + dy, color);
                }
            }
        }
        Ok(())
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

    /// Pixels as dark as the ink or the navy, inside the gold border.
    fn dark_pixels(rgb: &[u8]) -> usize {
        let inside = |i: usize| {
            (60..WIDTH - 60).contains(&(i as u32 % WIDTH)) && (60..HEIGHT - 60).contains(&(i as u32 / WIDTH))
        };
        rgb.chunks(3).enumerate().filter(|(i, p)| inside(*i) && p.iter().all(|c| *c < 100)).count()
    }

    #[test]
    fn draws_a_bordered_page_with_text() {
        let (info, rgb) = decode(&text_page(&[(30, "Certificate".into()), (12, "Valid".into())]).unwrap());
        assert_eq!((info.width, info.height, info.color_type), (WIDTH, HEIGHT, png::ColorType::Rgb));
        assert_eq!(&rgb[..3], &[PAPER.r(), PAPER.g(), PAPER.b()], "the corner is paper");
        let border = ((26 * WIDTH + 26) * 3) as usize;
        assert_eq!(&rgb[border..border + 3], &[NAVY.r(), NAVY.g(), NAVY.b()], "the outer border");
        let (_, blank) = decode(&text_page(&[]).unwrap());
        assert_eq!(dark_pixels(&blank), 0, "nothing dark inside the borders of an empty page");
        assert!(dark_pixels(&rgb) > 1_000, "the text is drawn");
    }

    #[test]
    fn non_ascii_text_is_drawn_as_question_marks() {
        assert_eq!(printable("示例 Ltd ü"), "?? Ltd ?");
        let (_, question_marks) = decode(&text_page(&[(20, "?? Ltd".into())]).unwrap());
        let (_, chinese) = decode(&text_page(&[(20, "示例 Ltd".into())]).unwrap());
        assert_eq!(question_marks, chinese);
    }

    #[test]
    fn long_lines_are_made_smaller_then_wrapped() {
        assert_eq!(fit(30, "Certificate of Partnership"), (3, vec!["Certificate of Partnership".to_owned()]));
        assert_eq!(fit(20, &"x".repeat(60)).0, 1, "60 characters do not fit at 2x");
        let (scale, rows) = fit(20, &format!("{} {}", "a".repeat(90), "b".repeat(150)));
        assert_eq!(scale, 1);
        assert_eq!(rows, ["a".repeat(90), "b".repeat(100), "b".repeat(50)]);
        assert!(text_page(&[(20, "w".repeat(128))]).is_ok());
    }
}

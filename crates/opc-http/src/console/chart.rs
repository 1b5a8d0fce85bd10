//! Charts drawn on the server as SVG by `plotters` (its SVG backend; no JavaScript): each one
//! carries a `<title>` and a `<desc>`, and the same numbers follow in a table (the chart is for
//! the eye; the table is what a screen reader and a copy read). Amounts stay `Money` up to the
//! chart crate: the value axis counts 10⁻⁸ of the currency as integers ([`coordinate`]), and its
//! labels go through the console's one money formatter.

use maud::{html, Markup, PreEscaped};
use opc_domain::Money;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor;

use super::i18n::Lang;
use super::page::money;

const WIDTH: u32 = 640;
const HEIGHT: u32 = 260;
const ACCENT: RGBColor = RGBColor(0x2f, 0x6f, 0xde);
const AXIS: RGBColor = RGBColor(0x6b, 0x72, 0x80);
/// The colours of a chart's limit lines, in the order given (75 %, 90 %, 100 %).
const LIMITS: [RGBColor; 4] =
    [RGBColor(0xb7, 0x79, 0x1f), RGBColor(0xdd, 0x6b, 0x20), RGBColor(0xc5, 0x30, 0x30), RGBColor(0x55, 0x3c, 0x9a)];

/// What a chart shows: its id on the page (for its title's and description's ids), its title,
/// a sentence saying what it shows, the names of its two columns and its points.
pub struct Chart<'a> {
    /// The language of the figures' captions (the title, labels and description come written).
    pub lang: Lang,
    pub id: &'a str,
    pub title: &'a str,
    pub desc: String,
    pub label: &'a str,
    pub value: &'a str,
    pub points: &'a [(String, Money)],
}

/// An amount as a coordinate on the value axis: its count of 10⁻⁸. The only place an amount
/// becomes a number for the chart crate.
fn coordinate(m: Money) -> i64 {
    m.e8()
}

/// The value axis: from 0 (or the lowest amount, if negative) to a tenth above the highest.
fn value_range(amounts: impl Iterator<Item = Money>) -> std::ops::Range<i64> {
    let (mut lo, mut hi) = (0i64, 0i64);
    for a in amounts {
        lo = lo.min(coordinate(a));
        hi = hi.max(coordinate(a));
    }
    let room = (hi - lo) / 10;
    lo..(hi + room).max(lo + 1)
}

/// Vertical bars, one per point (spend per day, per month), with their table.
pub fn columns(chart: &Chart<'_>) -> Markup {
    let points = chart.points;
    let drawn = svg(chart, |root| {
        // A segmented range holds both its ends: n points are 0..n-1.
        let n = points.len() as i32;
        let mut c = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(78)
            .build_cartesian_2d((0..(n - 1).max(0)).into_segmented(), value_range(points.iter().map(|(_, m)| *m)))?;
        c.configure_mesh()
            .disable_x_mesh()
            .axis_style(AXIS)
            .light_line_style(TRANSPARENT)
            .bold_line_style(AXIS.mix(0.2))
            .x_labels(points.len().clamp(1, 12))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => label_at(points, *i),
                SegmentValue::Last => String::new(),
            })
            .y_labels(5)
            .y_label_formatter(&|v| axis_money(*v))
            .label_style(("sans-serif", 11))
            .draw()?;
        c.draw_series(points.iter().enumerate().map(|(i, (_, m))| {
            let i = i as i32;
            let mut bar = Rectangle::new(
                [(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), coordinate(*m))],
                ACCENT.filled(),
            );
            bar.set_margin(0, 0, 2, 2);
            bar
        }))?;
        Ok(())
    });
    figure(chart, drawn, &[])
}

/// A line of amounts over the points (a use through the month) against limit lines (a budget's
/// 75, 90 and 100 %; a quota and its notice line), with their tables.
pub fn line_against(chart: &Chart<'_>, limits: &[(String, Money)]) -> Markup {
    let points = chart.points;
    let drawn = svg(chart, |root| {
        let last = (points.len() as i32 - 1).max(1);
        let range = value_range(points.iter().chain(limits).map(|(_, m)| *m));
        let mut c = ChartBuilder::on(&root)
            .margin(8)
            .margin_right(40)
            .x_label_area_size(28)
            .y_label_area_size(78)
            .build_cartesian_2d(0..last, range)?;
        c.configure_mesh()
            .disable_x_mesh()
            .axis_style(AXIS)
            .light_line_style(TRANSPARENT)
            .bold_line_style(AXIS.mix(0.2))
            .x_labels(points.len().clamp(2, 12))
            .x_label_formatter(&|i| label_at(points, *i))
            .y_labels(5)
            .y_label_formatter(&|v| axis_money(*v))
            .label_style(("sans-serif", 11))
            .draw()?;
        for (k, (name, amount)) in limits.iter().enumerate() {
            let colour = LIMITS[k % LIMITS.len()];
            let y = coordinate(*amount);
            c.draw_series(DashedLineSeries::new(vec![(0, y), (last, y)], 6, 4, colour.stroke_width(1)))?
                .label(format!("{name}: {}", money(*amount)))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2)));
        }
        let line: Vec<(i32, i64)> = points.iter().enumerate().map(|(i, (_, m))| (i as i32, coordinate(*m))).collect();
        c.draw_series(LineSeries::new(line.clone(), ACCENT.stroke_width(2)))?
            .label(chart.value)
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], ACCENT.stroke_width(2)));
        c.draw_series(line.into_iter().map(|p| Circle::new(p, 2, ACCENT.filled())))?;
        c.configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(AXIS.mix(0.4))
            .label_font(("sans-serif", 11))
            .draw()?;
        Ok(())
    });
    figure(chart, drawn, limits)
}

/// A horizontal bar chart of `bars` (label, amount), for pages that show the same figures in a
/// table of their own; negative amounts draw as empty bars.
pub fn bars(lang: Lang, title: &str, bars: &[(String, Money)]) -> Markup {
    let desc = match bars.iter().max_by_key(|(_, m)| *m) {
        Some((label, m)) => lang.t_with(
            "chart-bars-desc",
            &[("count", bars.len().into()), ("label", label.as_str().into()), ("amount", money(*m).into())],
        ),
        None => lang.t("chart-bars-none"),
    };
    let chart = Chart { lang, id: &slug(title), title, desc, label: "", value: "", points: bars };
    let drawn = svg_sized(&chart, (WIDTH, 16 + 26 * bars.len().max(1) as u32), |root| {
        // The first bar on top: the value axis counts rows from the bottom.
        let n = bars.len() as i32;
        let row = |i: usize| n - 1 - i as i32;
        let label = |r: i32| clip(&label_at(bars, n - 1 - r));
        let drawn = |m: Money| m.max(Money::ZERO);
        let range = value_range(bars.iter().map(|(_, m)| drawn(*m)));
        // Room on the right for the largest bar's figure.
        let range = range.start..range.end + (range.end - range.start) / 5;
        let mut c = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(0)
            .y_label_area_size(170)
            .build_cartesian_2d(range, (0..(n - 1).max(0)).into_segmented())?;
        c.configure_mesh()
            .disable_mesh()
            .axis_style(AXIS)
            .y_labels(bars.len().max(1))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(r) | SegmentValue::Exact(r) => label(*r),
                SegmentValue::Last => String::new(),
            })
            .label_style(("sans-serif", 12))
            .draw()?;
        c.draw_series(bars.iter().enumerate().map(|(i, (_, m))| {
            let r = row(i);
            let mut bar = Rectangle::new(
                [(0, SegmentValue::Exact(r)), (coordinate(drawn(*m)), SegmentValue::Exact(r + 1))],
                ACCENT.filled(),
            );
            bar.set_margin(3, 3, 0, 0);
            bar
        }))?;
        let figure_style = ("sans-serif", 12)
            .into_font()
            .color(&BLACK)
            .pos(text_anchor::Pos::new(text_anchor::HPos::Left, text_anchor::VPos::Center));
        c.draw_series(bars.iter().enumerate().map(|(i, (_, m))| {
            Text::new(
                format!(" {}", money(*m)),
                (coordinate(drawn(*m)), SegmentValue::CenterOf(row(i))),
                figure_style.clone(),
            )
        }))?;
        Ok(())
    });
    html! {
        figure.chart {
            @match drawn { Some(svg) => (PreEscaped(svg)), None => {} }
            figcaption { (title) }
        }
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;
type Drawn = Result<(), Box<dyn std::error::Error + 'static>>;

fn svg(chart: &Chart<'_>, draw: impl FnOnce(Area<'_>) -> Drawn) -> Option<String> {
    svg_sized(chart, (WIDTH, HEIGHT), draw)
}

/// The chart drawn by `draw`, with its title and description; `None` (and a log line) if the
/// chart crate failed: the table still carries the figures.
fn svg_sized(chart: &Chart<'_>, size: (u32, u32), draw: impl FnOnce(Area<'_>) -> Drawn) -> Option<String> {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(root.clone()).and_then(|()| root.present().map_err(|e| e.to_string().into()))
    };
    if let Err(e) = result {
        tracing::warn!(chart = chart.id, error = %e, "A chart could not be drawn");
        return None;
    }
    let (start, rest) = out.split_once("<svg")?;
    let (attributes, body) = rest.split_once('>')?;
    let id = chart.id;
    let head =
        html! { title id=(format!("{id}-title")) { (chart.title) } desc id=(format!("{id}-desc")) { (chart.desc) } };
    Some(format!(
        "{start}<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"plot\"{attributes}>{}{body}",
        head.into_string()
    ))
}

/// The figure: the chart, then its points (and limit lines) in tables.
fn figure(chart: &Chart<'_>, svg: Option<String>, limits: &[(String, Money)]) -> Markup {
    html! {
        figure.chart id=(chart.id) {
            @if let Some(svg) = svg { (PreEscaped(svg)) }
            figcaption { (chart.title) }
            details.chart-figures {
                summary { (chart.lang.t("chart-figures")) }
                table.chart-data {
                    caption { (chart.lang.t_with("chart-figures-caption", &[("title", chart.title.into())])) }
                    thead { tr { th scope="col" { (chart.label) } th.num scope="col" { (chart.value) } } }
                    tbody { @for (label, m) in chart.points {
                        tr { th scope="row" { (label) } td.num title=(m.to_string()) { (money(*m)) } }
                    } }
                }
                @if !limits.is_empty() {
                    table.chart-data {
                        caption { (chart.lang.t_with("chart-lines-caption", &[("title", chart.title.into())])) }
                        thead { tr { th scope="col" { (chart.lang.t("chart-line")) } th.num scope="col" { (chart.lang.t("chart-amount")) } } }
                        tbody { @for (label, m) in limits {
                            tr { th scope="row" { (label) } td.num title=(m.to_string()) { (money(*m)) } }
                        } }
                    }
                }
            }
        }
    }
}

fn label_at(points: &[(String, Money)], i: i32) -> String {
    usize::try_from(i).ok().and_then(|i| points.get(i)).map(|(l, _)| l.clone()).unwrap_or_default()
}

/// A value axis label: an amount as people read it.
fn axis_money(e8: i64) -> String {
    Money::from_e8(e8).map(money).unwrap_or_default()
}

fn slug(title: &str) -> String {
    let s: String =
        title.chars().flat_map(|c| if c.is_alphanumeric() { c.to_lowercase().collect() } else { vec!['-'] }).collect();
    format!("chart-{s}")
}

fn clip(label: &str) -> String {
    if label.chars().count() <= 26 {
        label.to_owned()
    } else {
        format!("{}…", label.chars().take(25).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    #[test]
    fn columns_carry_a_title_a_description_and_the_figures_in_a_table() {
        let points = vec![("12-01".to_owned(), m("100")), ("12-02".to_owned(), m("25.5"))];
        let chart = Chart {
            lang: Lang::English,
            id: "spend-days",
            title: "Spend per day",
            desc: "Two days".into(),
            label: "Day",
            value: "Spend",
            points: &points,
        };
        let html = columns(&chart).into_string();
        assert!(html.contains(r#"<svg role="img" aria-labelledby="spend-days-title spend-days-desc""#), "{html}");
        assert!(html.contains(
            r#"<title id="spend-days-title">Spend per day</title><desc id="spend-days-desc">Two days</desc>"#
        ));
        assert!(html.contains("<rect"), "bars are drawn: {html}");
        assert!(html.contains(r#"<td class="num" title="25.50000000">USD 25.50</td>"#), "the table: {html}");
        assert_eq!(html.matches("<svg").count(), 1);
    }

    #[test]
    fn a_line_is_drawn_against_its_limits_which_the_table_lists() {
        let points = vec![("1".to_owned(), m("10")), ("2".to_owned(), m("80")), ("3".to_owned(), m("95"))];
        let limits = vec![("75 %".to_owned(), m("75")), ("90 %".to_owned(), m("90")), ("100 %".to_owned(), m("100"))];
        let chart = Chart {
            lang: Lang::English,
            id: "budget",
            title: "Budget use",
            desc: "d".into(),
            label: "Day",
            value: "Used",
            points: &points,
        };
        let html = line_against(&chart, &limits).into_string();
        assert!(html.contains("<polyline") || html.contains("<path"), "a line: {html}");
        assert!(html.contains("75 %: USD 75.00"), "the legend names each line with its amount: {html}");
        assert!(html.contains(r#"<th scope="row">90 %</th><td class="num" title="90.00000000">USD 90.00</td>"#));
    }

    #[test]
    fn bars_are_labelled_with_their_figures_and_empty_charts_still_draw() {
        let data = vec![("2026-03".to_owned(), m("100")), ("2026-04".to_owned(), m("-25.5"))];
        let svg = bars(Lang::English, "Amount due per month", &data).into_string();
        assert!(svg.contains("<title") && svg.contains("100.00") && svg.contains("-25.50"), "{svg}");
        assert!(bars(Lang::English, "Empty", &[]).into_string().contains("<svg"));
        let none = Chart {
            lang: Lang::English,
            id: "e",
            title: "E",
            desc: String::new(),
            label: "Day",
            value: "Spend",
            points: &[],
        };
        assert!(columns(&none).into_string().contains("<svg"));
        assert!(line_against(&none, &[]).into_string().contains("<svg"));
    }

    #[test]
    fn the_largest_and_negative_amounts_still_draw() {
        let points = vec![("a".to_owned(), Money::MAX), ("b".to_owned(), Money::from_e8(-Money::MAX.e8()).unwrap())];
        let chart = Chart {
            lang: Lang::English,
            id: "x",
            title: "X",
            desc: String::new(),
            label: "Day",
            value: "Spend",
            points: &points,
        };
        for html in [columns(&chart), line_against(&chart, &points), bars(Lang::English, "X", &points)] {
            let html = html.into_string();
            assert!(html.contains("<svg") && html.contains("<title"), "{html}");
        }
    }
}

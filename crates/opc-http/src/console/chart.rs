//! Charts drawn on the server as SVG: bars with their figures, always next to a table of the
//! same numbers (the chart is for the eye; the table is what a screen reader and an export read).

use maud::{html, Markup};
use opc_domain::Money;

use super::page::money;

const WIDTH: i64 = 640;
const BAR: i64 = 22;
const GAP: i64 = 8;
const LABEL: i64 = 180;

/// A horizontal bar chart of `bars` (label, amount); negative amounts draw as empty bars.
pub fn bars(title: &str, bars: &[(String, Money)]) -> Markup {
    let max = bars.iter().map(|(_, m)| m.e8()).max().unwrap_or(0).max(1);
    let height = (BAR + GAP) * i64::try_from(bars.len()).unwrap_or(0) + GAP;
    let room = WIDTH - LABEL - 110;
    html! {
        figure.chart {
            svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(title) width=(WIDTH) height=(height)
                viewBox=(format!("0 0 {WIDTH} {height}")) {
                title { (title) }
                @for (i, (label, amount)) in bars.iter().enumerate() {
                    @let y = GAP + (BAR + GAP) * i as i64;
                    @let w = (i128::from(amount.e8().max(0)) * i128::from(room) / i128::from(max)) as i64;
                    text x=(LABEL - 6) y=(y + 16) text-anchor="end" font-size="12" { (clip(label)) }
                    rect x=(LABEL) y=(y) width=(w.max(1)) height=(BAR) rx="2" class="bar" {}
                    text x=(LABEL + w + 6) y=(y + 16) font-size="12" { (money(*amount)) }
                }
            }
            figcaption { (title) }
        }
    }
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

    #[test]
    fn bars_are_scaled_to_the_largest_and_labelled_with_their_figures() {
        let data = vec![
            ("2026-03".to_owned(), Money::parse("100").unwrap()),
            ("2026-04".to_owned(), Money::parse("25.5").unwrap()),
        ];
        let svg = bars("Amount due per month", &data).into_string();
        assert!(svg.contains(r#"width="350""#), "the largest fills the room: {svg}");
        assert!(svg.contains(r#"width="89""#), "25.5 % of it, rounded down: {svg}");
        assert!(svg.contains("25.50") && svg.contains("100.00"));
        assert!(bars("Empty", &[]).into_string().contains("<svg"));
    }
}

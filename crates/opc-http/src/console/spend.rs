//! The spend charts shared by the partner's and the customer's pages: spend per day of the
//! month and per month, a budget's use over the month against its 75, 90 and 100 % lines
//! (R-RCM-04), and the consumption quota's use against the quota and its notice line
//! (R-QUOTA-04). The figures come from `ops::spend`; here they get their words.

use maud::{html, Markup};
use opc_core::ops::bills::month_text;
use opc_core::ops::spend::{BudgetUse, QuotaHistory, SpendHistory};
use opc_domain::budget::BudgetType;
use opc_domain::Money;

use super::chart::{columns, line_against, Chart};
use super::i18n::{Arg, Lang};
use super::page::{money, percent};

const DAY_MS: i64 = 86_400_000;

/// A day counted since 1970-01-01 in the billing zone, as `2026-12-03`.
pub fn day_text(day: i64) -> String {
    let (y, m, d, ..) = opc_domain::Timestamp::from_unix_ms(day * DAY_MS).to_utc();
    format!("{y:04}-{m:02}-{d:02}")
}

/// The largest point, if any has spend.
fn peak(points: &[(String, Money)]) -> Option<&(String, Money)> {
    points.iter().filter(|(_, m)| *m > Money::ZERO).max_by_key(|(_, m)| *m)
}

/// Spend per day of the month and per month in `lang`; `whose` is written in `lang`.
pub fn spend_charts(lang: Lang, id: &str, whose: &str, h: &SpendHistory) -> Markup {
    let days: Vec<(String, Money)> = h.days.iter().map(|(d, m)| (day_text(*d), *m)).collect();
    let months: Vec<(String, Money)> = h.months.iter().map(|(c, m)| (month_text(*c), *m)).collect();
    let (first, last) = match (days.first(), days.last()) {
        (Some(f), Some(l)) => (f.0.clone(), l.0.clone()),
        _ => (String::new(), String::new()),
    };
    // The month's spend is the last month's: the days' sum, added up once, in `ops::spend`.
    let month = months.last().map_or(Money::ZERO, |(_, m)| *m);
    let whose = || -> (&str, Arg) { ("whose", whose.into()) };
    let days_desc = match peak(&days) {
        Some((day, m)) => lang.t_with(
            "chart-spend-days-desc",
            &[
                whose(),
                ("first", first.as_str().into()),
                ("last", last.as_str().into()),
                ("total", money(month).into()),
                ("peak", money(*m).into()),
                ("at", day.as_str().into()),
            ],
        ),
        None => lang.t_with(
            "chart-spend-days-desc-none",
            &[whose(), ("first", first.as_str().into()), ("last", last.as_str().into())],
        ),
    };
    let months_desc = match peak(&months) {
        Some((at, m)) => lang.t_with(
            "chart-spend-months-desc",
            &[
                whose(),
                ("count", months.len().into()),
                ("total", money(month).into()),
                ("peak", money(*m).into()),
                ("at", at.as_str().into()),
            ],
        ),
        None => lang.t_with("chart-spend-months-desc-none", &[whose(), ("count", months.len().into())]),
    };
    let days_id = format!("{id}-days");
    let months_id = format!("{id}-months");
    let (days_title, months_title) = (lang.t("chart-spend-days-title"), lang.t("chart-spend-months-title"));
    let (day, mon, spend) = (lang.t("chart-day"), lang.t("chart-month"), lang.t("chart-spend"));
    html! {
        (columns(&Chart { lang, id: &days_id, title: &days_title, desc: days_desc, label: &day, value: &spend, points: &days }))
        (columns(&Chart { lang, id: &months_id, title: &months_title, desc: months_desc, label: &mon, value: &spend, points: &months }))
    }
}

/// A budget's use at each day's end of the month, against its notice lines.
pub fn budget_chart(lang: Lang, id: &str, b: &BudgetUse) -> Markup {
    let points: Vec<(String, Money)> = b.days.iter().map(|(d, m)| (day_text(*d), *m)).collect();
    let lines: Vec<(String, Money)> = b.thresholds.iter().map(|(t, m)| (format!("{t} %"), *m)).collect();
    let kind = match b.budget.budget_type() {
        BudgetType::Monthly => lang.t("chart-budget-monthly"),
        BudgetType::Package => lang.t("chart-budget-package"),
    };
    let marks: Vec<String> = lines
        .iter()
        .map(|(t, m)| lang.t_with("chart-budget-mark", &[("line", t.as_str().into()), ("amount", money(*m).into())]))
        .collect();
    let day = points.last().map_or_else(|| lang.t("chart-today"), |p| p.0.clone());
    let desc = lang.t_with(
        "chart-budget-desc",
        &[
            ("kind", kind.into()),
            ("budget", money(b.budget.amount()).into()),
            ("used", money(b.used).into()),
            ("percent", percent(b.used, b.budget.amount()).into()),
            ("day", day.into()),
            ("marks", marks.join(&lang.t("chart-list-separator")).into()),
        ],
    );
    let (title, label, value) = (lang.t("chart-budget-title"), lang.t("chart-day"), lang.t("chart-used"));
    line_against(&Chart { lang, id, title: &title, desc, label: &label, value: &value, points: &points }, &lines)
}

/// The consumption quota's use at each day's end of the month, against the quota and its
/// notice line, in `lang`.
pub fn quota_chart(lang: Lang, q: &QuotaHistory) -> Markup {
    let points: Vec<(String, Money)> = q.days.iter().map(|(d, m)| (day_text(*d), *m)).collect();
    let lines = vec![(lang.t("chart-quota-notice-line"), q.notice), (lang.t("chart-quota-line"), q.quota)];
    let desc = lang.t_with(
        "chart-quota-desc",
        &[
            ("quota", money(q.quota).into()),
            ("used", money(q.used).into()),
            ("percent", percent(q.used, q.quota).into()),
            ("notice", money(q.notice).into()),
        ],
    );
    let (title, day, used) = (lang.t("chart-quota-title"), lang.t("chart-day"), lang.t("chart-used"));
    line_against(
        &Chart { lang, id: "quota-days", title: &title, desc, label: &day, value: &used, points: &points },
        &lines,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_as_dates() {
        assert_eq!(day_text(0), "1970-01-01");
        assert_eq!(day_text(20_790), "2026-12-03");
    }
}

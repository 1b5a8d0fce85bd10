//! Resource packages (issue #16) on the console: the customer's own on its Orders page, and a
//! customer's on its partner's customer page — each package's grant, what is left of it in the
//! current period, its status and term. The figures come from `ops::packages`.

use maud::{html, Markup};
use opc_core::ops::packages::PackageView;
use opc_domain::package::{quantity_text, PackageStatus, Reset};

use super::i18n::Lang;
use super::page::when;

/// A package's status: the message id.
fn status_name(s: PackageStatus) -> &'static str {
    match s {
        PackageStatus::NotYetEffective => "orders-package-not-yet-effective",
        PackageStatus::InEffect => "orders-package-in-effect",
        PackageStatus::UsedUp => "orders-package-used-up",
        PackageStatus::Expired => "orders-package-expired",
        PackageStatus::Unsubscribed => "orders-package-unsubscribed",
    }
}

/// The packages as a card with a table, its words in `lang`; nothing when there are none.
pub(crate) fn section(lang: Lang, packages: &[PackageView]) -> Markup {
    let columns = [
        lang.t("orders-packages-col-package"),
        lang.t("orders-packages-col-covers"),
        lang.t("orders-packages-col-remaining"),
        lang.t("orders-packages-col-status"),
        lang.t("orders-packages-col-term"),
    ];
    let [package, covers, remaining, status, term] = &columns;
    html! {
        @if !packages.is_empty() {
            section.card #packages aria-labelledby="packages-title" {
                h2 #packages-title { (lang.t("orders-packages")) }
                table.list {
                    thead { tr { @for c in &columns { th { (c) } } } }
                    tbody { @for v in packages { tr {
                        td data-label=(package) { (v.package.product_name) br; small { (v.package.id) } }
                        td data-label=(covers) { (lang.t_with("orders-packages-covers", &[
                            ("usage", v.package.grant.usage_type.to_string().into()),
                            ("resource", v.package.grant.resource_type.to_string().into()),
                            ("region", v.package.region.to_string().into()),
                        ])) }
                        td data-label=(remaining) {
                            (lang.t_with(
                                if v.package.grant.reset == Reset::Monthly {
                                    "orders-packages-remaining-month"
                                } else {
                                    "orders-packages-remaining"
                                },
                                &[
                                    ("left", quantity_text(v.remaining).into()),
                                    ("total", quantity_text(v.package.grant.amount).into()),
                                ],
                            ))
                        }
                        td data-label=(status) { (lang.t(status_name(v.status))) }
                        td data-label=(term) { (when(v.package.effective)) " – " (when(v.package.expire)) }
                    } } }
                }
            }
        }
    }
}

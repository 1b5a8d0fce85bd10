//! Resource packages (issue #16) on the console: the customer's own on its Orders page, and a
//! customer's on its partner's customer page — each package's grant, what is left of it in the
//! current period, its status and term. The figures come from `ops::packages`.

use maud::{html, Markup};
use opc_core::ops::packages::PackageView;
use opc_domain::package::{quantity_text, PackageStatus, Reset};

use super::page::when;

fn status_name(s: PackageStatus) -> &'static str {
    match s {
        PackageStatus::NotYetEffective => "Not yet effective",
        PackageStatus::InEffect => "In effect",
        PackageStatus::UsedUp => "Used up",
        PackageStatus::Expired => "Expired",
        PackageStatus::Unsubscribed => "Unsubscribed",
    }
}

/// The packages as a card with a table; nothing when there are none.
pub(crate) fn section(packages: &[PackageView]) -> Markup {
    html! {
        @if !packages.is_empty() {
            section.card #packages aria-labelledby="packages-title" {
                h2 #packages-title { "Resource packages" }
                table.list {
                    thead { tr { th { "Package" } th { "Covers" } th { "Remaining" } th { "Status" } th { "Term" } } }
                    tbody { @for v in packages { tr {
                        td data-label="Package" { (v.package.product_name) br; small { (v.package.id) } }
                        td data-label="Covers" { (v.package.grant.usage_type) " of " (v.package.grant.resource_type)
                            ", " (v.package.region) }
                        td data-label="Remaining" {
                            (quantity_text(v.remaining)) " of " (quantity_text(v.package.grant.amount))
                            @if v.package.grant.reset == Reset::Monthly { " this month" }
                        }
                        td data-label="Status" { (status_name(v.status)) }
                        td data-label="Term" { (when(v.package.effective)) " – " (when(v.package.expire)) }
                    } } }
                }
            }
        }
    }
}

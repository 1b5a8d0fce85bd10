//! The partner's pages: overview, customers (budgets, freezes, account managers), customer
//! development (pre-registration and invitations), association records, bills, cash coupons and
//! coupon quotas, test coupons and organization.
//! Members see and do what their role's permission items allow (R-ORG-02) and, as account
//! managers or directors, only their customers (R-ORG-19): the use cases decide.
//!
//! One module per page: `overview`, `customers`, `development`, `records` (association records),
//! `bills`, `coupons` (cash coupons and quotas), `test_coupons`, `organization`; this one holds
//! the routes and what every page asks first (who acts, as whom).

mod bills;
mod coupons;
mod customers;
mod development;
mod expenditures;
mod organization;
mod overview;
mod records;
mod test_coupons;

use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup, PreEscaped};
use opc_core::ops::auth::Caller;
use opc_core::ops::console::ConsoleUser;
use opc_core::Context;
use opc_domain::association::AssociationModel;
use opc_domain::organization::{Member, Permission};
use opc_domain::partner::Partner;

use super::{denied, OrDeny, Viewer};
use crate::audience::acting_partner;
use crate::console::i18n::{Arg, Lang};

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/partner", get(overview::overview))
        .route("/partner/customers", get(customers::customers_page))
        .route("/partner/customers/{id}", get(customers::customer_page))
        .route("/partner/customers/{id}/budget", post(customers::set_budget))
        .route("/partner/customers/{id}/freeze", post(customers::freeze))
        .route("/partner/customers/{id}/unfreeze", post(customers::unfreeze))
        .route("/partner/customers/{id}/account-manager", post(customers::assign_manager))
        .route("/partner/development", get(development::development_page))
        .route("/partner/pre-registrations", post(development::pre_register))
        .route("/partner/invitations", post(development::invite))
        .route("/partner/invitations/{token}/revoke", post(development::revoke))
        .route("/partner/bills", get(bills::bills_page))
        .route("/partner/bills/{month}", get(bills::bill_page))
        .route("/partner/expenditures", get(expenditures::expenditures_page))
        .route("/partner/coupons", get(coupons::coupons_page))
        .route("/partner/coupons/{id}", get(coupons::coupon_page))
        .route("/partner/coupons/{id}/reclaim", get(coupons::reclaim_confirm).post(coupons::reclaim))
        .route("/partner/coupon-quotas", get(coupons::quotas_page))
        .route("/partner/coupon-quotas/pass", post(coupons::pass_quota))
        .route("/partner/coupon-quotas/{id}/reclaim", post(coupons::reclaim_quota))
        .route("/partner/coupon-issues", post(coupons::issue))
        .route("/partner/test-coupons", get(test_coupons::test_coupons_page))
        .route("/partner/test-coupon-requests", post(test_coupons::request))
        .route("/partner/association-records", get(records::records_page))
        .route("/partner/association-records/{customer}/{decision}", post(records::decide_record))
        .route("/partner/organization", get(organization::organization_page))
        .route("/partner/roles", post(organization::create_role))
        .route("/partner/members", post(organization::create_member))
        .route("/partner/members/{member}", post(organization::update_member))
        .route("/partner/access-keys", post(organization::create_key))
        .route("/partner/access-keys/{key}/revoke", post(organization::revoke_key))
        .route("/partner/personnel-invitations", post(organization::invite_personnel))
}

/// The partner the viewer acts for, and the member acting, if `needs` allows (R-ORG-02).
fn acting(viewer: &Viewer, needs: Option<Permission>) -> Result<(&Partner, Option<&Member>), Response> {
    acting_partner(&viewer.user, needs).map_err(|e| denied(viewer, e))
}

/// The partner the viewer belongs to, and the member acting (none for the administrator),
/// whatever the member's permissions: for pages whose use cases check the permission items.
fn organization_of(viewer: &Viewer) -> Result<(&Partner, Option<&Member>), Response> {
    match &viewer.user {
        ConsoleUser::Account { partner: Some(partner), .. } => Ok((partner, None)),
        ConsoleUser::Member { member, partner, .. } => Ok((partner, Some(member))),
        ConsoleUser::Account { partner: None, .. } | ConsoleUser::Staff(_) => acting(viewer, None),
    }
}

/// The use cases' caller for the viewer: the partner, or the member with its role and
/// visibility.
async fn caller(ctx: &Context, viewer: &Viewer) -> Result<Caller, Response> {
    let (partner, member) = organization_of(viewer)?;
    Caller::acting(ctx, partner.clone(), member.cloned(), None).await.or_deny(viewer)
}

fn model_name(lang: Lang, m: AssociationModel) -> String {
    match m {
        AssociationModel::Referral => lang.t("partner-model-referral"),
        AssociationModel::Reseller => lang.t("partner-model-reseller"),
    }
}

/// A billing mode as the bill pages name it (`page::charging_mode_name`'s words) in `lang`.
fn mode_name(lang: Lang, mode: opc_domain::catalog::ChargingMode) -> String {
    match mode {
        opc_domain::catalog::ChargingMode::Period => lang.t("partner-mode-period"),
        opc_domain::catalog::ChargingMode::OnDemand => lang.t("partner-mode-on-demand"),
    }
}

/// A bill type as expenditure details name it (R-BILL-15; `page::charge_kind_name`'s words) in
/// `lang`.
fn kind_name(lang: Lang, kind: opc_domain::bill::ChargeKind) -> String {
    match kind {
        opc_domain::bill::ChargeKind::Expenditure => lang.t("partner-kind-expenditure"),
        opc_domain::bill::ChargeKind::Refund => lang.t("partner-kind-refund"),
        opc_domain::bill::ChargeKind::Adjustment => lang.t("partner-kind-adjustment"),
    }
}

/// The messages `ids` in `lang`: a table's caption words or columns.
fn texts(lang: Lang, ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| lang.t(id)).collect()
}

/// `texts` borrowed, as a table takes its columns.
fn strs(texts: &[String]) -> Vec<&str> {
    texts.iter().map(String::as_str).collect()
}

/// The message `id` in `lang` whose arguments are markup (a figure in `strong`, a `code`): the
/// message's text is escaped, each argument put in as it is.
fn marked(lang: Lang, id: &str, args: &[(&str, Markup)]) -> Markup {
    let mark = |i: usize| format!("\u{E000}{i}\u{E001}");
    let marks: Vec<(&str, Arg)> = args.iter().enumerate().map(|(i, (name, _))| (*name, mark(i).into())).collect();
    let mut out = html! { (lang.t_with(id, &marks)) }.into_string();
    for (i, (_, markup)) in args.iter().enumerate() {
        out = out.replace(&mark(i), &markup.0);
    }
    PreEscaped(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_messages_escape_their_words_and_keep_their_markup() {
        let strong = |s: &str| html! { strong { (s) } };
        // In English, as the page wrote it before its words moved to the catalogue.
        let (limit, committed, left) = ("USD 1,000.00", "USD 200.00", "USD 800.00");
        let before = html! {
            "Test coupons pay for testing services and resources of your reseller customers (R-CPN-15). "
            "Your limit is " strong { (limit) } "; " (committed) " is pending or approved, so "
            strong { (left) } " may still be requested (R-CPN-23). What test coupons pay is not your revenue "
            "(R-CPN-19); when one runs out, resources are not deleted and further consumption is billed to you (R-CPN-17)."
        };
        let args = [("limit", strong(limit)), ("committed", html! { (committed) }), ("left", strong(left))];
        assert_eq!(marked(Lang::English, "partner-test-coupons-intro", &args).into_string(), before.into_string());
        let chinese = marked(Lang::Chinese, "partner-test-coupons-intro", &args).into_string();
        assert!(chinese.contains("<strong>USD 800.00</strong>") && chinese.contains("测试券"), "{chinese}");
        // The message's own words are escaped; an argument's markup is not.
        assert_eq!(
            marked(Lang::English, "partner-expenditures-total", &[("total", strong("<b>"))]).into_string(),
            "Total of the matching expenditures: <strong>&lt;b&gt;</strong>"
        );
        assert!(marked(Lang::English, "partner-test-coupons-resource-config", &[])
            .into_string()
            .ends_with("(Save and Share &gt; Share &gt; Copy)"));
    }
}

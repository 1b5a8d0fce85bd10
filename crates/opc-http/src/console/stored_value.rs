//! Stored-value cards in the console (issue 15; B2.5.8): a customer's *Stored-value cards* page
//! (its own cards, read-only, with CSV), and the operator's, which records a card a customer
//! bought (as `partner-center admin stored-value-card issue`) and lists every card. Paying with a
//! card is on the customer's Orders page.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use maud::html;
use opc_core::ops::auth::Principal;
use opc_core::ops::stored_value::{self, CardFilter};
use opc_core::Context;
use opc_domain::stored_value::{CardStatus, StoredValueCard};

use super::extract::PageQuery;
use super::i18n::Lang;
use super::page::{self, csrf, field, form_error, money, when, Cell, Count, Input, Table};
use super::{denied, done, render, render_form, Failed, ListQuery, OrDeny, Posted, Viewer};
use crate::api::test_coupons::{amount, parse_date};
use crate::audience::{customer_account, staff_of};
use crate::error::ApiError;

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/my-stored-value-cards", get(my_cards))
        .route("/operator/stored-value-cards", get(operator_page).post(record))
}

/// A card's status: the message id.
fn status_name(s: CardStatus) -> &'static str {
    match s {
        CardStatus::Usable => "funds-usable",
        CardStatus::UsedUp => "funds-used-up",
    }
}

/// A list of cards' columns in `lang` (with the customer's, for the operator's).
fn card_columns(lang: Lang, with_customer: bool) -> Vec<String> {
    let mut ids = vec!["funds-col-card", "funds-col-name"];
    if with_customer {
        ids.push("funds-col-customer");
    }
    ids.extend(["funds-col-balance", "funds-col-face", "funds-col-from", "funds-col-to", "funds-col-status"]);
    ids.into_iter().map(|id| lang.t(id)).collect()
}

fn card_cells(lang: Lang, c: &StoredValueCard, with_customer: bool) -> Vec<Cell> {
    let mut cells = vec![Cell::from(c.id().to_owned()), Cell::from(c.name().to_owned())];
    if with_customer {
        cells.push(Cell::from(c.customer().as_str().to_owned()));
    }
    cells.extend([
        page::exact(c.balance()),
        page::exact(c.face_value()),
        Cell::from(when(c.valid_from())),
        Cell::from(when(c.valid_to())),
        Cell::from(lang.t(status_name(c.status()))),
    ]);
    cells
}

/// The signed-in customer's cards, newest first (the same as B2.5.8 answers it).
async fn my_cards(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    let account = customer_account(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let principal = Principal::Customer { account: account.clone(), access_key: None };
    let paging = q.paging();
    let filter = CardFilter { offset: paging.offset(), limit: Some(paging.per_page), ..CardFilter::default() };
    let (list, total) = stored_value::cards_of(&ctx, &principal, &filter).await.or_deny(&viewer)?;
    // The export keeps its English words, for the machines that read it.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
    let caption = lang.t("funds-my-caption");
    let columns = card_columns(lang, false);
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let table = Table {
        caption: &caption,
        columns: &columns,
        rows: list.iter().map(|c| (card_cells(lang, c, false), None)).collect(),
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("my-stored-value-cards"));
    }
    let body = html! {
        h1 { (lang.t("funds-title")) }
        p { (lang.t("funds-my-note")) }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render(&viewer, &lang.t("funds-title"), body))
}

async fn operator_page(
    State(ctx): State<Context>,
    viewer: Viewer,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, Response> {
    operator_view(&ctx, viewer, &q, None).await
}

async fn operator_view(
    ctx: &Context,
    viewer: Viewer,
    q: &ListQuery,
    failed: Option<&Failed>,
) -> Result<Response, Response> {
    staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?;
    let paging = q.paging();
    let filter = CardFilter { offset: paging.offset(), limit: Some(paging.per_page), ..CardFilter::default() };
    let (list, total) = stored_value::all_cards(ctx, None, &filter).await.or_deny(&viewer)?;
    // The export keeps its English words, for the machines that read it.
    let lang = if q.csv() { Lang::English } else { viewer.lang };
    let caption = lang.t("funds-title");
    let columns = card_columns(lang, true);
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let table = Table {
        caption: &caption,
        columns: &columns,
        rows: list.iter().map(|c| (card_cells(lang, c, true), None)).collect(),
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("stored-value-cards"));
    }
    let token = viewer.csrf();
    let body = html! {
        h1 { (lang.t("funds-title")) }
        p { (lang.t("funds-operator-note")) }
        form.card method="post" action="/operator/stored-value-cards" {
            h2 { (lang.t("funds-record")) }
            (csrf(&token))
            (form_error(failed, &["customer_id", "customer", "name", "face_value", "valid_time", "expire_time"]))
            (field(failed, &lang.t("funds-customer-id"), "customer_id", Input::Text, "", true))
            (field(failed, &lang.t("funds-card-name"), "name", Input::Text, "", true))
            (field(failed, &lang.t("funds-face-value"), "face_value", Input::Number, "", true))
            (field(failed, &lang.t("funds-valid-from"), "valid_time", Input::Text, "", false))
            (field(failed, &lang.t("funds-valid-until"), "expire_time", Input::Text, "", true))
            button type="submit" { (lang.t("funds-record-submit")) }
        }
        (table.render(viewer.lang, &viewer.here, paging))
    };
    Ok(render_form(&viewer, &lang.t("funds-title"), body, failed))
}

async fn record(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let operator = staff_of(&viewer.user).map_err(|e| denied(&viewer, e))?.email.as_str().to_owned();
    let outcome = async {
        let face = amount("face_value", form.opt("face_value"))?;
        let from = match form.opt("valid_time") {
            Some(d) => parse_date("valid_time", d)?,
            None => ctx.clock.now(),
        };
        let to = parse_date("expire_time", form.get("expire_time"))?;
        let customer = form.get("customer_id").trim();
        stored_value::issue(&ctx, &operator, customer, form.get("name"), face, (from, to)).await.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(c) => Ok(done(
            viewer.cookies,
            "/operator/stored-value-cards",
            viewer.lang.t_with(
                "funds-recorded",
                &[
                    ("card", c.id().into()),
                    ("amount", money(c.face_value()).into()),
                    ("customer", c.customer().to_string().into()),
                ],
            ),
        )),
        Err(e) => operator_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e))).await,
    }
}

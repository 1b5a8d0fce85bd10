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

fn status_name(s: CardStatus) -> &'static str {
    match s {
        CardStatus::Usable => "Usable",
        CardStatus::UsedUp => "Used up",
    }
}

fn card_cells(c: &StoredValueCard, with_customer: bool) -> Vec<Cell> {
    let mut cells = vec![Cell::from(c.id().to_owned()), Cell::from(c.name().to_owned())];
    if with_customer {
        cells.push(Cell::from(c.customer().as_str().to_owned()));
    }
    cells.extend([
        page::exact(c.balance()),
        page::exact(c.face_value()),
        Cell::from(when(c.valid_from())),
        Cell::from(when(c.valid_to())),
        Cell::from(status_name(c.status())),
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
    let table = Table {
        caption: "Your stored-value cards",
        columns: &["Card", "Name", "Balance (USD)", "Face value", "Valid from", "Valid to", "Status"],
        rows: list.iter().map(|c| (card_cells(c, false), None)).collect(),
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("my-stored-value-cards"));
    }
    let body = html! {
        h1 { "Stored-value cards" }
        p { "A stored-value card is money you paid in advance. Choose one when you pay an order on the Orders page: it pays what it can of the amount due (after your partner's discount), the rest is paid as usual. Payments for and with cards are not your partner's revenue." }
        (table.render(&viewer.here, paging))
    };
    Ok(render(&viewer, "Stored-value cards", body))
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
    let table = Table {
        caption: "Stored-value cards",
        columns: &["Card", "Name", "Customer", "Balance (USD)", "Face value", "Valid from", "Valid to", "Status"],
        rows: list.iter().map(|c| (card_cells(c, true), None)).collect(),
        total: Count::Exact(total),
    };
    if q.csv() {
        return Ok(table.csv("stored-value-cards"));
    }
    let token = viewer.csrf();
    let body = html! {
        h1 { "Stored-value cards" }
        p { "Record a stored-value card a customer bought: its balance starts at the face value and pays that customer's orders. Not for reseller customers, whose orders their partner's bill pays. Amounts are in whole cents; dates are UTC days, the end excluded." }
        form.card method="post" action="/operator/stored-value-cards" {
            h2 { "Record a card" }
            (csrf(&token))
            (form_error(failed, &["customer_id", "customer", "name", "face_value", "valid_time", "expire_time"]))
            (field(failed, "Customer ID", "customer_id", Input::Text, "", true))
            (field(failed, "Card name", "name", Input::Text, "", true))
            (field(failed, "Face value (USD)", "face_value", Input::Number, "", true))
            (field(failed, "Valid from (YYYY-MM-DD; empty: now)", "valid_time", Input::Text, "", false))
            (field(failed, "Valid until (YYYY-MM-DD, excluded)", "expire_time", Input::Text, "", true))
            button type="submit" { "Record the card" }
        }
        (table.render(&viewer.here, paging))
    };
    Ok(render_form(&viewer, "Stored-value cards", body, failed))
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
            format!(
                "Recorded stored-value card {} of {} for customer {}.",
                c.id(),
                money(c.face_value()),
                c.customer()
            ),
        )),
        Err(e) => operator_view(&ctx, viewer, &ListQuery::default(), Some(&form.failed(&e))).await,
    }
}

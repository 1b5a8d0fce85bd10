//! Partner programs for a signed-in account: the HCPN application, the programs with their
//! state, and one program's "View Cause" (every failing condition with its fix, R-PROG-05)
//! with the application form and the documents it signs (R-CERT-05 … R-CERT-09).

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::html;
use opc_core::ops::programs::{self, ProgramError};
use opc_core::Context;
use opc_domain::account::Account;
use opc_domain::hcpn::HcpnState;
use opc_domain::partner::{Enrollment, Program};
use opc_domain::program::{required_agreements, Agreement, ProgramApplicationState};

use super::customer::causes;
use super::i18n::Lang;
use super::operator::tier_text;
use super::page::{checkbox, csrf, field, form_error, when, Input};
use super::{denied, done, render_form, ConsoleUser, Failed, OrDeny, Posted, Viewer};
use crate::audience::account_of;
use crate::codes::{agreement_code, parse_program, program_code};
use crate::console::extract::PagePath;
use crate::error::ApiError;
use crate::hcpn::{form as hcpn_form, BusinessIn, ContactIn, HcpnIn, SensitiveIn};

pub fn routes() -> Router<Context> {
    Router::new()
        .route("/programs", get(list))
        .route("/programs/hcpn", post(apply_hcpn))
        .route("/programs/{program}", get(show))
        .route("/programs/{program}/apply", post(apply))
}

fn account(viewer: &Viewer) -> Result<&Account, Response> {
    account_of(&viewer.user).map_err(|e| denied(viewer, e))
}

/// The viewer's enrollments when it is a partner account: the programs it is in, however it
/// joined (an application, or the operator's enrollment). Issue 17: the Programs pages agree
/// with the overview.
fn enrollments(viewer: &Viewer) -> &[Enrollment] {
    match &viewer.user {
        ConsoleUser::Account { partner: Some(p), .. } => p.enrollments(),
        _ => &[],
    }
}

fn enrolled_text(lang: Lang, e: &Enrollment) -> String {
    lang.t_with(
        "programs-enrolled-since",
        &[("tier", tier_text(lang, e.tier).into()), ("since", when(e.enrolled_at).into())],
    )
}

/// A document's title in `lang` (in English, the seeds' title: `Agreement::title`).
fn agreement_title(lang: Lang, agreement: Agreement) -> String {
    lang.t(match agreement {
        Agreement::CspCooperation => "programs-agreement-csp",
        Agreement::AntiBriberyQuestionnaire => "programs-agreement-anti-bribery",
        Agreement::HuaweiIdAssociationStatement => "programs-agreement-huawei-id",
        Agreement::DistributionCooperation => "programs-agreement-distribution",
        Agreement::CarrierCooperation => "programs-agreement-carrier",
    })
}

async fn list(State(ctx): State<Context>, viewer: Viewer) -> Result<Response, Response> {
    list_view(&ctx, viewer, None).await
}

async fn list_view(ctx: &Context, viewer: Viewer, failed: Option<&Failed>) -> Result<Response, Response> {
    let account = account(&viewer)?;
    let hcpn = programs::hcpn_of(ctx, account.id()).await.or_deny(&viewer)?;
    let applications = programs::applications_of(ctx, account.id()).await.or_deny(&viewer)?;
    let token = viewer.csrf();
    let lang = viewer.lang;
    let t = |id: &str| lang.t(id);
    let hcpn_state = hcpn.as_ref().map(|h| match h.state() {
        HcpnState::Submitted => t("programs-hcpn-submitted"),
        HcpnState::ManualReview { .. } => t("programs-hcpn-manual-review"),
        HcpnState::Approved => t("programs-hcpn-approved"),
        HcpnState::Rejected { reason } => lang.t_with("programs-hcpn-rejected", &[("reason", reason.as_str().into())]),
    });
    let enrolled = enrollments(&viewer);
    // A partner the operator enrolled is in the network without an application of its own.
    let partner_already = !enrolled.is_empty() && hcpn.is_none();
    let may_apply_hcpn =
        !partner_already && hcpn.as_ref().is_none_or(|h| matches!(h.state(), HcpnState::Rejected { .. }));
    let body = html! {
        h1 { (t("programs-title")) }
        section.card {
            h2 { (t("programs-hcpn-title")) }
            @if partner_already {
                p { (t("programs-hcpn-enrolled")) }
            } @else {
                p { (t("programs-hcpn-first")) @match &hcpn_state { Some(s) => { (t("programs-hcpn-your-application")) strong { (s) } (t("programs-hcpn-your-application-end")) }, None => (t("programs-hcpn-not-applied")) } }
            }
            @if may_apply_hcpn {
                form method="post" action="/programs/hcpn" {
                    (csrf(&token))
                    (form_error(failed, &["business.company_name", "business.country", "contact.name", "contact.email"]))
                    (field(failed, &t("programs-hcpn-company"), "business.company_name", Input::Text, "", true))
                    (field(failed, &t("programs-hcpn-country"), "business.country", Input::Text, "", true))
                    (field(failed, &t("programs-hcpn-address"), "business.address", Input::Text, "", true))
                    (field(failed, &t("programs-hcpn-website"), "business.website", Input::Text, "", false))
                    (field(failed, &t("programs-hcpn-contact-name"), "contact.name", Input::Text, "", true))
                    (field(failed, &t("programs-hcpn-contact-email"), "contact.email", Input::Email, "", true))
                    (field(failed, &t("programs-hcpn-contact-phone"), "contact.phone", Input::Text, "", true))
                    (checkbox(failed, html! { (t("programs-hcpn-relationship")) }, "sensitive.has_relationship", false))
                    (field(failed, &t("programs-hcpn-relationship-description"), "sensitive.description", Input::Text, "", false))
                    (checkbox(failed, html! { (t("programs-hcpn-agreement")) }, "agreement_accepted", false))
                    button type="submit" { (t("programs-hcpn-apply")) }
                }
            }
        }
        div.table-wrap { table {
            caption { (t("programs-caption")) }
            thead { tr {
                th scope="col" { (t("programs-col-program")) } th scope="col" { (t("programs-col-state")) }
                th scope="col" { span.sr { (t("programs-col-actions")) } }
            } }
            tbody { @for program in Program::ALL {
                @let code = program_code(program);
                @let app = applications.iter().find(|a| a.program() == program);
                @let joined = enrolled.iter().find(|e| e.program == program);
                tr {
                    td { (lang.program(program)) }
                    td { @match (joined, app.map(|a| a.state())) {
                        (Some(e), _) => span.badge.ok { (enrolled_text(lang, e)) },
                        (None, Some(ProgramApplicationState::Approved)) => span.badge.ok { (t("programs-enrolled")) },
                        (None, Some(ProgramApplicationState::Submitted)) => span.badge.warn { (t("programs-under-review")) },
                        (None, Some(ProgramApplicationState::Rejected { reason })) => span.badge.frozen { (t("programs-rejected")) (reason.as_str()) },
                        (None, None) => (t("programs-not-applied")),
                    } }
                    td.actions {
                        a href=(format!("/programs/{code}")) { @if joined.is_some() { (t("programs-the-program")) } @else { (t("programs-conditions")) } }
                        @if joined.is_some() || matches!(app.map(|a| a.state()), Some(ProgramApplicationState::Approved)) {
                            " · " a href=(format!("/api/v1/programs/{code}/certificate.pdf")) download { (t("programs-certificate")) }
                        }
                    }
                }
            } }
        } }
    };
    Ok(render_form(&viewer, &t("programs-title"), body, failed))
}

async fn apply_hcpn(State(ctx): State<Context>, viewer: Viewer, form: Posted) -> Result<Response, Response> {
    let account = account(&viewer)?.clone();
    let input = HcpnIn {
        business: Some(BusinessIn {
            company_name: form.get("business.company_name").to_owned(),
            country: form.get("business.country").trim().to_owned(),
            address: form.get("business.address").to_owned(),
            website: form.opt("business.website").map(str::to_owned),
        }),
        contact: Some(ContactIn {
            name: form.get("contact.name").to_owned(),
            email: form.get("contact.email").to_owned(),
            phone: form.get("contact.phone").to_owned(),
        }),
        sensitive_relationships: Some(SensitiveIn {
            has_relationship: form.checked("sensitive.has_relationship"),
            description: form.opt("sensitive.description").map(str::to_owned),
        }),
        agreement_accepted: Some(form.checked("agreement_accepted")),
    };
    let outcome = async {
        let filing = hcpn_form(input)?;
        // The form is offered only with no application or a rejected one: resubmit that.
        let exists = programs::hcpn_of(&ctx, account.id()).await?.is_some();
        let app = if exists {
            programs::resubmit_hcpn(&ctx, &account, filing).await
        } else {
            programs::submit_hcpn(&ctx, &account, filing).await
        };
        app.map_err(ApiError::from)
    }
    .await;
    match outcome {
        Ok(app) if *app.state() == HcpnState::Approved => {
            Ok(done(viewer.cookies, "/programs", viewer.lang.t("programs-hcpn-welcome")))
        }
        Ok(_) => Ok(done(viewer.cookies, "/programs", viewer.lang.t("programs-hcpn-submitted-done"))),
        Err(e) => list_view(&ctx, viewer, Some(&form.failed(&e))).await,
    }
}

fn program_of(viewer: &Viewer, code: &str) -> Result<Program, Response> {
    parse_program(code).map_err(|e| denied(viewer, e))
}

async fn show(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(code): PagePath<String>,
) -> Result<Response, Response> {
    let program = program_of(&viewer, &code)?;
    let causes = programs::eligibility_of(&ctx, account(&viewer)?, program).await.or_deny(&viewer)?;
    program_view(&viewer, program, causes, None)
}

fn program_view(
    viewer: &Viewer,
    program: Program,
    failing: Vec<opc_domain::program::Cause>,
    failed: Option<&Failed>,
) -> Result<Response, Response> {
    let code = program_code(program);
    let token = viewer.csrf();
    let joined = enrollments(viewer).iter().find(|e| e.program == program);
    let lang = viewer.lang;
    let t = |id: &str| lang.t(id);
    let name = lang.program(program);
    let body = html! {
        p { a href="/programs" { (t("programs-back")) } }
        h1 { (name) }
        @if let Some(e) = joined {
            p.flash.done role="status" { (lang.t_with("programs-in-program", &[("enrollment", enrolled_text(lang, e).into())])) }
            p { a href=(format!("/api/v1/programs/{code}/certificate.pdf")) download { (t("programs-certificate")) } }
        } @else {
        @if failing.is_empty() {
            p.flash.done role="status" { (t("programs-eligible")) }
        } @else {
            (causes(
                lang,
                &lang.t_with("programs-view-cause", &[("count", failing.len().into())]),
                failing.iter().map(|c| (c.rule(), c.message(), c.fix())),
            ))
        }
        form.card method="post" action=(format!("/programs/{code}/apply")) {
            h2 { (t("programs-apply")) }
            (csrf(&token))
            (form_error(failed, &["business_area", "agreements"]))
            @if program == Program::CloudSolutionProvider {
                (field(failed, &t("programs-business-area"), "business_area", Input::Text, "", false))
            }
            @for agreement in required_agreements(program) {
                (checkbox(failed, html! { (lang.t_with("programs-accept-agreement", &[("agreement", agreement_title(lang, *agreement).into()), ("rule", agreement.rule().into())])) }, &format!("agreement.{}", agreement_code(*agreement)), false))
            }
            button type="submit" { (lang.t_with("programs-apply-to", &[("program", name.as_str().into())])) }
        }
        @if let Some(f) = failed { @if f.field.as_deref() == Some("agreements") { p.error { (f.message) } } }
        }
    };
    Ok(render_form(viewer, &name, body, failed))
}

async fn apply(
    State(ctx): State<Context>,
    viewer: Viewer,
    PagePath(code): PagePath<String>,
    form: Posted,
) -> Result<Response, Response> {
    let program = program_of(&viewer, &code)?;
    let account = account(&viewer)?.clone();
    let agreements: Vec<Agreement> = required_agreements(program)
        .iter()
        .copied()
        .filter(|a| form.checked(&format!("agreement.{}", agreement_code(*a))))
        .collect();
    match programs::apply(&ctx, &account, program, form.opt("business_area"), &agreements).await {
        Ok(_) => Ok(done(
            viewer.cookies,
            "/programs",
            viewer.lang.t_with("programs-applied", &[("program", viewer.lang.program(program).into())]),
        )),
        Err(ProgramError::Ineligible(failing)) => {
            let failed =
                form.failed(&ApiError::new(crate::error::ErrorCode::Ineligible, viewer.lang.t("programs-refused")));
            program_view(&viewer, program, failing, Some(&failed))
        }
        Err(e) => {
            let failing = programs::eligibility_of(&ctx, &account, program).await.or_deny(&viewer)?;
            program_view(&viewer, program, failing, Some(&form.failed(&e.into())))
        }
    }
}

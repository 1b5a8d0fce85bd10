//! Real-name authentication of customers (issue 16; BSS B1.10, B2.10; the account's real-name
//! status that R-PROG-15, R-PROG-38 and the association rules read).
//!
//! A partner applies for its customer: an individual with an identity document, an enterprise
//! with its certificate (and, if given, its legal representative), or a verified individual
//! changing to an enterprise. Each application names the attachments the partner uploaded for
//! that customer beforehand, in the documented order. Every application here goes to manual
//! review (`is_review` 1): the operator approves it, and the account becomes verified as an
//! individual or an enterprise, or rejects it with an opinion. One application at a time.

use crate::account::{AccountType, RealNameStatus};
use crate::ids::{AccountId, PartnerId};
use crate::time::{Millis, Timestamp};
use crate::usage::Cycle;

/// The identity documents an individual may use (`verified_type`), and how many attachments
/// each needs (the documented pages, in order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdDocument {
    /// 3: the data page, then the data page held in hand.
    Passport,
    /// 5: front, back, front held in hand.
    HongKongMacaoPermit,
    /// 6: front, back, front held in hand.
    TaiwanPermit,
    /// 9: portrait side, emblem side, portrait side held in hand.
    HongKongMacaoResidence,
    /// 10: portrait side, emblem side, portrait side held in hand.
    TaiwanResidence,
}

impl IdDocument {
    pub const ALL: [IdDocument; 5] = [
        IdDocument::Passport,
        IdDocument::HongKongMacaoPermit,
        IdDocument::TaiwanPermit,
        IdDocument::HongKongMacaoResidence,
        IdDocument::TaiwanResidence,
    ];

    pub fn code(self) -> i64 {
        match self {
            IdDocument::Passport => 3,
            IdDocument::HongKongMacaoPermit => 5,
            IdDocument::TaiwanPermit => 6,
            IdDocument::HongKongMacaoResidence => 9,
            IdDocument::TaiwanResidence => 10,
        }
    }

    pub fn from_code(code: i64) -> Option<IdDocument> {
        IdDocument::ALL.into_iter().find(|d| d.code() == code)
    }

    fn attachments(self) -> usize {
        match self {
            IdDocument::Passport => 2,
            _ => 3,
        }
    }
}

/// An enterprise's certificate (`certificate_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Certificate {
    BusinessLicense,
    PublicInstitution,
    SocialOrganization,
    LawEnforcement,
    OrganizationCode,
    Other,
}

impl Certificate {
    pub const ALL: [Certificate; 6] = [
        Certificate::BusinessLicense,
        Certificate::PublicInstitution,
        Certificate::SocialOrganization,
        Certificate::LawEnforcement,
        Certificate::OrganizationCode,
        Certificate::Other,
    ];

    pub fn code(self) -> i64 {
        match self {
            Certificate::BusinessLicense => 0,
            Certificate::PublicInstitution => 1,
            Certificate::SocialOrganization => 2,
            Certificate::LawEnforcement => 3,
            Certificate::OrganizationCode => 4,
            Certificate::Other => 99,
        }
    }

    pub fn from_code(code: i64) -> Option<Certificate> {
        Certificate::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// An enterprise's legal representative, when the application names one.
#[derive(Clone, PartialEq, Eq)]
pub struct LegalPerson {
    pub name: String,
    pub id_number: String,
}

impl std::fmt::Debug for LegalPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LegalPerson").field("name", &self.name).field("id_number", &"<redacted>").finish()
    }
}

/// Who the customer says it is.
#[derive(Clone, PartialEq, Eq)]
pub enum Identity {
    Individual {
        document: IdDocument,
        name: String,
        number: String,
    },
    Enterprise {
        certificate: Certificate,
        corp_name: String,
        number: String,
        reg_country: Option<String>,
        reg_address: Option<String>,
        legal_person: Option<LegalPerson>,
    },
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Identity::Individual { document, name, .. } => f
                .debug_struct("Individual")
                .field("document", document)
                .field("name", name)
                .field("number", &"<redacted>")
                .finish(),
            Identity::Enterprise { certificate, corp_name, legal_person, .. } => f
                .debug_struct("Enterprise")
                .field("certificate", certificate)
                .field("corp_name", corp_name)
                .field("number", &"<redacted>")
                .field("legal_person", legal_person)
                .finish(),
        }
    }
}

impl Identity {
    /// How many attachments the application must name: the document's pages for an
    /// individual; the certificate's front and back for an enterprise, and the legal
    /// representative's ID card's two sides when one is named.
    pub fn attachments(&self) -> usize {
        match self {
            Identity::Individual { document, .. } => document.attachments(),
            Identity::Enterprise { legal_person: None, .. } => 2,
            Identity::Enterprise { legal_person: Some(_), .. } => 4,
        }
    }

    /// What the account becomes once verified.
    pub fn account_type(&self) -> AccountType {
        match self {
            Identity::Individual { .. } => AccountType::Individual,
            Identity::Enterprise { .. } => AccountType::Enterprise,
        }
    }

    /// `individual` or `enterprise`.
    pub fn account_type_name(&self) -> &'static str {
        match self {
            Identity::Individual { .. } => "individual",
            Identity::Enterprise { .. } => "enterprise",
        }
    }

    /// The name the review shows: the person's, or the enterprise's.
    pub fn display_name(&self) -> &str {
        match self {
            Identity::Individual { name, .. } => name,
            Identity::Enterprise { corp_name, .. } => corp_name,
        }
    }
}

/// Where a review stands (B1.10.4 `review_result`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Review {
    /// 0: waiting for the operator.
    Pending,
    /// 2.
    Approved { at: Timestamp, by: String },
    /// 1, with the operator's opinion.
    Rejected { at: Timestamp, by: String, opinion: String },
}

impl Review {
    /// B1.10.4 `review_result`.
    pub fn code(&self) -> i64 {
        match self {
            Review::Pending => 0,
            Review::Rejected { .. } => 1,
            Review::Approved { .. } => 2,
        }
    }
}

/// One application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub id: String,
    pub customer: AccountId,
    /// The partner that applied for its customer.
    pub partner: PartnerId,
    pub identity: Identity,
    /// B1.10.1: a verified individual changing to an enterprise.
    pub change: bool,
    /// The attachments' names, in the documented order.
    pub files: Vec<String>,
    pub submitted_at: Timestamp,
    pub review: Review,
    pub version: i64,
}

/// The account as an application sees it: its real-name status and, when verified, as what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub status: RealNameStatus,
    pub verified_as: Option<AccountType>,
}

impl Standing {
    /// An account's standing from its real-name status and type: verified as its type (an
    /// account verified without one, as an individual).
    pub fn of(status: RealNameStatus, account_type: AccountType) -> Standing {
        let verified_as = match (status, account_type) {
            (RealNameStatus::Verified, AccountType::Unset) => Some(AccountType::Individual),
            (RealNameStatus::Verified, t) => Some(t),
            _ => None,
        };
        Standing { status, verified_as }
    }
}

/// Why an application or a review is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RealNameError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("an application for this customer is already under review")]
    UnderReview,
    #[error("the customer is already verified; only an individual may change to an enterprise")]
    AlreadyVerified,
    #[error("only a customer verified as an individual may change to an enterprise")]
    NotAnIndividual,
    #[error("the application was already reviewed")]
    AlreadyReviewed,
    /// RN-QR.
    #[error("real-name authentication by QR code is for a customer of a partner: the partner applies for it")]
    NoPartner,
    /// RN-QR: the scan link was used, or has expired.
    #[error("this QR code {0}: ask for a new one")]
    ScanNotUsable(&'static str),
}

fn invalid(field: &'static str, reason: impl Into<String>) -> RealNameError {
    RealNameError::Invalid { field, reason: reason.into() }
}

/// The longest a name, number or address may be.
const MAX_TEXT: usize = 200;
/// The longest an opinion may be.
pub const MAX_OPINION: usize = 500;

fn text(field: &'static str, value: &str) -> Result<String, RealNameError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, "is required"));
    }
    if v.chars().count() > MAX_TEXT || v.chars().any(char::is_control) {
        return Err(invalid(field, format!("at most {MAX_TEXT} characters, no control characters")));
    }
    Ok(v.to_owned())
}

/// B1.10.2: a unit's name may not be only digits, special characters and spaces.
fn corp_name(value: &str) -> Result<String, RealNameError> {
    let v = text("corp_name", value)?;
    if !v.chars().any(char::is_alphabetic) {
        return Err(invalid("corp_name", "may not be only digits, special characters and spaces"));
    }
    Ok(v)
}

impl Identity {
    /// The identity as given, checked: names and numbers present and plain, a country of two
    /// letters.
    pub fn checked(self) -> Result<Identity, RealNameError> {
        Ok(match self {
            Identity::Individual { document, name, number } => {
                Identity::Individual { document, name: text("name", &name)?, number: text("verified_number", &number)? }
            }
            Identity::Enterprise { certificate, corp_name: corp, number, reg_country, reg_address, legal_person } => {
                let reg_country = match reg_country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                    None => None,
                    Some(c) if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                        Some(c.to_ascii_uppercase())
                    }
                    Some(_) => return Err(invalid("reg_country", "a country's two-letter code, e.g. CN")),
                };
                let reg_address = reg_address
                    .as_deref()
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(|a| text("reg_address", a))
                    .transpose()?;
                let legal_person = legal_person
                    .map(|p| {
                        Ok::<_, RealNameError>(LegalPerson {
                            name: text("enterprise_person.legel_name", &p.name)?,
                            id_number: text("enterprise_person.legel_id_number", &p.id_number)?,
                        })
                    })
                    .transpose()?;
                Identity::Enterprise {
                    certificate,
                    corp_name: corp_name(&corp)?,
                    number: text("verified_number", &number)?,
                    reg_country,
                    reg_address,
                    legal_person,
                }
            }
        })
    }
}

/// What an application asks.
#[derive(Clone, Debug)]
pub struct Request {
    pub identity: Identity,
    pub change: bool,
    pub files: Vec<String>,
}

/// B1.10.1–B1.10.3: a partner's application for `customer`, standing as `standing`, with
/// `pending` its application still under review if any. Refused whole: another application under
/// review; a verified customer applying again (other than an individual changing to an
/// enterprise); a change for a customer not verified as an individual; the wrong number of
/// attachments, or one named twice. `files` must already name attachments uploaded for the
/// customer (the caller checks). The account is then under review (a change keeps it verified
/// as an individual until approved).
pub fn apply(
    id: String,
    customer: AccountId,
    partner: PartnerId,
    standing: Standing,
    pending: bool,
    request: Request,
    now: Timestamp,
) -> Result<(Application, RealNameStatus), RealNameError> {
    if pending {
        return Err(RealNameError::UnderReview);
    }
    let verified = standing.status == RealNameStatus::Verified;
    match (request.change, verified, standing.verified_as) {
        (true, true, Some(AccountType::Individual)) => {
            if !matches!(request.identity, Identity::Enterprise { .. }) {
                return Err(invalid("change_type", "a change goes from individual to enterprise"));
            }
        }
        (true, ..) => return Err(RealNameError::NotAnIndividual),
        (false, true, _) => return Err(RealNameError::AlreadyVerified),
        (false, false, _) => {}
    }
    let identity = request.identity.checked()?;
    let needed = identity.attachments();
    if request.files.len() != needed {
        return Err(invalid(
            "verified_file_url",
            format!("{needed} attachments are needed, in the documented order; {} were given", request.files.len()),
        ));
    }
    let mut seen = request.files.clone();
    seen.sort();
    seen.dedup();
    if seen.len() != request.files.len() {
        return Err(invalid("verified_file_url", "an attachment is named twice"));
    }
    let status = if request.change { RealNameStatus::Verified } else { RealNameStatus::UnderReview };
    let application = Application {
        id,
        customer,
        partner,
        identity,
        change: request.change,
        files: request.files,
        submitted_at: now,
        review: Review::Pending,
        version: 0,
    };
    Ok((application, status))
}

/// The operator's review: approved, the account is verified as the identity's type; rejected
/// (with an opinion), a first application leaves the account rejected and a change leaves it
/// verified as the individual it was. The account's new standing.
pub fn review(
    application: &mut Application,
    approve: bool,
    opinion: &str,
    by: &str,
    now: Timestamp,
) -> Result<Standing, RealNameError> {
    if application.review != Review::Pending {
        return Err(RealNameError::AlreadyReviewed);
    }
    let opinion = opinion.trim();
    if opinion.chars().count() > MAX_OPINION {
        return Err(invalid("opinion", format!("at most {MAX_OPINION} characters")));
    }
    if approve {
        application.review = Review::Approved { at: now, by: by.to_owned() };
        return Ok(Standing {
            status: RealNameStatus::Verified,
            verified_as: Some(application.identity.account_type()),
        });
    }
    if opinion.is_empty() {
        return Err(invalid("opinion", "a rejection says why"));
    }
    application.review = Review::Rejected { at: now, by: by.to_owned(), opinion: opinion.to_owned() };
    Ok(match application.change {
        true => Standing { status: RealNameStatus::Verified, verified_as: Some(AccountType::Individual) },
        false => Standing { status: RealNameStatus::Rejected, verified_as: None },
    })
}

/// RN-QR (B2.10.1): how long a scan link is valid — "not scanned within 10 minutes, it is void".
pub const SCAN_LIFETIME: Millis = Millis::minutes(10);

/// RN-QR (B2.10.1 `show_real_name_auth_qr_code`): a single-use address a customer gets to
/// authenticate itself. Face recognition is not available here, so the address opens this
/// product's own real-name page, where the person scanning it gives their identity document and
/// its photos, the one held in hand among them (what a face check would see); the application
/// goes to the operator's manual review like a partner's, for the customer's partner. As
/// stored, the token is its keyed hash.
#[derive(Clone, PartialEq, Eq)]
pub struct ScanLink {
    pub token_hash: String,
    pub customer: AccountId,
    /// The customer's partner when the link was issued: the application is made for it.
    pub partner: PartnerId,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl std::fmt::Debug for ScanLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanLink")
            .field("customer", &self.customer)
            .field("expires_at", &self.expires_at)
            .field("used_at", &self.used_at)
            .finish_non_exhaustive()
    }
}

impl ScanLink {
    /// RN-QR: a link for `customer`, standing as `standing` with `pending` its application under
    /// review if any, and `partner` its current partner. Refused for a customer without a
    /// partner, a verified one, or one under review (what [`apply`] would refuse).
    pub fn issue(
        token_hash: String,
        customer: AccountId,
        partner: Option<PartnerId>,
        standing: Standing,
        pending: bool,
        now: Timestamp,
    ) -> Result<ScanLink, RealNameError> {
        if pending {
            return Err(RealNameError::UnderReview);
        }
        if standing.status == RealNameStatus::Verified {
            return Err(RealNameError::AlreadyVerified);
        }
        let partner = partner.ok_or(RealNameError::NoPartner)?;
        Ok(ScanLink {
            token_hash,
            customer,
            partner,
            expires_at: now.plus(SCAN_LIFETIME),
            used_at: None,
            created_at: now,
        })
    }

    /// RN-QR: whether the link may still be used at `now`: once, within its 10 minutes.
    pub fn usable(&self, now: Timestamp) -> Result<(), RealNameError> {
        if self.used_at.is_some() {
            return Err(RealNameError::ScanNotUsable("was already used"));
        }
        if now >= self.expires_at {
            return Err(RealNameError::ScanNotUsable("has expired"));
        }
        Ok(())
    }
}

/// RN-QR: a scan link's token as stored, keyed with `key`.
pub fn scan_token_hash(key: &[u8], token: &str) -> String {
    crate::customer::code_hash(key, "realname-scan", token)
}

/// An attachment is a .jpg, .jpeg, .bmp, .png, .gif or .pdf file of at most 10 MB (B1.10),
/// whose content is what its name says.
pub const ATTACHMENT_BYTES_MAX: usize = 10 * 1024 * 1024;

/// The longest an attachment's name may be.
const MAX_FILE_NAME: usize = 128;

/// B1.10: whether `name` and `content` make an acceptable attachment; its content type.
pub fn check_attachment(name: &str, content: &[u8]) -> Result<&'static str, RealNameError> {
    let bad_name = || invalid("file_name", "1 to 128 letters, digits, '.', '-' or '_', with an extension");
    if name.is_empty()
        || name.len() > MAX_FILE_NAME
        || name.starts_with('.')
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(bad_name());
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).ok_or_else(bad_name)?;
    let (content_type, magic): (&str, &[&[u8]]) = match extension.as_str() {
        "jpg" | "jpeg" => ("image/jpeg", &[b"\xFF\xD8\xFF"]),
        "png" => ("image/png", &[b"\x89PNG"]),
        "gif" => ("image/gif", &[b"GIF87a", b"GIF89a"]),
        "bmp" => ("image/bmp", &[b"BM"]),
        "pdf" => ("application/pdf", &[b"%PDF-"]),
        _ => return Err(invalid("file_name", "the file must be .jpg, .jpeg, .bmp, .png, .gif or .pdf")),
    };
    if content.is_empty() {
        return Err(invalid("file", "the file is empty"));
    }
    if content.len() > ATTACHMENT_BYTES_MAX {
        return Err(invalid("file", "the file is larger than 10 MB"));
    }
    if !magic.iter().any(|m| content.starts_with(m)) {
        return Err(invalid("file", format!("the content is not a {} file", extension.to_ascii_uppercase())));
    }
    Ok(content_type)
}

/// How long a verified customer's SMB "new customer" window lasts, in months (reading in
/// docs/realname.md: the seeds do not say).
pub const NEW_CUSTOMER_MONTHS: u32 = 12;

/// B2.1.1 `new_customer_tag`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewCustomerTag {
    /// `Y`: a qualified new customer (it has spent within its window).
    Qualified,
    /// `N`: no longer a new customer (its window has ended).
    NotNew,
    /// `UNDETERMINED`: eligible, but it has not spent yet.
    Undetermined,
}

impl NewCustomerTag {
    pub fn code(self) -> &'static str {
        match self {
            NewCustomerTag::Qualified => "Y",
            NewCustomerTag::NotNew => "N",
            NewCustomerTag::Undetermined => "UNDETERMINED",
        }
    }
}

/// A customer's SMB tag: what it is, and the months `[effective, expire)` of its window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewCustomerWindow {
    pub tag: NewCustomerTag,
    pub effective: Cycle,
    pub expire: Cycle,
}

/// B2.1.1 (reading in docs/realname.md): a customer not verified has no tag. A verified one is
/// a new customer for [`NEW_CUSTOMER_MONTHS`] months from the month it was verified: `Y` once it
/// has spent in that window, `UNDETERMINED` until then, `N` from the month the window ends.
pub fn new_customer_tag(verified_in: Option<Cycle>, spent_in_window: bool, now: Cycle) -> Option<NewCustomerWindow> {
    let effective = verified_in?;
    let mut expire = effective;
    for _ in 0..NEW_CUSTOMER_MONTHS {
        expire = expire.next()?;
    }
    let tag = if now >= expire {
        NewCustomerTag::NotNew
    } else if spent_in_window {
        NewCustomerTag::Qualified
    } else {
        NewCustomerTag::Undetermined
    };
    Some(NewCustomerWindow { tag, effective, expire })
}

#[cfg(test)]
mod tests;

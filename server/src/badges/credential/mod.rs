//! A pupil's badge exported as a signed credential the pupil can take anywhere, and the check
//! of such a file.
//!
//! The export follows Open Badges 3.0 (1EdTech, context 3.0.3, on the W3C Verifiable
//! Credentials Data Model 2.0): an `OpenBadgeCredential` whose subject is the pupil's random
//! id, never a name or an email. It is secured with the spec's JSON Web Token proof format
//! ("VC-JWT", section "Proofs (Signatures)"): the JWT payload is the credential itself plus
//! the registered claims `iss`, `jti`, `nbf` and `sub` (`exp` only for a credential that
//! expires, and ours do not); our JOSE header holds `alg`, `kid` and `typ`. The spec
//! names RS256 as the algorithm every verifier must support and permits others; we sign with
//! Ed25519 (`EdDSA`) because its 32-byte public key fits in a `did:key`.
//!
//! The issuer is that `did:key`, and `kid` names it, so a file is checked with nothing but
//! the file: a school's server has no public web address a verifier could fetch a key from,
//! and a pupil's badge should still check years after that server is gone.
//!
//! A file holds the credential twice: readable, for people and for tools that show badges,
//! and inside the signed JWT. Only the signed copy is proof, so [`verify`] insists the two
//! are equal; otherwise an edited readable copy would mislead whoever reads it while the
//! signature still checked.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use data_encoding::BASE64URL_NOPAD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair as _, UnparsedPublicKey};
use serde_json::{Value, json};

use CredentialError::{Malformed, MissingField};

use crate::files::write_whole;

/// The badge-signing key's file in the data folder.
pub const KEY_FILE: &str = "badge-signing-key.p8";

const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// Every published OB 3.0 context starts so; a verifier accepts any of them.
const OB_CONTEXT_PREFIX: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context";
const ACHIEVEMENT_ID_PREFIX: &str = "urn:workworlds:badge:";
const DID_KEY_METHOD: &str = "did:key:";
/// The multicodec varint for an Ed25519 public key, put before the key bytes in a did:key.
const ED25519_PUB_MULTICODEC: [u8; 2] = [0xed, 0x01];
const ED25519_PUBLIC_KEY_BYTES: usize = 32;
/// Longer than any Ed25519 did:key (56 characters), and short enough that the base58 decoder,
/// whose work grows with the square of its input, stays cheap on a hostile file.
const MAX_DID_CHARS: usize = 64;
const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Files are checked on machines other than the server that signed them, whose clocks differ.
const CLOCK_SKEW_SECS: i64 = 5 * 60;
const REGISTERED_CLAIMS: [&str; 5] = ["iss", "jti", "nbf", "sub", "exp"];
#[cfg(unix)]
const KEY_FILE_MODE: u32 = 0o600;

/// The server's badge-signing key, kept in the data folder.
pub struct IssuerKey {
    pair: Ed25519KeyPair,
    did: String,
    /// The JOSE `kid`: the did and, as its fragment, the key's multibase form.
    kid: String,
}

// By hand so that the private half can never be printed.
impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuerKey")
            .field("did", &self.did)
            .finish_non_exhaustive()
    }
}

impl IssuerKey {
    /// Loads `badge-signing-key.p8` (PKCS#8 v2 DER as ring makes it) from `data_dir`, or makes
    /// it on first use. A file that is there but is not a key is an error naming it: replacing
    /// it would silently disown every badge already exported.
    pub fn load_or_create(data_dir: &Path) -> Result<IssuerKey, CredentialError> {
        let path = data_dir.join(KEY_FILE);
        let pkcs8 = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => create_key_file(&path)?,
            Err(source) => return Err(CredentialError::Io { path, source }),
        };
        let pair =
            Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| CredentialError::BadKeyFile { path })?;
        let did = did_key(pair.public_key().as_ref());
        let kid = format!("{did}#{}", &did[DID_KEY_METHOD.len()..]);
        Ok(IssuerKey { pair, did, kid })
    }

    /// The issuer's id: "did:key:z6Mk...".
    pub fn did(&self) -> &str {
        &self.did
    }
}

/// What one credential says. Strings are already in the language chosen for the export.
#[derive(Clone, Debug, PartialEq)]
pub struct BadgeClaim {
    /// "urn:uuid:...", made by the caller.
    pub credential_id: String,
    pub issuer_name: String,
    /// The content id; the achievement's id is `urn:workworlds:badge:<badge_id>`.
    pub badge_id: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
    /// Written as the achievement's one `tag`: OB 3.0 has no place for an emoji image.
    pub image_emoji: String,
    pub alignments: Vec<Alignment>,
    /// "urn:uuid:...": the pupil, who is otherwise not named.
    pub subject_id: String,
    /// Becomes `validFrom` and `nbf`, to the second.
    pub awarded_unix_ms: u64,
    pub evidence: Vec<EvidenceItem>,
    /// "en" or "cy", written as the achievement's `inLanguage`.
    pub language: String,
}

/// One CWRE objective the badge is aligned to.
#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    /// "O2".
    pub code: String,
    pub name: String,
    pub description: String,
    pub url: String,
}

/// What the pupil did to earn the badge.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceItem {
    pub name: String,
    pub narrative: String,
}

/// What a verified file says.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    /// The issuer's did:key.
    pub issuer: String,
    pub issuer_name: String,
    pub badge_name: String,
    pub subject_id: String,
    pub valid_from: String,
    pub credential_id: String,
}

/// Why the key could not be had, a credential made, or a file believed.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("cannot use {}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is not a badge-signing key; move it aside to make a new one", path.display())]
    BadKeyFile { path: PathBuf },
    #[error("cannot make a badge-signing key")]
    KeyGeneration,
    #[error("award time out of range")]
    BadDate,
    #[error("file over {MAX_FILE_BYTES} bytes")]
    TooLarge,
    #[error("not json")]
    NotJson,
    #[error("malformed {0}")]
    Malformed(&'static str),
    #[error("missing field {0}")]
    MissingField(String),
    #[error("unsupported signing algorithm {0:?}")]
    UnsupportedAlgorithm(String),
    #[error("issuer is not an ed25519 did:key")]
    BadDid,
    #[error("bad signature")]
    BadSignature,
    #[error("key id, jwt issuer and credential issuer disagree")]
    IssuerMismatch,
    #[error("jwt claim {0} does not match the credential")]
    ClaimMismatch(&'static str),
    #[error("readable credential differs from the signed one")]
    ReadableCopyDiffers,
    #[error("not valid before {0}")]
    NotYetValid(String),
    #[error("expired")]
    Expired,
    #[error("issued by {found}, not by this server ({expected})")]
    UntrustedIssuer { found: String, expected: String },
}

/// Builds the credential, signs it, and returns the file's JSON:
/// `{ "credential": <OpenBadgeCredential, for people to read>, "jwt": "<compact JWS>" }`.
pub fn issue(key: &IssuerKey, claim: &BadgeClaim) -> Result<Value, CredentialError> {
    let awarded_secs =
        i64::try_from(claim.awarded_unix_ms / 1000).map_err(|_| CredentialError::BadDate)?;
    let valid_from = rfc3339_utc(awarded_secs).ok_or(CredentialError::BadDate)?;
    let credential = credential_json(key.did(), claim, &valid_from);

    let mut payload = credential.clone();
    let claims = payload
        .as_object_mut()
        .expect("invariant: the credential is a JSON object");
    claims.insert("iss".into(), json!(key.did()));
    claims.insert("jti".into(), json!(claim.credential_id));
    claims.insert("nbf".into(), json!(awarded_secs));
    claims.insert("sub".into(), json!(claim.subject_id));
    let header = json!({ "alg": "EdDSA", "kid": key.kid, "typ": "JWT" });

    let signed_part = format!(
        "{}.{}",
        BASE64URL_NOPAD.encode(header.to_string().as_bytes()),
        BASE64URL_NOPAD.encode(payload.to_string().as_bytes())
    );
    let signature = key.pair.sign(signed_part.as_bytes());
    let jwt = format!(
        "{signed_part}.{}",
        BASE64URL_NOPAD.encode(signature.as_ref())
    );
    Ok(json!({ "credential": credential, "jwt": jwt }))
}

fn credential_json(did: &str, claim: &BadgeClaim, valid_from: &str) -> Value {
    let mut achievement = json!({
        "id": format!("{ACHIEVEMENT_ID_PREFIX}{}", claim.badge_id),
        "type": ["Achievement"],
        "name": claim.name,
        "description": claim.description,
        "criteria": { "narrative": claim.criteria },
        "inLanguage": claim.language,
    });
    if !claim.image_emoji.is_empty() {
        achievement["tag"] = json!([claim.image_emoji]);
    }
    if !claim.alignments.is_empty() {
        let framework = framework_name(&claim.language);
        let alignments: Vec<Value> = claim
            .alignments
            .iter()
            .map(|alignment| {
                json!({
                    "type": ["Alignment"],
                    "targetName": alignment.name,
                    "targetUrl": alignment.url,
                    "targetDescription": alignment.description,
                    "targetCode": alignment.code,
                    "targetFramework": framework,
                })
            })
            .collect();
        achievement["alignment"] = json!(alignments);
    }
    let mut credential = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": claim.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": { "id": did, "type": ["Profile"], "name": claim.issuer_name },
        "validFrom": valid_from,
        "name": claim.name,
        "credentialSubject": {
            "id": claim.subject_id,
            "type": ["AchievementSubject"],
            "achievement": achievement,
        },
    });
    if !claim.evidence.is_empty() {
        let evidence: Vec<Value> = claim.evidence.iter()
            .map(|item| {
                json!({ "type": ["Evidence"], "name": item.name, "narrative": item.narrative })
            })
            .collect();
        credential["evidence"] = json!(evidence);
    }
    credential
}

/// The framework the alignment codes O1–O6 come from, named in the export's language.
fn framework_name(language: &str) -> &'static str {
    match language {
        "cy" => "Cwricwlwm i Gymru: profiadau sy'n gysylltiedig â gyrfaoedd a'r byd gwaith",
        _ => "Curriculum for Wales: careers and work-related experiences",
    }
}

/// Checks a file written by [`issue`]. `trusted`, when given, is the did the issuer must be
/// (the local server's).
pub fn verify(file: &[u8], trusted: Option<&str>) -> Result<Verified, CredentialError> {
    if file.len() > MAX_FILE_BYTES {
        return Err(CredentialError::TooLarge);
    }
    let file: Value = serde_json::from_slice(file).map_err(|_| CredentialError::NotJson)?;
    let jwt = text_at(&file, &["jwt"])?;
    let readable = file
        .get("credential")
        .ok_or_else(|| MissingField("credential".into()))?;
    let (signed_part, signature) = jwt.rsplit_once('.').ok_or(Malformed("jwt"))?;
    let (header_part, payload_part) = signed_part.split_once('.').ok_or(Malformed("jwt"))?;
    if payload_part.contains('.') {
        return Err(Malformed("jwt"));
    }

    // The key comes from the header's kid, as the spec's verifier steps say; only once the
    // signature holds is anything in the payload believed.
    let header = decode_part(header_part, "jwt header")?;
    let signer = check_header(&header)?;
    let public_key = public_key_of(signer)?;
    let signature = BASE64URL_NOPAD
        .decode(signature.as_bytes())
        .map_err(|_| Malformed("jwt signature"))?;
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(signed_part.as_bytes(), &signature)
        .map_err(|_| CredentialError::BadSignature)?;

    let payload = decode_part(payload_part, "jwt payload")?;
    let mut credential = payload.as_object().ok_or(Malformed("jwt payload"))?.clone();
    for claim in REGISTERED_CLAIMS {
        credential.remove(claim);
    }
    let credential = Value::Object(credential);
    if *readable != credential {
        return Err(CredentialError::ReadableCopyDiffers);
    }
    check_structure(&credential)?;

    let iss = text_at(&payload, &["iss"])?;
    if iss != signer || text_at(&credential, &["issuer", "id"])? != iss {
        return Err(CredentialError::IssuerMismatch);
    }
    let jti = text_at(&payload, &["jti"])?;
    if text_at(&credential, &["id"])? != jti {
        return Err(CredentialError::ClaimMismatch("jti"));
    }
    let sub = text_at(&payload, &["sub"])?;
    if text_at(&credential, &["credentialSubject", "id"])? != sub {
        return Err(CredentialError::ClaimMismatch("sub"));
    }
    check_dates(&payload, &credential)?;
    if let Some(expected) = trusted
        && iss != expected
    {
        return Err(CredentialError::UntrustedIssuer {
            found: iss.to_owned(),
            expected: expected.to_owned(),
        });
    }
    Ok(Verified {
        issuer: iss.to_owned(),
        issuer_name: text_at(&credential, &["issuer", "name"])?.to_owned(),
        badge_name: text_at(&credential, &["credentialSubject", "achievement", "name"])?.to_owned(),
        subject_id: sub.to_owned(),
        valid_from: text_at(&credential, &["validFrom"])?.to_owned(),
        credential_id: jti.to_owned(),
    })
}

/// The JOSE header's signer: the did its `kid` names. The spec allows no headers beyond
/// `alg`, `kid`, `jwk` and `typ`, and we never write `jwk`.
fn check_header(header: &Value) -> Result<&str, CredentialError> {
    let fields = header.as_object().ok_or(Malformed("jwt header"))?;
    if fields
        .keys()
        .any(|name| !["alg", "kid", "typ"].contains(&name.as_str()))
    {
        return Err(Malformed("jwt header"));
    }
    let alg = text_at(header, &["alg"])?;
    if alg != "EdDSA" {
        return Err(CredentialError::UnsupportedAlgorithm(
            alg.chars().take(16).collect(),
        ));
    }
    if fields.get("typ").is_some_and(|typ| typ != "JWT") {
        return Err(Malformed("jwt header typ"));
    }
    let (did, fragment) = text_at(header, &["kid"])?
        .split_once('#')
        .ok_or(Malformed("kid"))?;
    if did.strip_prefix(DID_KEY_METHOD) != Some(fragment) {
        return Err(Malformed("kid"));
    }
    Ok(did)
}

/// The fields and types OB 3.0 requires of what we issue.
fn check_structure(credential: &Value) -> Result<(), CredentialError> {
    let contexts = at(credential, &["@context"]).and_then(Value::as_array);
    let first = contexts.and_then(|contexts| contexts.first());
    let ob = contexts
        .and_then(|contexts| contexts.get(1))
        .and_then(Value::as_str);
    if first.is_none_or(|first| first != VC_CONTEXT)
        || !ob.is_some_and(|ob| ob.starts_with(OB_CONTEXT_PREFIX) && ob.ends_with(".json"))
    {
        return Err(Malformed("@context"));
    }
    let whole = Some(credential);
    if !has_type(whole, "VerifiableCredential")
        || !(has_type(whole, "OpenBadgeCredential") || has_type(whole, "AchievementCredential"))
    {
        return Err(Malformed("type"));
    }
    let achievement = at(credential, &["credentialSubject", "achievement"]);
    for (object, wanted, what) in [
        (at(credential, &["issuer"]), "Profile", "issuer.type"),
        (
            at(credential, &["credentialSubject"]),
            "AchievementSubject",
            "credentialSubject.type",
        ),
        (achievement, "Achievement", "achievement.type"),
    ] {
        if !has_type(object, wanted) {
            return Err(Malformed(what));
        }
    }
    for path in [
        ["credentialSubject", "achievement", "id"].as_slice(),
        &["credentialSubject", "achievement", "name"],
        &["credentialSubject", "achievement", "description"],
        &["credentialSubject", "achievement", "criteria", "narrative"],
    ] {
        text_at(credential, path)?;
    }
    let lists: [(_, _, _, &[&str]); 2] = [
        (at(credential, &["evidence"]), "Evidence", "evidence", &[]),
        (
            achievement.and_then(|achievement| achievement.get("alignment")),
            "Alignment",
            "alignment",
            &["targetName", "targetUrl"],
        ),
    ];
    for (list, wanted, what, fields) in lists {
        let items = match list {
            None => &[][..],
            Some(Value::Array(items)) => items.as_slice(),
            Some(_) => return Err(Malformed(what)),
        };
        let complete = |item: &Value| {
            has_type(Some(item), wanted)
                && fields
                    .iter()
                    .all(|field| item.get(*field).is_some_and(Value::is_string))
        };
        if !items.iter().all(complete) {
            return Err(Malformed(what));
        }
    }
    Ok(())
}

/// `nbf` must be `validFrom` and have come.
fn check_dates(payload: &Value, credential: &Value) -> Result<(), CredentialError> {
    // We issue no badge that expires, so a file with an expiry is not one of ours.
    if payload.get("exp").is_some() || credential.get("validUntil").is_some() {
        return Err(Malformed("exp"));
    }
    let nbf = payload
        .get("nbf")
        .and_then(Value::as_i64)
        .ok_or(Malformed("nbf"))?;
    let valid_from = text_at(credential, &["validFrom"])?;
    if rfc3339_utc(nbf).as_deref() != Some(valid_from) {
        return Err(CredentialError::ClaimMismatch("nbf"));
    }
    let now_secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        });
    if nbf > now_secs.saturating_add(CLOCK_SKEW_SECS) {
        return Err(CredentialError::NotYetValid(valid_from.to_owned()));
    }
    Ok(())
}

/// Whether an object's `type`, which OB 3.0 lets be one string or a set, includes `wanted`.
fn has_type(object: Option<&Value>, wanted: &str) -> bool {
    match object.and_then(|object| object.get("type")) {
        Some(Value::String(one)) => one == wanted,
        Some(Value::Array(many)) => many.iter().any(|one| one == wanted),
        _ => false,
    }
}

fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |at, field| at.get(*field))
}

/// The string at a path of object fields, or which field is missing.
fn text_at<'a>(value: &'a Value, path: &[&str]) -> Result<&'a str, CredentialError> {
    at(value, path)
        .and_then(Value::as_str)
        .ok_or_else(|| MissingField(path.join(".")))
}

fn decode_part(part: &str, what: &'static str) -> Result<Value, CredentialError> {
    let bytes = BASE64URL_NOPAD
        .decode(part.as_bytes())
        .map_err(|_| Malformed(what))?;
    serde_json::from_slice(&bytes).map_err(|_| Malformed(what))
}

/// "did:key:z" and the base58btc of the multicodec-prefixed key.
fn did_key(public_key: &[u8]) -> String {
    let mut prefixed = ED25519_PUB_MULTICODEC.to_vec();
    prefixed.extend_from_slice(public_key);
    format!("{DID_KEY_METHOD}z{}", bs58::encode(prefixed).into_string())
}

fn public_key_of(did: &str) -> Result<[u8; ED25519_PUBLIC_KEY_BYTES], CredentialError> {
    if did.len() > MAX_DID_CHARS {
        return Err(CredentialError::BadDid);
    }
    let base58 = did
        .strip_prefix(DID_KEY_METHOD)
        .and_then(|multibase| multibase.strip_prefix('z'))
        .ok_or(CredentialError::BadDid)?;
    let bytes = bs58::decode(base58)
        .into_vec()
        .map_err(|_| CredentialError::BadDid)?;
    let key = bytes
        .strip_prefix(&ED25519_PUB_MULTICODEC[..])
        .ok_or(CredentialError::BadDid)?;
    key.try_into().map_err(|_| CredentialError::BadDid)
}

/// A Unix time as RFC 3339 UTC to the second, the form `validFrom` takes; `None` outside
/// years 0–9999. By hand because the `time` crate here is built without formatting.
fn rfc3339_utc(unix_secs: i64) -> Option<String> {
    let at = time::OffsetDateTime::from_unix_timestamp(unix_secs).ok()?;
    (0..=9999).contains(&at.year()).then(|| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second()
        )
    })
}

fn create_key_file(path: &Path) -> Result<Vec<u8>, CredentialError> {
    let document = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
        .map_err(|_| CredentialError::KeyGeneration)?;
    write_whole(path, document.as_ref(), KEY_FILE_MODE).map_err(|source| CredentialError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(document.as_ref().to_vec())
}

#[cfg(test)]
mod tests;

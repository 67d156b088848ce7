use super::*;

fn claim() -> BadgeClaim {
    BadgeClaim {
        credential_id: "urn:uuid:0b6f5c1e-8d0a-4c43-9d57-3b7f4d2a9e10".into(),
        issuer_name: "Work Worlds (Ysgol Aber)".into(),
        badge_id: "careers-explorer".into(),
        name: "Careers Explorer".into(),
        description: "Found jobs that might suit them.".into(),
        criteria: "Finish three quests in two sector worlds.".into(),
        image_emoji: "🧭".into(),
        alignments: vec![Alignment {
            code: "O2".into(),
            name: "Understand careers".into(),
            description: "Keep developing their understanding of careers and work.".into(),
            url: "https://hwb.gov.wales/curriculum-for-wales/".into(),
        }],
        subject_id: "urn:uuid:6a1d2f7c-4b1e-4f0a-8a77-0d9c3e5b1f22".into(),
        awarded_unix_ms: 1_718_000_000_123,
        evidence: vec![EvidenceItem {
            name: "Quests".into(),
            narrative: "Helped a nurse and a wind-turbine engineer.".into(),
        }],
        language: "en".into(),
    }
}

fn file_bytes(file: &Value) -> Vec<u8> {
    serde_json::to_vec(file).unwrap()
}

fn jwt_parts(file: &Value) -> Vec<String> {
    file["jwt"]
        .as_str()
        .unwrap()
        .split('.')
        .map(str::to_owned)
        .collect()
}

fn with_jwt(file: &Value, parts: &[String]) -> Vec<u8> {
    let mut file = file.clone();
    file["jwt"] = json!(parts.join("."));
    file_bytes(&file)
}

fn issued() -> (tempfile::TempDir, IssuerKey, Value) {
    let dir = tempfile::tempdir().unwrap();
    let key = IssuerKey::load_or_create(dir.path()).unwrap();
    let file = issue(&key, &claim()).unwrap();
    (dir, key, file)
}

#[test]
fn a_credential_issued_and_read_back_verifies_with_the_claims_values() {
    let (_dir, key, file) = issued();
    let verified = verify(&file_bytes(&file), Some(key.did())).unwrap();
    assert_eq!(
        verified,
        Verified {
            issuer: key.did().to_owned(),
            issuer_name: "Work Worlds (Ysgol Aber)".into(),
            badge_name: "Careers Explorer".into(),
            subject_id: claim().subject_id,
            valid_from: "2024-06-10T06:13:20Z".into(),
            credential_id: claim().credential_id,
        }
    );
}

#[test]
fn the_file_has_the_open_badges_types_and_contexts_and_no_email() {
    let (_dir, key, file) = issued();
    let credential = &file["credential"];
    assert_eq!(credential["@context"], json!([VC_CONTEXT, OB_CONTEXT]));
    assert_eq!(
        credential["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(credential["issuer"]["type"], json!(["Profile"]));
    let achievement = &credential["credentialSubject"]["achievement"];
    assert_eq!(
        credential["credentialSubject"]["type"],
        json!(["AchievementSubject"])
    );
    assert_eq!(achievement["id"], "urn:workworlds:badge:careers-explorer");
    assert_eq!(achievement["tag"], json!(["🧭"]));
    assert_eq!(achievement["alignment"][0]["type"], json!(["Alignment"]));
    assert_eq!(achievement["alignment"][0]["targetCode"], "O2");
    assert_eq!(credential["evidence"][0]["type"], json!(["Evidence"]));
    assert!(!file.to_string().to_lowercase().contains("email"));

    let parts = jwt_parts(&file);
    let header = decode_part(&parts[0], "header").unwrap();
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["kid"], format!("{}#{}", key.did(), &key.did()[8..]));
    let payload = decode_part(&parts[1], "payload").unwrap();
    assert_eq!(payload["nbf"], 1_718_000_000);
    assert_eq!(payload["iss"], key.did());
    assert!(payload.get("exp").is_none());
}

#[test]
fn the_key_file_is_made_once_and_loaded_the_same_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let first = IssuerKey::load_or_create(dir.path()).unwrap();
    let second = IssuerKey::load_or_create(dir.path()).unwrap();
    assert!(first.did().starts_with("did:key:z6Mk"));
    assert_eq!(first.did(), second.did());
    assert!(!dir.path().join(format!("{KEY_FILE}.partial")).exists());
    crate::files::assert_owner_only(&dir.path().join(KEY_FILE));
}

#[test]
fn a_corrupt_key_file_is_an_error_and_is_left_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(KEY_FILE);
    fs::write(&path, b"not a key").unwrap();
    match IssuerKey::load_or_create(dir.path()) {
        Err(CredentialError::BadKeyFile { path: named }) => assert_eq!(named, path),
        other => panic!("expected BadKeyFile, got {other:?}"),
    }
    assert_eq!(fs::read(&path).unwrap(), b"not a key");
}

#[test]
fn changing_one_character_of_the_signed_payload_fails() {
    let (_dir, _key, file) = issued();
    let mut parts = jwt_parts(&file);
    let middle = parts[1].len() / 2;
    let swapped = if &parts[1][middle..=middle] == "A" {
        "B"
    } else {
        "A"
    };
    parts[1].replace_range(middle..=middle, swapped);
    let error = verify(&with_jwt(&file, &parts), None).unwrap_err();
    assert!(matches!(error, CredentialError::BadSignature), "{error:?}");
}

#[test]
fn changing_the_readable_credentials_name_fails() {
    let (_dir, _key, mut file) = issued();
    file["credential"]["credentialSubject"]["achievement"]["name"] = json!("Head Teacher");
    let error = verify(&file_bytes(&file), None).unwrap_err();
    assert!(
        matches!(error, CredentialError::ReadableCopyDiffers),
        "{error:?}"
    );
}

#[test]
fn a_header_saying_alg_none_fails() {
    let (_dir, key, file) = issued();
    let mut parts = jwt_parts(&file);
    let header = json!({ "alg": "none", "kid": key.kid, "typ": "JWT" });
    parts[0] = BASE64URL_NOPAD.encode(header.to_string().as_bytes());
    parts[2] = String::new();
    let error = verify(&with_jwt(&file, &parts), None).unwrap_err();
    assert!(matches!(error, CredentialError::UnsupportedAlgorithm(ref alg) if alg == "none"));
}

#[test]
fn a_signature_from_another_key_fails() {
    let (_dir, _key, file) = issued();
    let (_other_dir, _other_key, other_file) = issued();
    let mut parts = jwt_parts(&file);
    parts[2] = jwt_parts(&other_file)[2].clone();
    let error = verify(&with_jwt(&file, &parts), None).unwrap_err();
    assert!(matches!(error, CredentialError::BadSignature), "{error:?}");
}

#[test]
fn a_credential_from_another_server_is_untrusted() {
    let (_dir, key, file) = issued();
    let (_other_dir, other_key, _) = issued();
    match verify(&file_bytes(&file), Some(other_key.did())) {
        Err(CredentialError::UntrustedIssuer { found, expected }) => {
            assert_eq!(
                (found.as_str(), expected.as_str()),
                (key.did(), other_key.did())
            );
        }
        other => panic!("expected UntrustedIssuer, got {other:?}"),
    }
}

#[test]
fn a_truncated_oversized_or_non_json_file_is_an_error() {
    let (_dir, _key, file) = issued();
    let bytes = file_bytes(&file);
    let cases: [(&[u8], &str); 4] = [
        (&bytes[..bytes.len() / 2], "not json"),
        (b"a badge, honest", "not json"),
        (br#"{"credential": {}, "jwt": "only.two"}"#, "malformed jwt"),
        (br#"{"credential": {}}"#, "missing field jwt"),
    ];
    for (input, message) in cases {
        assert_eq!(verify(input, None).unwrap_err().to_string(), message);
    }
    let huge = vec![b' '; MAX_FILE_BYTES + 1];
    assert!(matches!(
        verify(&huge, None),
        Err(CredentialError::TooLarge)
    ));
}

/// The did:key method's own test vector (w3c-ccg/did-method-key,
/// test-vectors/ed25519-x25519.json): the Ed25519 key from the all-zero seed, whose
/// publicKeyBase58 is 4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS.
#[test]
fn the_did_key_of_the_did_key_specs_test_vector_matches() {
    let expected = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp";
    let public_key = bs58::decode("4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS")
        .into_vec()
        .unwrap();
    let from_seed = Ed25519KeyPair::from_seed_unchecked(&[0; 32]).unwrap();
    assert_eq!(from_seed.public_key().as_ref(), public_key.as_slice());
    assert_eq!(did_key(&public_key), expected);
    assert_eq!(
        public_key_of(expected).unwrap().as_slice(),
        public_key.as_slice()
    );
    assert!(matches!(
        public_key_of("did:key:z6Mk"),
        Err(CredentialError::BadDid)
    ));
}

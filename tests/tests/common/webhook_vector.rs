//! A webhook signed the way Telnyx signs them, with the RFC 8032 test-1 key
//! pair, for tests that need one known-good delivery.

/// RFC 8032 section 7.1, test 1: the secret key (seed), in hex.
pub const SECRET_KEY_HEX: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

/// The matching public key, in base64 as the Telnyx portal shows keys.
pub const PUBLIC_KEY: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

/// The `telnyx-timestamp` header value the body was signed with.
pub const TIMESTAMP: &str = "1700000000";

/// [`TIMESTAMP`] as a number, for a `FixedClock`.
pub const NOW: i64 = 1_700_000_000;

/// The body, byte for byte as signed.
pub const BODY: &str = r#"{"data":{"event_type":"call.hangup","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2018-02-02T22:25:27.521992Z","payload":{"call_control_id":"v3:abc","call_leg_id":"428c31b6-7af4-4bcb-b7f5-5013ef9657c1","call_session_id":"428c31b6-abf3-3bc1-b7f4-5013ef9657c1","connection_id":"7267xxxxxxxxxxxxxx"},"record_type":"event"},"meta":{"attempt":1,"delivered_to":"https://example.com/webhooks"}}"#;

/// The `telnyx-signature-ed25519` header value: Ed25519 over
/// `{TIMESTAMP}|{BODY}`, in standard padded base64.
pub const SIGNATURE: &str =
    "7uyTh+TRfbqz/aeb73crNqgS2szxQlOK5pQ5+YTTD3f7IJz3uqOlxDckT/sVfXEirpmpC2STIPMqWQWNje0PCQ==";

/// The secret key as bytes, for signing further test deliveries.
pub fn secret_key() -> [u8; 32] {
    let mut bytes = [0; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&SECRET_KEY_HEX[2 * i..2 * i + 2], 16).expect("hex");
    }
    bytes
}

/// The vector's headers, as Telnyx sends them.
pub fn headers() -> [(&'static str, &'static str); 2] {
    [
        ("telnyx-timestamp", TIMESTAMP),
        ("telnyx-signature-ed25519", SIGNATURE),
    ]
}

/// The `telnyx-signature-ed25519` value Telnyx would send for `body` at
/// `timestamp`, signed with the key whose seed is `seed`.
pub fn sign_with(seed: &[u8; 32], timestamp: &str, body: impl AsRef<[u8]>) -> String {
    use base64::{engine::general_purpose::STANDARD, Engine};
    use ed25519_dalek::{Signer, SigningKey};
    let message = [timestamp.as_bytes(), b"|", body.as_ref()].concat();
    STANDARD.encode(SigningKey::from_bytes(seed).sign(&message).to_bytes())
}

/// [`sign_with`] the vector's own secret key.
pub fn sign(timestamp: &str, body: impl AsRef<[u8]>) -> String {
    sign_with(&secret_key(), timestamp, body)
}

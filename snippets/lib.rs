//! Shared helpers for the JWT handbook's executable answers.
//!
//! `handbook test` compiles every Rust fence in `content/` as a doctest of a generated crate named
//! `snippets`; this file becomes that crate's library, so answers can write
//! `use snippets::keys::RSA_A_PRIVATE;`. Everything here is std-only on purpose: the answers
//! themselves show the `jsonwebtoken` calls, the helpers only hold fixtures.
//!
//! THE KEYS BELOW ARE TEST KEYS, generated for this handbook and published with it.
//! They protect nothing. Never use them, or keys committed to any repository, in a real system.

use std::time::{SystemTime, UNIX_EPOCH};

/// Test-only key material (PEM, PKCS#8) and JWK Set documents.
pub mod keys {
    /// RSA 2048 signing key "rsa-2026-a" (the current key in the rotation examples).
    pub const RSA_A_PRIVATE: &[u8] = include_bytes!("keys/rsa-a.private.pem");
    /// Public half of "rsa-2026-a".
    pub const RSA_A_PUBLIC: &[u8] = include_bytes!("keys/rsa-a.public.pem");
    /// RSA 2048 signing key "rsa-2026-b" (the next key in the rotation examples).
    pub const RSA_B_PRIVATE: &[u8] = include_bytes!("keys/rsa-b.private.pem");
    /// Public half of "rsa-2026-b".
    pub const RSA_B_PUBLIC: &[u8] = include_bytes!("keys/rsa-b.public.pem");
    /// ECDSA P-256 signing key "ec-2026-a" (ES256), PKCS#8.
    pub const EC_P256_PRIVATE: &[u8] = include_bytes!("keys/ec-p256.private.pem");
    /// Public half of "ec-2026-a".
    pub const EC_P256_PUBLIC: &[u8] = include_bytes!("keys/ec-p256.public.pem");
    /// Ed25519 signing key "ed-2026-a" (EdDSA), PKCS#8.
    pub const ED25519_PRIVATE: &[u8] = include_bytes!("keys/ed25519.private.pem");
    /// Public half of "ed-2026-a".
    pub const ED25519_PUBLIC: &[u8] = include_bytes!("keys/ed25519.public.pem");
    /// A 32-byte HMAC secret for HS256 examples (RFC 7518 §3.2: at least the hash size).
    pub const HMAC_SECRET: &[u8] = b"test-only-hs256-secret-012345678";
    /// JWK Set with the public keys rsa-2026-a, rsa-2026-b, ec-2026-a and ed-2026-a.
    pub const JWKS: &str = include_str!("jwks.json");
    /// JWK Set holding only rsa-2026-a (before a rotation starts).
    pub const JWKS_A_ONLY: &str = include_str!("jwks-a-only.json");
    /// JWK Set holding only rsa-2026-b (after the old key was retired).
    pub const JWKS_B_ONLY: &str = include_str!("jwks-b-only.json");
}

/// Seconds since the Unix epoch: a JWT NumericDate (RFC 7519 §2).
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the system clock is after 1970")
        .as_secs()
}

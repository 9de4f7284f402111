//! Shared helpers for the JWT handbook's executable answers.
//!
//! `handbook test` compiles every Rust fence in `content/` as a doctest of a generated crate named
//! `snippets`; this file becomes that crate's library, so answers can write
//! `use snippets::keys::RSA_A_PRIVATE;`. Everything here is std-only on purpose: the answers
//! themselves show the `jsonwebtoken` calls, the helpers only hold fixtures and small pieces of
//! application state that the library does not provide (`Denylist`).
//!
//! THE KEYS BELOW ARE TEST KEYS, generated for this handbook and published with it.
//! They protect nothing. Never use them, or keys committed to any repository, in a real system.

use std::collections::HashMap;
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

/// Revoked token ids (`jti`) with each token's `exp`: the application-side denylist of the
/// stolen-token answer. A library that only checks signatures and claims cannot know about it.
///
/// An entry must outlive the token as every verifier sees it. A verifier accepts a token until
/// `exp` plus its clock-skew leeway (jsonwebtoken 12 rejects only when `exp < now - leeway`, with
/// a default leeway of 60 s), so an entry dropped at `exp` lets the revoked token back in for up
/// to that leeway. `purge` therefore keeps each entry until `exp + max_leeway`, where
/// `max_leeway` is the largest leeway of any verifier that consults the list.
#[derive(Debug, Clone, Default)]
pub struct Denylist {
    max_leeway: u64,
    revoked: HashMap<String, u64>,
}

impl Denylist {
    /// An empty list for verifiers whose largest leeway is `max_leeway` seconds.
    pub fn new(max_leeway: u64) -> Self {
        Self {
            max_leeway,
            revoked: HashMap::new(),
        }
    }

    /// Records a revoked token by its `jti` and its `exp` (a NumericDate, seconds).
    pub fn revoke(&mut self, jti: &str, exp: u64) {
        self.revoked.insert(jti.to_owned(), exp);
    }

    /// Whether the token id is on the list.
    pub fn is_revoked(&self, jti: &str) -> bool {
        self.revoked.contains_key(jti)
    }

    /// Drops the entries of tokens no verifier can accept any more: those with
    /// `exp + max_leeway < now`. An entry is kept through `now == exp + max_leeway`, the last
    /// second at which a verifier with that leeway still accepts the token.
    pub fn purge(&mut self, now: u64) {
        let max_leeway = self.max_leeway;
        self.revoked
            .retain(|_, exp| exp.saturating_add(max_leeway) >= now);
    }

    /// How many entries the list holds.
    pub fn len(&self) -> usize {
        self.revoked.len()
    }

    /// Whether the list holds no entry.
    pub fn is_empty(&self) -> bool {
        self.revoked.is_empty()
    }
}

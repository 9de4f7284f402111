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

// --- level 3: refresh-token-rotation ---

/// A refresh-token store as an authorization server keeps it: opaque one-time handles grouped in
/// families (one per login), reuse detection that revokes the family, idle and absolute expiry.
/// Used by the refresh-tokens and refresh-token-rotation answers. It is std-only: the caller
/// passes the digest function (the answers pass SHA-256), so the answer shows that choice.
pub mod refresh {
    use std::collections::HashMap;
    use std::io::Read;
    use std::sync::Mutex;
    use std::time::Duration;

    /// The lookup key stored instead of the handle.
    pub type Digest = Vec<u8>;

    /// Why the token endpoint refused a refresh token.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Refused {
        /// No record for this value: never issued, or made up.
        Unknown,
        /// Past its idle timeout or its family's absolute lifetime.
        Expired,
        /// Already redeemed once, so a copy exists: the whole family was revoked just now.
        ReuseDetected,
        /// The family was revoked earlier (after a reuse, or at logout).
        FamilyRevoked,
    }

    /// How long a refresh token lives, in seconds.
    #[derive(Debug, Clone, Copy)]
    pub struct Lifetimes {
        /// Unused for this long, a refresh token expires (RFC 9700 §4.14.2).
        pub idle: u64,
        /// No token of a family outlives its login by more than this, however often it is
        /// refreshed (draft-ietf-oauth-browser-based-apps §6.3.2.3).
        pub absolute: u64,
    }

    /// A refresh token handed to the client, at login or by a refresh.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Issued {
        pub subject: String,
        pub family: u64,
        pub refresh_token: String,
        pub expires_at: u64,
    }

    struct Record {
        family: u64,
        used: bool,
        expires_at: u64,
    }

    struct Family {
        subject: String,
        revoked: bool,
        ends_at: u64,
    }

    #[derive(Default)]
    struct State {
        records: HashMap<Digest, Record>,
        families: HashMap<u64, Family>,
        next_family: u64,
    }

    /// The store. Every redemption runs under one lock, so "check unused, then mark used" is a
    /// single step: the in-memory equivalent of `UPDATE ... SET used_at = now WHERE digest = ?
    /// AND used_at IS NULL` checked for one affected row.
    pub struct RefreshStore {
        state: Mutex<State>,
        digest: fn(&[u8]) -> Digest,
        lifetimes: Lifetimes,
        write_latency: Duration,
    }

    impl RefreshStore {
        pub fn new(digest: fn(&[u8]) -> Digest, lifetimes: Lifetimes) -> Self {
            RefreshStore {
                state: Mutex::new(State::default()),
                digest,
                lifetimes,
                write_latency: Duration::ZERO,
            }
        }

        /// Makes the step between reading a token's record and marking it used take this long,
        /// like a slow database write, so that a test can make two redemptions overlap.
        pub fn with_write_latency(mut self, latency: Duration) -> Self {
            self.write_latency = latency;
            self
        }

        /// A login (a new grant): starts a family and returns its first refresh token.
        pub fn login(&self, subject: &str, now: u64) -> Issued {
            let mut state = self.state.lock().expect("store lock");
            state.next_family += 1;
            let family = state.next_family;
            let ends_at = now + self.lifetimes.absolute;
            state.families.insert(
                family,
                Family {
                    subject: subject.to_string(),
                    revoked: false,
                    ends_at,
                },
            );
            self.issue(&mut state, family, subject, now, ends_at)
        }

        /// The refresh grant: redeems `token` once and returns its successor in the same family.
        pub fn redeem(&self, token: &str, now: u64) -> Result<Issued, Refused> {
            let mut state = self.state.lock().expect("store lock");
            let digest = (self.digest)(token.as_bytes());
            let (family, used, expires_at) = match state.records.get(&digest) {
                Some(r) => (r.family, r.used, r.expires_at),
                None => return Err(Refused::Unknown),
            };
            let (subject, revoked, ends_at) = {
                let f = &state.families[&family];
                (f.subject.clone(), f.revoked, f.ends_at)
            };
            if revoked {
                return Err(Refused::FamilyRevoked);
            }
            if used {
                // The server cannot tell the thief from the user (RFC 9700 §4.14.2): end the login.
                self.revoke_locked(&mut state, family);
                return Err(Refused::ReuseDetected);
            }
            if now >= expires_at || now >= ends_at {
                return Err(Refused::Expired);
            }
            // Still under the lock: the slow write cannot interleave with another redemption.
            std::thread::sleep(self.write_latency);
            if let Some(r) = state.records.get_mut(&digest) {
                r.used = true;
            }
            Ok(self.issue(&mut state, family, &subject, now, ends_at))
        }

        /// Logout, or an administrator's revocation: every token of the family stops working.
        pub fn revoke_family(&self, family: u64) {
            let mut state = self.state.lock().expect("store lock");
            self.revoke_locked(&mut state, family);
        }

        /// What a copy of the database would show: the digests, never a usable token.
        pub fn stored_digests(&self) -> Vec<Digest> {
            let state = self.state.lock().expect("store lock");
            state.records.keys().cloned().collect()
        }

        fn revoke_locked(&self, state: &mut State, family: u64) {
            if let Some(f) = state.families.get_mut(&family) {
                f.revoked = true;
            }
        }

        fn issue(
            &self,
            state: &mut State,
            family: u64,
            subject: &str,
            now: u64,
            ends_at: u64,
        ) -> Issued {
            let refresh_token = random_handle();
            // A successor never outlives the login (no sliding past the absolute lifetime).
            let expires_at = (now + self.lifetimes.idle).min(ends_at);
            state.records.insert(
                (self.digest)(refresh_token.as_bytes()),
                Record {
                    family,
                    used: false,
                    expires_at,
                },
            );
            Issued {
                subject: subject.to_string(),
                family,
                refresh_token,
                expires_at,
            }
        }
    }

    /// 256 random bits from the operating system, hex-encoded. (Production code would use the
    /// `getrandom` or `rand` crate; this library stays std-only.)
    fn random_handle() -> String {
        let mut bytes = [0u8; 32];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .expect("the OS random source /dev/urandom is readable");
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

// --- level 2: stolen-token-revocation ---

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

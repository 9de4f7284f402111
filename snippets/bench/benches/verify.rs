//! Verifications per second with jsonwebtoken 12 (rust_crypto backend).
//!
//! Run: CARGO_TARGET_DIR=target/bench cargo bench --manifest-path snippets/bench/Cargo.toml
//!
//! Every token is signed once, before measuring. The measured closure is what a resource server
//! does per request: `decode` (signature + exp/aud/iss checks + claims deserialization), with a
//! `DecodingKey` and a `Validation` built once at startup; the `rs256_key_per_request` group also
//! measures the anti-pattern of parsing the PEM key inside every request, and `rs256_parts` times
//! apart what the rust_crypto backend does inside one RS256 `decode`: it rebuilds the `rsa` public
//! key from the bytes the `DecodingKey` stores (PKCS#1 DER for a PEM key, `n`/`e` for a JWK key) on
//! every call (jsonwebtoken 12 `src/crypto/rust_crypto/rsa.rs`, `verify_rsa`), then verifies.
//! The keys are the handbook's published TEST keys (snippets/keys); they protect nothing.
//!
//! The clock is the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), not wall time: on
//! a machine whose two cores are shared with other jobs, wall time counts the moments the thread
//! waits for a core, and it drifted by 2-5x between runs; CPU time is the cost per verification
//! on one core, which is the figure capacity planning needs. Linux only.

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jsonwebtoken::{
    Algorithm, DecodingKey, DecodingKeyKind, EncodingKey, Header, Validation, decode, encode,
    jwk::JwkSet,
};
use rsa::{BoxedUint, Pkcs1v15Sign, PublicKey as RsaPublicKey, pkcs1::DecodeRsaPublicKey};
use sha2::{Digest, Sha256};
use serde::{Deserialize, Serialize};

macro_rules! key {
    ($file:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../keys/", $file))
    };
}
const RSA_PRIVATE: &[u8] = key!("rsa-a.private.pem");
const RSA_PUBLIC: &[u8] = key!("rsa-a.public.pem");
const EC_PRIVATE: &[u8] = key!("ec-p256.private.pem");
const EC_PUBLIC: &[u8] = key!("ec-p256.public.pem");
const ED_PRIVATE: &[u8] = key!("ed25519.private.pem");
const ED_PUBLIC: &[u8] = key!("ed25519.public.pem");
const HMAC_SECRET: &[u8] = b"test-only-hs256-secret-012345678";
const JWKS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../jwks.json"));

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    exp: u64,
    scope: String,
}

fn claims() -> Claims {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    Claims {
        sub: "user-42".into(),
        iss: "https://idp.example".into(),
        aud: "orders".into(),
        // Far enough ahead that no run of this benchmark sees an expired token.
        exp: now + 24 * 3600,
        scope: "orders:read".into(),
    }
}

fn validation(alg: Algorithm) -> Validation {
    let mut v = Validation::new(alg);
    v.set_audience(&["orders"]);
    v.set_issuer(&["https://idp.example"]);
    v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    v
}

/// One algorithm's fixture: a signed token, its verification key (parsed once) and its policy.
struct Case {
    name: &'static str,
    token: String,
    key: DecodingKey,
    validation: Validation,
}

fn case(name: &'static str, alg: Algorithm, enc: EncodingKey, dec: DecodingKey) -> Case {
    let token = encode(&Header::new(alg), &claims(), &enc).expect("sign");
    let validation = validation(alg);
    // Fail loudly before measuring if the fixture does not verify.
    decode::<Claims>(&token, &dec, &validation).expect("fixture verifies");
    Case { name, token, key: dec, validation }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "HS256",
            Algorithm::HS256,
            EncodingKey::from_secret(HMAC_SECRET).unwrap(),
            DecodingKey::from_secret(HMAC_SECRET).unwrap(),
        ),
        case(
            "RS256",
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(RSA_PRIVATE).unwrap(),
            DecodingKey::from_rsa_pem(RSA_PUBLIC).unwrap(),
        ),
        case(
            "ES256",
            Algorithm::ES256,
            EncodingKey::from_ec_pem(EC_PRIVATE).unwrap(),
            DecodingKey::from_ec_pem(EC_PUBLIC).unwrap(),
        ),
        case(
            "EdDSA",
            Algorithm::EdDSA,
            EncodingKey::from_ed_pem(ED_PRIVATE).unwrap(),
            DecodingKey::from_ed_pem(ED_PUBLIC).unwrap(),
        ),
    ]
}

/// The CPU time the calling thread has used, in nanoseconds.
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; this clock id exists on Linux.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Criterion measurement: CPU time of the benchmark thread.
struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuTimeFormatter
    }
}

/// Prints CPU nanoseconds in ns/µs/ms, and throughput as elements per CPU-second.
struct CpuTimeFormatter;

impl ValueFormatter for CpuTimeFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (factor, unit) = if typical < 1e3 {
            (1.0, "ns (cpu)")
        } else if typical < 1e6 {
            (1e-3, "µs (cpu)")
        } else {
            (1e-6, "ms (cpu)")
        };
        values.iter_mut().for_each(|v| *v *= factor);
        unit
    }
    fn scale_throughputs(&self, _typical: f64, throughput: &Throughput, values: &mut [f64]) -> &'static str {
        let per_iteration = match throughput {
            Throughput::Elements(n) | Throughput::Bytes(n) | Throughput::BytesDecimal(n) => *n as f64,
            Throughput::Bits(n) => *n as f64,
            _ => 1.0,
        };
        values.iter_mut().for_each(|v| *v = per_iteration * 1e9 / *v);
        "elem/cpu-s"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// decode() with a DecodingKey parsed once at startup: the recommended hot path.
fn verify_reused_key(c: &mut Criterion<ThreadCpuTime>) {
    let mut group = c.benchmark_group("verify_reused_key");
    group.throughput(Throughput::Elements(1)); // report verifications per second
    for case in cases() {
        group.bench_function(case.name, |b| {
            b.iter(|| decode::<Claims>(black_box(&case.token), &case.key, &case.validation).unwrap())
        });
    }
    group.finish();
}

/// RS256: parsing the PEM public key inside every request vs reusing the parsed key.
fn rs256_key_per_request(c: &mut Criterion<ThreadCpuTime>) {
    let rs = cases().into_iter().find(|c| c.name == "RS256").unwrap();
    let mut group = c.benchmark_group("rs256_key_per_request");
    group.throughput(Throughput::Elements(1));
    group.bench_function("reused_key", |b| {
        b.iter(|| decode::<Claims>(black_box(&rs.token), &rs.key, &rs.validation).unwrap())
    });
    group.bench_function("from_rsa_pem_then_decode", |b| {
        b.iter(|| {
            let key = DecodingKey::from_rsa_pem(black_box(RSA_PUBLIC)).unwrap();
            decode::<Claims>(black_box(&rs.token), &key, &rs.validation).unwrap()
        })
    });
    group.bench_function("from_rsa_pem_only", |b| {
        b.iter(|| DecodingKey::from_rsa_pem(black_box(RSA_PUBLIC)).unwrap())
    });
    group.finish();
}

/// RS256 taken apart: the two `DecodingKey` kinds through `decode`, then the steps the rust_crypto
/// verifier repeats per call (rebuilding the RSA key) next to the signature check with a key
/// parsed once, which is the part no caching on the caller's side can remove.
fn rs256_parts(c: &mut Criterion<ThreadCpuTime>) {
    let rs = cases().into_iter().find(|c| c.name == "RS256").unwrap();
    let DecodingKeyKind::SecretOrDer(der) = rs.key.kind() else {
        panic!("a PEM RSA key is stored as PKCS#1 DER")
    };
    let set: JwkSet = serde_json::from_str(JWKS).unwrap();
    let jwk_key = DecodingKey::from_jwk(set.find("rsa-2026-a").unwrap()).unwrap();
    let DecodingKeyKind::RsaModulusExponent { n, e } = jwk_key.kind() else {
        panic!("a JWK RSA key is stored as n and e")
    };
    decode::<Claims>(&rs.token, &jwk_key, &rs.validation).expect("the JWK key is the same key");

    // What the signature covers (RFC 7515 §5.1) and the signature bytes, split once.
    let (signing_input, sig_b64) = rs.token.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(sig_b64).unwrap();
    let parsed_once = RsaPublicKey::from_pkcs1_der(der).unwrap();
    let verify_only = |key: &RsaPublicKey| {
        let digest = Sha256::digest(black_box(signing_input.as_bytes()));
        key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, black_box(&signature))
            .unwrap()
    };
    verify_only(&parsed_once); // the fixture verifies

    let mut group = c.benchmark_group("rs256_parts");
    group.throughput(Throughput::Elements(1));
    group.bench_function("decode_pem_key", |b| {
        b.iter(|| decode::<Claims>(black_box(&rs.token), &rs.key, &rs.validation).unwrap())
    });
    group.bench_function("decode_jwk_key", |b| {
        b.iter(|| decode::<Claims>(black_box(&rs.token), &jwk_key, &rs.validation).unwrap())
    });
    group.bench_function("rsa_key_from_der", |b| {
        b.iter(|| RsaPublicKey::from_pkcs1_der(black_box(der)).unwrap())
    });
    group.bench_function("rsa_key_from_n_e", |b| {
        b.iter(|| {
            RsaPublicKey::new(
                BoxedUint::from_be_slice_vartime(black_box(n)),
                BoxedUint::from_be_slice_vartime(black_box(e)),
            )
            .unwrap()
        })
    });
    group.bench_function("verify_with_key_parsed_once", |b| {
        b.iter(|| verify_only(&parsed_once))
    });
    group.finish();
}

fn config() -> Criterion<ThreadCpuTime> {
    // Short runs: the whole benchmark takes a few minutes on a shared 2-core machine.
    Criterion::default()
        .with_measurement(ThreadCpuTime)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = verify_reused_key, rs256_key_per_request, rs256_parts
}
criterion_main!(benches);

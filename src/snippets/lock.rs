//! The generated crate's `Cargo.lock`: which versions a run actually compiled against (the
//! requirement in book.toml says what is allowed, the lock what was used).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub source: Option<String>,
    pub checksum: Option<String>,
    /// `name` or `name version` or `name version (source)`, as cargo writes them.
    pub dependencies: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Lock {
    pub packages: Vec<Package>,
}

impl Lock {
    pub fn read(path: &Path) -> Option<Lock> {
        Lock::parse(&std::fs::read_to_string(path).ok()?)
    }

    pub fn parse(text: &str) -> Option<Lock> {
        let doc: toml::Table = text.parse().ok()?;
        let packages = doc
            .get("package")?
            .as_array()?
            .iter()
            .filter_map(|p| {
                let t = p.as_table()?;
                let s = |k: &str| t.get(k).and_then(|v| v.as_str()).map(str::to_string);
                Some(Package {
                    name: s("name")?,
                    version: s("version")?,
                    source: s("source"),
                    checksum: s("checksum"),
                    dependencies: t
                        .get("dependencies")
                        .and_then(|d| d.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|v| v.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect();
        Some(Lock { packages })
    }

    /// One line per package, sorted: what the resolution is, for the record's key.
    pub fn fingerprint(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .packages
            .iter()
            .map(|p| {
                format!(
                    "{} {} {} {} [{}]",
                    p.name,
                    p.version,
                    p.source.as_deref().unwrap_or("-"),
                    p.checksum.as_deref().unwrap_or("-"),
                    p.dependencies.join(",")
                )
            })
            .collect();
        v.sort();
        v
    }

    /// The version of `package` that the root crate `root` depends on.
    pub fn direct(&self, root: &str, package: &str) -> Option<&str> {
        let root = self
            .packages
            .iter()
            .find(|p| p.name == root && p.source.is_none())?;
        let entry = root
            .dependencies
            .iter()
            .find(|d| d.split(' ').next() == Some(package))?;
        match entry.split(' ').nth(1) {
            Some(v) => Some(v),
            None => self
                .packages
                .iter()
                .find(|p| p.name == package)
                .map(|p| p.version.as_str()),
        }
    }

    /// Every package and its resolved versions.
    pub fn resolved(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut m: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for p in &self.packages {
            if p.source.is_some() {
                m.entry(p.name.clone())
                    .or_default()
                    .insert(p.version.clone());
            }
        }
        m
    }
}

/// `jsonwebtoken 12.0.0 (rust_crypto, use_pem), serde 1.0.228 (derive)`: the direct
/// dependencies as resolved, with the features the book turns on.
pub fn versions(
    lock: Option<&Lock>,
    root: &str,
    dependencies: &BTreeMap<String, toml::Value>,
) -> String {
    if dependencies.is_empty() {
        return "no dependencies".to_string();
    }
    dependencies
        .iter()
        .map(|(key, spec)| {
            let package = spec.get("package").and_then(|p| p.as_str()).unwrap_or(key);
            let version = lock
                .and_then(|l| l.direct(root, package))
                .map(str::to_string)
                .unwrap_or_else(|| "(unresolved)".into());
            let features: Vec<&str> = spec
                .get("features")
                .and_then(|f| f.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            if features.is_empty() {
                format!("{key} {version}")
            } else {
                format!("{key} {version} ({})", features.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "base64"
version = "0.22.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aa"

[[package]]
name = "base64"
version = "0.23.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "bb"

[[package]]
name = "jsonwebtoken"
version = "12.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "cc"
dependencies = ["base64 0.23.1"]

[[package]]
name = "snippets"
version = "0.0.0"
dependencies = ["base64 0.22.1", "jsonwebtoken"]
"#;

    #[test]
    fn direct_versions_come_from_the_root_package() {
        let lock = Lock::parse(LOCK).unwrap();
        assert_eq!(lock.direct("snippets", "base64"), Some("0.22.1"));
        assert_eq!(lock.direct("snippets", "jsonwebtoken"), Some("12.0.0"));
        let mut deps = BTreeMap::new();
        deps.insert("base64".to_string(), toml::Value::String("0.22".into()));
        deps.insert(
            "jsonwebtoken".to_string(),
            toml::Value::Table(
                toml::toml! { version = "12" features = ["rust_crypto", "use_pem"] },
            ),
        );
        assert_eq!(
            versions(Some(&lock), "snippets", &deps),
            "base64 0.22.1, jsonwebtoken 12.0.0 (rust_crypto, use_pem)"
        );
    }
}

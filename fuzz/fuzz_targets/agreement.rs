//! The agreement loader: bytes → YAML → plain data → version id → typed
//! agreement → lint rules. Any input must give findings, never a panic.
#![no_main]

use charter::agreement::lint::{check, Context};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let known = |email: &str| email.len() % 2 == 0;
    let ctx = Context {
        is_known_signer: Some(&known),
    };
    let (parsed, findings) = check("agreements/fuzz.yaml", bytes, &ctx);
    // A file that has no version id must say why.
    if parsed.version().is_none() {
        assert!(!findings.is_empty());
    }
    // The id is a function of the data alone.
    if let Some(data) = parsed.data() {
        assert_eq!(
            parsed.version(),
            Some(&charter::agreement::VersionId::of(data))
        );
    }
});

//! The allowed_signers parser and the questions asked of it.
#![no_main]

use charter::signoff::AllowedSigners;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let (signers, diagnostics) = AllowedSigners::parse(&text);
    let lines = text.split('\n').count();
    for d in &diagnostics {
        assert!(d.line >= 1 && d.line <= lines);
    }
    for entry in signers.entries() {
        let _ = entry.matches_principal("ada@example.com");
        let _ = entry.allows_namespace("charter-signoff");
    }
    let _ = signers.principal_matches_any("ada@example.com");
    let _ = charter::signoff::allowed_signers::match_pattern_list("ada@example.com", &text);
});

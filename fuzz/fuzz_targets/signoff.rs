//! The sign-off loader: a sign-off file's bytes → fields → claim, plus the
//! path and content-hash checks `validate` and `check` apply.
#![no_main]

use charter::signoff::SignoffFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = charter::workspace::check_signoff_file(
        "signoffs/fuzz/0123456789ab-mentor-deadbeef.yaml",
        bytes,
    );
    if let Ok(file) = SignoffFile::parse_bytes(bytes) {
        let _ = file.claim();
        // Rendering what was read must give text that reads back the same.
        if let Ok(text) = file.render() {
            let again = SignoffFile::parse(&text).expect("rendered sign-off parses");
            assert_eq!(again.render().ok(), Some(text));
        }
    }
});

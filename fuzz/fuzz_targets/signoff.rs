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
    // The fast reader of canonical files and the YAML reader agree.
    if let Ok(text) = std::str::from_utf8(bytes) {
        assert_eq!(SignoffFile::parse(text), SignoffFile::parse_yaml(text));
    }
    if let Ok(file) = SignoffFile::parse_bytes(bytes) {
        let _ = file.claim();
        // Rendering what was read must give text that reads back the same.
        if let Ok(text) = file.render() {
            let again = SignoffFile::parse(&text).expect("rendered sign-off parses");
            assert_eq!(again.render().ok(), Some(text));
        }
    }
});

//! The README's plain-OpenSSH recipe: the signed bytes written by hand from
//! a sign-off file's fields (every line, the last included, ending in a
//! newline) are exactly what charter signs, and `ssh-keygen -Y verify`
//! accepts them with nothing from charter but the file.

use crate::common::{stderr, stdout, Env};

#[test]
fn a_sign_off_verifies_with_nothing_but_ssh_keygen() {
    let env = Env::new();
    assert_eq!(env.run(&["demo", "sample"]).status.code(), Some(0));
    let name = std::fs::read_dir(env.path("sample/signoffs/ada-grace"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.contains("-mentee-"))
        .expect("a mentee sign-off in the demo");
    let file = &format!("signoffs/ada-grace/{name}");
    let yaml = env.read(&format!("sample/{file}"));
    let field = |key: &str| {
        yaml.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("{key} in {yaml}"))
            .to_owned()
    };
    // The README's eight lines, by hand.
    let by_hand = format!(
        "charter sign-off v1\nagreement: {}\nversion: {}\namends: {}\nrole: {}\nprincipal: {}\nsigned-at: {}\nwaive-notice: {}\n",
        field("agreement"),
        field("version"),
        field("amends"),
        field("role"),
        field("principal"),
        field("signed_at"),
        field("waive_notice"),
    );
    let out = env.run(&["-C", "sample", "signoff", "message", file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), by_hand);

    // The armored signature is the file's `signature` block, unindented.
    let signature: String = yaml
        .split("signature: |\n")
        .nth(1)
        .unwrap()
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    env.write("sig", &signature);
    env.write("msg", &by_hand);
    let verify = |message: &str| {
        env.write("msg", message);
        env.program("sh")
            .args([
                "-c",
                "ssh-keygen -Y verify -f sample/allowed_signers -I ada@example.com -n charter-signoff -s sig < msg",
            ])
            .output()
            .unwrap()
    };
    let ok = verify(&by_hand);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // Without the last newline the signature does not verify.
    let bad = verify(by_hand.trim_end_matches('\n'));
    assert!(!bad.status.success());
}

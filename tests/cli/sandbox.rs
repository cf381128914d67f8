//! The one way tests start a program: git, ssh-keygen, ssh-agent, ssh-add,
//! a shell or charter itself. The environment is cleared and rebuilt from a
//! temporary HOME, so no developer's git configuration, SSH agent, locale
//! or keys can change a result; only `PATH` is kept, to find the tools.
//!
//! Keys and agents live here too, so every test makes them the same way.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `program` with a cleared environment rooted at `home`: git reads only
/// `home/.gitconfig`, never the system's, and stdin is empty.
pub fn command(program: impl AsRef<OsStr>, home: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LANG", "C")
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    cmd
}

/// An empty HOME for tools that need no sandbox of their own (a browser's
/// version, shellcheck, actionlint), made once per test run.
#[allow(dead_code)]
pub fn empty_home() -> &'static Path {
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    HOME.get_or_init(|| tempfile::TempDir::new().unwrap())
        .path()
}

/// An SSH key pair made by `ssh-keygen`.
#[allow(dead_code)]
pub struct Key {
    /// The private key file.
    pub private: PathBuf,
    /// The public key file (`.pub`).
    pub public: PathBuf,
    /// The public key line: `type base64 comment`.
    pub line: String,
}

#[allow(dead_code)]
impl Key {
    /// The private key's path as a string, for `--key`.
    pub fn path(&self) -> &str {
        self.private.to_str().unwrap()
    }

    /// The public key's path as a string.
    pub fn pub_path(&self) -> &str {
        self.public.to_str().unwrap()
    }
}

/// A new key at `private`, made by the real `ssh-keygen`: `args` choose the
/// type and size (e.g. `["-t", "ed25519"]`); an empty passphrase leaves it
/// unencrypted. The comment is the file's name.
pub fn keygen(home: &Path, private: &Path, args: &[&str], passphrase: &str) -> Key {
    std::fs::create_dir_all(private.parent().unwrap()).unwrap();
    let out = command("ssh-keygen", home)
        .args(["-q", "-N", passphrase, "-C"])
        .arg(private.file_name().unwrap())
        .args(args)
        .arg("-f")
        .arg(private)
        .output()
        .expect("run ssh-keygen");
    assert!(
        out.status.success(),
        "ssh-keygen: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = PathBuf::from(format!("{}.pub", private.display()));
    let line = std::fs::read_to_string(&public).unwrap().trim().to_owned();
    Key {
        private: private.to_owned(),
        public,
        line,
    }
}

/// The `ssh-keygen` arguments for a key kind: `ed25519`, `ecdsa` (P-256)
/// or `rsa` (3072 bits).
pub fn kind_args(kind: &str) -> &'static [&'static str] {
    match kind {
        "ed25519" => &["-t", "ed25519"],
        "ecdsa" => &["-t", "ecdsa", "-b", "256"],
        "rsa" => &["-t", "rsa", "-b", "3072"],
        other => panic!("no such key kind in the tests: {other}"),
    }
}

/// A real `ssh-agent` in the foreground, on a socket under `home`, killed
/// when dropped.
#[allow(dead_code)]
pub struct Agent {
    child: Child,
    home: PathBuf,
    /// Its socket, for `SSH_AUTH_SOCK`.
    pub socket: PathBuf,
}

#[allow(dead_code)]
impl Agent {
    /// Starts an agent and waits for its socket.
    pub fn start(home: &Path) -> Agent {
        let socket = home.join("agent.sock");
        let child = command("ssh-agent", home)
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run ssh-agent");
        let agent = Agent {
            child,
            home: home.to_owned(),
            socket,
        };
        let start = Instant::now();
        while !agent.socket.exists() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "ssh-agent did not create its socket"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        agent
    }

    /// Adds an (unencrypted) private key with `ssh-add`.
    pub fn add(&self, private: &Path) {
        let out = command("ssh-add", &self.home)
            .env("SSH_AUTH_SOCK", &self.socket)
            .arg(private)
            .output()
            .expect("run ssh-add");
        assert!(
            out.status.success(),
            "ssh-add: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What plain OpenSSH says of `signature` over `message`: `ssh-keygen -Y
/// verify` run in `dir` against `allowed_signers` for `principal` in
/// `namespace`, optionally at `verify_time` (`YYYYMMDDhhmmssZ`). `Ok` with
/// its output when it accepts, `Err` with it when it refuses.
#[allow(dead_code)]
pub fn keygen_verify(
    dir: &Path,
    allowed_signers: &str,
    principal: &str,
    namespace: &str,
    signature: &str,
    message: &[u8],
    verify_time: Option<&str>,
) -> Result<String, String> {
    use std::io::Write;
    use std::process::Stdio;
    let allowed = dir.join("allowed_signers");
    std::fs::write(&allowed, allowed_signers).unwrap();
    let sig = dir.join("verify.sig");
    std::fs::write(&sig, signature).unwrap();
    let mut cmd = command("ssh-keygen", dir);
    cmd.args(["-Y", "verify", "-f"])
        .arg(&allowed)
        .args(["-I", principal, "-n", namespace, "-s"])
        .arg(&sig);
    if let Some(t) = verify_time {
        cmd.arg(format!("-Overify-time={t}"));
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ssh-keygen -Y verify");
    child.stdin.take().unwrap().write_all(message).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

//! Reading ECDSA private keys whose secret scalar OpenSSH wrote short.
//!
//! OpenSSH stores an ECDSA private scalar as an `mpint`, which drops leading
//! zero bytes: about one P-256 key in 512 that `ssh-keygen` makes is stored
//! in 31 bytes instead of 32. `ssh-key` 0.6.7 (the newest stable release)
//! reads exactly the curve's size and refuses such a key as malformed, so
//! `charter sign --key` failed at random for a freshly made ECDSA key (fixed
//! upstream only in the 0.7 pre-releases, RustCrypto/SSH pull requests 351
//! and 356). This module gives `ssh-key` the same key with the scalar padded
//! back to its full size; every other key, and every other failure, goes
//! through `ssh-key` untouched.

use ssh_encoding::{Decode, Encode};
use ssh_key::{Algorithm, PrivateKey};
use zeroize::Zeroizing;

/// The magic bytes that start an `openssh-key-v1` container.
const MAGIC: &[u8] = b"openssh-key-v1\0";

/// The block size of the unencrypted private section (OpenSSH's for `none`).
const BLOCK: usize = 8;

/// [`PrivateKey::from_openssh`], also accepting an unencrypted ECDSA key
/// whose scalar is stored short.
pub(crate) fn from_openssh(text: &str) -> ssh_key::Result<PrivateKey> {
    PrivateKey::from_openssh(text).or_else(|e| {
        let Some(bytes) = pem_bytes(text) else {
            return Err(e);
        };
        let Some((public, section)) = unencrypted_parts(&bytes) else {
            return Err(e);
        };
        let Some(section) = pad_scalar(section) else {
            return Err(e);
        };
        PrivateKey::from_bytes(&container(public, &section)?)
    })
}

/// [`PrivateKey::decrypt`], also for an ECDSA key whose scalar is stored
/// short. A wrong passphrase still fails: its garbage has mismatched check
/// bytes, which [`pad_scalar`] refuses as `ssh-key` does.
pub(crate) fn decrypt(key: &PrivateKey, passphrase: &str) -> ssh_key::Result<PrivateKey> {
    key.decrypt(passphrase).or_else(|e| {
        let cipher = key.cipher();
        let Some(ciphertext) = key.key_data().encrypted() else {
            return Err(e);
        };
        // Authenticated ciphers would need the tag, which ssh-key keeps to
        // itself; OpenSSH writes aes256-ctr unless told otherwise.
        if !matches!(key.algorithm(), Algorithm::Ecdsa { .. }) || cipher.has_tag() {
            return Err(e);
        }
        let (secret, iv) = key.kdf().derive_key_and_iv(cipher, passphrase)?;
        let secret = Zeroizing::new(secret);
        let mut plain = Zeroizing::new(ciphertext.to_vec());
        cipher.decrypt(&secret, &iv, &mut plain, None)?;
        let Some(section) = pad_scalar(&plain) else {
            return Err(e);
        };
        let mut public = Vec::new();
        key.public_key().key_data().encode(&mut public)?;
        PrivateKey::from_bytes(&container(&public, &section)?)
    })
}

/// The bytes of an `OPENSSH PRIVATE KEY` PEM document (OpenSSH wraps its
/// lines at 70 characters, where strict PEM expects 64).
fn pem_bytes(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut decoder = ssh_encoding::pem::Decoder::new_wrapped(text.trim().as_bytes(), 70).ok()?;
    if decoder.type_label() != "OPENSSH PRIVATE KEY" {
        return None;
    }
    let mut bytes = Zeroizing::new(Vec::new());
    decoder.decode_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The public key and private section of an unencrypted single-key
/// container; `None` for anything else.
fn unencrypted_parts(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut r = bytes.strip_prefix(MAGIC)?;
    let cipher = String::decode(&mut r).ok()?;
    let kdf = String::decode(&mut r).ok()?;
    let _kdf_options = Vec::<u8>::decode(&mut r).ok()?;
    let keys = u32::decode(&mut r).ok()?;
    if cipher != "none" || kdf != "none" || keys != 1 {
        return None;
    }
    let public = string(&mut r)?;
    let section = string(&mut r)?;
    r.is_empty().then_some((public, section))
}

/// The next length-prefixed string of `r`, borrowed.
fn string<'a>(r: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = usize::try_from(u32::decode(r).ok()?).ok()?;
    if r.len() < len {
        return None;
    }
    let (s, rest) = r.split_at(len);
    *r = rest;
    Some(s)
}

/// A decrypted private section holding one ECDSA key whose scalar is shorter
/// than its curve's size, rewritten with the scalar zero-padded to full size
/// (and padding recomputed for the unencrypted block size). `None` when the
/// section is anything else, or its check bytes differ (a wrong passphrase).
fn pad_scalar(section: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut r = section;
    let check = u32::decode(&mut r).ok()?;
    if u32::decode(&mut r).ok()? != check {
        return None;
    }
    let algorithm = String::decode(&mut r).ok()?;
    let size = match algorithm.as_str() {
        "ecdsa-sha2-nistp256" => 32,
        "ecdsa-sha2-nistp384" => 48,
        "ecdsa-sha2-nistp521" => 66,
        _ => return None,
    };
    let curve = string(&mut r)?;
    let point = string(&mut r)?;
    let scalar = string(&mut r)?;
    let comment = string(&mut r)?;
    let digits = &scalar[scalar.iter().take_while(|&&b| b == 0).count()..];
    if scalar.len() >= size || digits.is_empty() {
        return None;
    }
    let mut padded = Zeroizing::new(vec![0u8; size]);
    padded[size - digits.len()..].copy_from_slice(digits);
    let mut out = Zeroizing::new(Vec::with_capacity(section.len() + BLOCK));
    check.encode(&mut *out).ok()?;
    check.encode(&mut *out).ok()?;
    algorithm.encode(&mut *out).ok()?;
    curve.encode(&mut *out).ok()?;
    point.encode(&mut *out).ok()?;
    padded.as_slice().encode(&mut *out).ok()?;
    comment.encode(&mut *out).ok()?;
    let mut pad = 1u8;
    while out.len() % BLOCK != 0 {
        out.push(pad);
        pad += 1;
    }
    Some(out)
}

/// An unencrypted `openssh-key-v1` container of one key.
fn container(public: &[u8], section: &[u8]) -> ssh_key::Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(MAGIC.to_vec());
    "none".encode(&mut *out)?;
    "none".encode(&mut *out)?;
    "".encode(&mut *out)?;
    1u32.encode(&mut *out)?;
    public.encode(&mut *out)?;
    section.encode(&mut *out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keys");
    const PASSPHRASE: &str = "correct horse battery staple";

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
    }

    #[test]
    fn ssh_key_alone_refuses_a_short_scalar() {
        // The reason this module exists; when ssh-key reads the fixture by
        // itself, the workaround can go.
        assert!(PrivateKey::from_openssh(fixture("ecdsa-short-scalar")).is_err());
        let encrypted = PrivateKey::from_openssh(fixture("ecdsa-short-scalar-encrypted")).unwrap();
        assert!(encrypted.decrypt(PASSPHRASE).is_err());
    }

    #[test]
    fn a_short_scalar_is_padded_and_the_key_signs() {
        let key = from_openssh(&fixture("ecdsa-short-scalar")).unwrap();
        let public = ssh_key::PublicKey::from_openssh(&fixture("ecdsa-short-scalar.pub")).unwrap();
        assert_eq!(key.public_key().key_data(), public.key_data());
        assert_eq!(key.comment(), "ecdsa-short-scalar");
        let private = key.key_data().ecdsa().unwrap().private_key_bytes();
        assert_eq!(private.len(), 32);
        assert_eq!(private[0], 0, "the stored scalar was short");
        let sig = key
            .sign("charter-signoff", ssh_key::HashAlg::Sha512, b"msg")
            .unwrap();
        public.verify("charter-signoff", b"msg", &sig).unwrap();
    }

    #[test]
    fn an_encrypted_short_scalar_decrypts_and_a_wrong_passphrase_still_fails() {
        let encrypted = from_openssh(&fixture("ecdsa-short-scalar-encrypted")).unwrap();
        assert!(encrypted.is_encrypted());
        let plain = from_openssh(&fixture("ecdsa-short-scalar")).unwrap();
        let key = decrypt(&encrypted, PASSPHRASE).unwrap();
        assert_eq!(key.key_data(), plain.key_data());
        assert!(decrypt(&encrypted, "wrong horse").is_err());
    }

    #[test]
    fn other_sections_are_left_alone() {
        let mut section = Vec::new();
        for word in [7u32, 7] {
            word.encode(&mut section).unwrap();
        }
        "ssh-ed25519".encode(&mut section).unwrap();
        assert!(pad_scalar(&section).is_none(), "not ECDSA");
        let mut mismatched = Vec::new();
        for word in [7u32, 8] {
            word.encode(&mut mismatched).unwrap();
        }
        "ecdsa-sha2-nistp256".encode(&mut mismatched).unwrap();
        assert!(pad_scalar(&mismatched).is_none(), "check bytes differ");
        assert!(from_openssh("not a key").is_err());
    }
}

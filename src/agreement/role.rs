//! The two signing roles of an agreement.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Mentor or mentee: the two parties who sign. Observers never sign.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The mentor.
    Mentor,
    /// The mentee.
    Mentee,
}

impl Role {
    /// Both roles, mentor first.
    pub const BOTH: [Role; 2] = [Role::Mentor, Role::Mentee];

    /// The word used in files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Mentor => "mentor",
            Role::Mentee => "mentee",
        }
    }

    /// The words of several roles joined by `sep` (`mentor and mentee`),
    /// for output that lists who signed, who is missing, who declined.
    pub fn join(roles: &[Role], sep: &str) -> String {
        let words: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        words.join(sep)
    }

    /// Parse `mentor` or `mentee`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "mentor" => Some(Role::Mentor),
            "mentee" => Some(Role::Mentee),
            _ => None,
        }
    }

    /// The email of this role's party in an agreement.
    pub fn email(self, agreement: &super::Agreement) -> &str {
        match self {
            Role::Mentor => &agreement.parties.mentor.email,
            Role::Mentee => &agreement.parties.mentee.email,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

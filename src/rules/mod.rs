//! The rules of the README's "History, notice and states" that need history: which versions are signed, when
//! they take effect, what is in force, pending or scheduled, and whether the
//! notice period was respected.

pub mod state;

pub use state::{
    credited_point, evaluate, AgreementState, Approval, Evaluation, NoticeCheck, VersionReport,
    VersionState,
};

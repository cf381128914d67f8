//! End-to-end tests of the real `charter` binary, all in one test binary.

mod check;
mod common;
mod demo;
mod diff;
mod escaping;
mod gate;
mod help;
mod history;
mod hostile;
mod ident;
mod init;
mod invisible;
mod lifecycle;
mod new;
mod newcomer;
mod show;
mod sign;
mod sign_concurrency;
mod status;
mod trust;
mod validate;
mod yaml_limits;

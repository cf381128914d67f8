//! End-to-end tests of the real `charter` binary, all in one test binary.

mod check;
mod common;
mod demo;
mod diff;
mod gate;
mod help;
mod history;
mod hostile;
mod ident;
mod init;
mod new;
mod newcomer;
mod show;
mod sign;
mod status;
mod validate;

//! End-to-end tests of the real `charter` binary, all in one test binary.

mod check;
mod common;
mod corpus;
mod demo;
mod diff;
mod faults;
mod help;
mod history;
mod hostile;
mod init;
mod new;
mod show;
mod sign;
mod status;
mod validate;

//! End-to-end tests of the real `charter` binary, all in one test binary.

mod calendar;
mod check;
mod common;
mod demo;
mod diff;
mod help;
mod history;
mod hostile;
mod init;
mod new;
mod programme;
mod report;
mod show;
mod sign;
mod status;
mod validate;

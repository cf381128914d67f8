//! End-to-end tests of the real `charter` binary, all in one test binary.

mod browser;
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
mod json_docs;
mod new;
mod newcomer;
mod openssh_recipe;
mod show;
mod sign;
mod sign_concurrency;
mod status;
mod trust;
mod two_machines;
mod validate;
mod words;
mod yaml_limits;

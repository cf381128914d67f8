//! The few styles charter uses, in one place so output looks the same everywhere.

use anstyle::{AnsiColor, Style};

/// Errors.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// Warnings.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// Locations, rule names and other structure.
pub const DIM: Style = Style::new().dimmed();
/// Headings.
pub const HEADING: Style = Style::new().bold();
/// Removed or old values.
pub const OLD: Style = AnsiColor::Red.on_default();
/// Added or new values.
pub const NEW: Style = AnsiColor::Green.on_default();
/// Good news.
pub const OK: Style = AnsiColor::Green.on_default().bold();

/// Wrap `text` in `style` when `color` is on.
pub fn paint(style: Style, text: &str, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

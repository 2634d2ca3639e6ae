//! Renders the host ABI table as Markdown for `docs/ABI.md` (std only).

use crate::{abi::HOST_FUNCTIONS, GasConfig, HostCost};
use alloc::{format, string::String, vec::Vec};

/// Marker line before the generated table in `docs/ABI.md`.
pub const BEGIN_MARKER: &str = "<!-- BEGIN GENERATED HOST TABLE -->";
/// Marker line after the generated table in `docs/ABI.md`.
pub const END_MARKER: &str = "<!-- END GENERATED HOST TABLE -->";

fn cost_cell(schedule: &GasConfig, cost: HostCost) -> String {
    let (base, per_byte) = schedule.host_cost_parts(cost);
    if per_byte == 0 {
        format!("{base}")
    } else {
        format!("{base} + {per_byte}/byte")
    }
}

/// The Markdown table of every host function with its WAT signature and its gas cost under each
/// of `schedules` (one column per `(heading, schedule)`), framed by [`BEGIN_MARKER`] and
/// [`END_MARKER`].
pub fn host_table_markdown(schedules: &[(&str, &GasConfig)]) -> String {
    let mut out = String::new();
    out.push_str(BEGIN_MARKER);
    out.push_str("\n| function | signature (WAT) |");
    for (heading, _) in schedules {
        out.push_str(&format!(" {heading} |"));
    }
    out.push_str(" capability | description |\n|---|---|");
    for _ in schedules {
        out.push_str("---|");
    }
    out.push_str("---|---|\n");
    for f in HOST_FUNCTIONS {
        let params: String = f
            .param_names
            .iter()
            .zip(f.params)
            .map(|(n, t)| format!(" (param ${n} {})", t.wat()))
            .collect();
        let results: String = f
            .results
            .iter()
            .map(|t| format!(" (result {})", t.wat()))
            .collect();
        out.push_str(&format!("| `{}` | `(func{params}{results})` |", f.name));
        for (_, schedule) in schedules {
            out.push_str(&format!(" {} |", cost_cell(schedule, f.cost)));
        }
        let caps: Vec<&str> = f.requires.iter().map(|c| c.name()).collect();
        let caps = if caps.is_empty() {
            "—".into()
        } else {
            caps.join(", ")
        };
        out.push_str(&format!(" {caps} | {} |\n", f.doc.trim()));
    }
    out.push_str(END_MARKER);
    out.push('\n');
    out
}
